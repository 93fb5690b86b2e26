// The request target parser of serve: only origin-form paths pass, malformed escapes are 400s, never exceptions.
import { describe, expect, it } from 'vitest';
import { HttpRefusal } from '../../../src-main/server/http-status';
import { decodePercent, parseRequestTarget } from '../../../src-main/server/request-target';

describe('parseRequestTarget', () => {
  it('splits the path from the query without decoding the path', () => {
    const target = parseRequestTarget('/media/derivatives/%61b/x.jpg?token=a%2Bb&x');
    expect(target.pathname).toBe('/media/derivatives/%61b/x.jpg');
    expect(target.searchParams.get('token')).toBe('a+b');
  });

  it('refuses what another origin or no path would be', () => {
    for (const raw of ['//', '//evil.example/x', '/\\evil.example', 'http://evil.example/', '*', '']) {
      expect(() => parseRequestTarget(raw), raw).toThrow(HttpRefusal);
    }
  });

  it('reads a malformed escape in the query without throwing (it simply never equals the token)', () => {
    expect(parseRequestTarget('/?token=%E0%A4%A').searchParams.get('token')).toMatch(/%A$/);
  });
});

describe('decodePercent', () => {
  it('decodes valid escapes and answers malformed ones with a 400 naming the part', () => {
    expect(decodePercent('caf%C3%A9', 'the path')).toBe('café');
    for (const bad of ['%E0%A4%A', '%ZZ', '%']) {
      const err = (() => {
        try {
          decodePercent(bad, 'the media path');
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(HttpRefusal);
      expect((err as HttpRefusal).status).toBe(400);
      expect((err as Error).message).toBe('the media path is not valid percent-encoding');
    }
  });
});
