// The remote provider against a real loopback HTTP server that answers, fails, hangs and talks garbage.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../src-main/core/net/circuit-breaker';
import { dot } from '../../../src-main/core/embed/provider';
import { RemoteProvider, type RemoteProviderOptions } from '../../../src-main/core/embed/remote-provider';
import { backoffDelay } from '../../../src-main/core/embed/retry';
import { startLoopbackServer, type LoopbackServer } from '../../fixtures/loopback-server';

let server: LoopbackServer;
/** Bodies to send instead of the healthy answer, consumed one per request. */
let scripted: string[];
let lastBody: Buffer | null;

beforeEach(async () => {
  scripted = [];
  lastBody = null;
  server = await startLoopbackServer((req, url) => {
    if (url.pathname === '/embedding/image' || url.pathname === '/embedding/text' || url.pathname === '/api/embeddings') {
      const garbage = scripted.shift();
      if (garbage !== undefined) return { body: garbage, type: 'text/plain' };
      return { body: { embedding: [3, 4, 0, 0] } };
    }
    return null;
  });
  // Capture request bodies for the assertions on what was sent.
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    if (init?.body instanceof Blob) lastBody = Buffer.from(await init.body.arrayBuffer());
    else if (typeof init?.body === 'string') lastBody = Buffer.from(init.body);
    return original(input, init);
  };
  restoreFetch = () => (globalThis.fetch = original);
});

let restoreFetch: () => void;

afterEach(async () => {
  restoreFetch();
  await server.close();
});

const provider = (extra: Partial<RemoteProviderOptions> = {}) =>
  new RemoteProvider({
    endpoint: server.url,
    flavour: 'clip-service',
    model: 'lab-clip',
    baseDelayMs: 5,
    maxDelayMs: 20,
    timeoutMs: 2_000,
    ...extra,
  });
const hits = (path: string) => server.requests.filter((r) => r.path === path).length;

describe('RemoteProvider', () => {
  it('posts image bytes and text, and returns unit vectors of the learned size', async () => {
    const p = provider();
    const v = await p.embedImage(new Uint8Array([1, 2, 3]));
    expect(Array.from(v)).toEqual(Array.from(Float32Array.of(0.6, 0.8, 0, 0)));
    expect(lastBody).toEqual(Buffer.from([1, 2, 3]));
    expect(p.vectorSize).toBe(4);
    const t = await p.embedText('orange bracket');
    expect(dot(t, t)).toBeCloseTo(1, 6);
    expect(JSON.parse(lastBody!.toString())).toEqual({ text: 'orange bracket' });
    expect(p.modelId).toBe('remote:clip-service:lab-clip');
  });

  it("speaks Ollama's /api/embeddings with base64 images", async () => {
    const p = provider({ flavour: 'ollama', model: 'llava' });
    await p.embedImage(new Uint8Array([9, 9]));
    expect(JSON.parse(lastBody!.toString())).toEqual({ model: 'llava', prompt: '', images: ['CQk='] });
    expect(hits('/api/embeddings')).toBe(1);
  });

  it('retries 5xx and garbage answers with backoff, then succeeds', async () => {
    server.fault('/embedding/image', { kind: 'status', status: 503 }, { kind: 'status', status: 500 });
    expect((await provider().embedImage(new Uint8Array([1]))).length).toBe(4);
    expect(hits('/embedding/image')).toBe(3);
    scripted.push('<html>proxy error</html>', '{"embedding": [1, "x"]}');
    expect((await provider().embedImage(new Uint8Array([1]))).length).toBe(4);
    expect(hits('/embedding/image')).toBe(6);
  });

  it('gives up after the retries with the last reason, and does not retry a 4xx', async () => {
    server.fault('/embedding/text', ...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 502 })));
    await expect(provider({ retries: 3 }).embedText('x')).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      message: expect.stringMatching(/HTTP 502/),
    });
    expect(hits('/embedding/text')).toBe(4);
    server.fault('/embedding/text', { kind: 'status', status: 400 });
    await expect(provider().embedText('x')).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      message: expect.stringMatching(/refused the request: HTTP 400/),
    });
    expect(hits('/embedding/text')).toBe(5);
  });

  it('times out a hanging service', async () => {
    server.fault('/embedding/image', { kind: 'hang' }, { kind: 'hang' });
    await expect(provider({ timeoutMs: 150, retries: 1 }).embedImage(new Uint8Array([1]))).rejects.toMatchObject({
      message: expect.stringMatching(/no answer within 150 ms/),
    });
    expect(hits('/embedding/image')).toBe(2);
  });

  it('rejects an answer whose size changed (it would mix spaces)', async () => {
    const p = provider({ retries: 0 });
    await p.embedImage(new Uint8Array([1]));
    scripted.push('{"embedding": [1, 2, 3]}');
    await expect(p.embedImage(new Uint8Array([1]))).rejects.toThrow(/3 dimensions, expected 4/);
  });

  it('opens the breaker after repeated failures, fails fast while open, probes once half-open, and closes on success', async () => {
    const p = provider({ retries: 0, failureThreshold: 3, cooldownMs: 250 });
    server.fault('/embedding/image', ...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 500 })));
    for (let i = 0; i < 3; i++) await expect(p.embedImage(new Uint8Array([1]))).rejects.toThrow(/HTTP 500/);
    expect(p.breakerState).toBe('open');
    await expect(p.embedImage(new Uint8Array([1]))).rejects.toThrow(/circuit open/);
    expect(hits('/embedding/image')).toBe(3); // failed fast: no request
    await new Promise((r) => setTimeout(r, 300));
    expect(p.breakerState).toBe('half-open');
    await expect(p.embedImage(new Uint8Array([1]))).rejects.toThrow(/HTTP 500/); // the probe fails
    expect(p.breakerState).toBe('open');
    await new Promise((r) => setTimeout(r, 300));
    expect((await p.embedImage(new Uint8Array([1]))).length).toBe(4); // the probe succeeds
    expect(p.breakerState).toBe('closed');
    expect(hits('/embedding/image')).toBe(5);
  });
});

describe('CircuitBreaker and backoff', () => {
  it('lets exactly one probe through while half-open', async () => {
    let now = 0;
    const breaker = new CircuitBreaker('svc', { failureThreshold: 1, coolDownMs: 100, now: () => now });
    await expect(breaker.run(() => Promise.reject(new Error('down')))).rejects.toThrow('down');
    now = 150;
    let release!: () => void;
    const probe = breaker.run(() => new Promise<string>((r) => (release = () => r('ok'))));
    await expect(breaker.run(() => Promise.resolve('second'))).rejects.toThrow(/circuit open/);
    release();
    expect(await probe).toBe('ok');
    expect(breaker.state).toBe('closed');
  });

  it('grows the backoff ceiling exponentially with full jitter, capped', () => {
    const opts = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4].map((a) => backoffDelay(a, { ...opts, random: () => 1 }))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(3, { ...opts, random: () => 0.5 })).toBe(400);
    expect(backoffDelay(3, { ...opts, random: () => 0 })).toBe(0);
  });
});
