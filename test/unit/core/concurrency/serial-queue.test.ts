// SerialQueue: tasks never overlap, run in the order queued, and one failure does not stop the rest.
import { describe, expect, it } from 'vitest';
import { SerialQueue } from '../../../../src-main/core/concurrency/serial-queue';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('SerialQueue', () => {
  it('runs tasks one at a time in order, and a failure fails only its own caller', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    let running = 0;
    const task =
      (name: string, fail = false) =>
      async () => {
        running++;
        expect(running).toBe(1);
        log.push(`start ${name}`);
        await tick();
        log.push(`end ${name}`);
        running--;
        if (fail) throw new Error(`${name} failed`);
        return name;
      };
    const results = await Promise.allSettled([queue.run(task('a')), queue.run(task('b', true)), queue.run(task('c'))]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['a', 'b failed', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });
});
