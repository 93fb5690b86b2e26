// A method's input schema is built on its first use, once: a command that validates one method's input does not pay
// for building every method's schema at start-up.
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { api } from '../../../src-shared/api';
import { method, returns } from '../../../src-shared/api/define';

describe('method', () => {
  it('builds its input schema on first use, and only once', () => {
    let builds = 0;
    const spec = method(() => {
      builds += 1;
      return z.object({ limit: z.number().int().default(10) });
    }, returns<number>());
    expect(builds).toBe(0);
    expect(spec.input.parse({})).toEqual({ limit: 10 });
    expect(spec.input).toBe(spec.input);
    expect(builds).toBe(1);
  });

  it('gives every API method a schema that validates', () => {
    expect(api['stats.get'].input.safeParse({}).success).toBe(true);
    expect(api['images.list'].input.safeParse({ limit: 0 }).success).toBe(false);
  });
});
