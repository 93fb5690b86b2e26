// The table of which domain module implements each API method: every module, once loaded, implements exactly the
// methods the table sends to it, so a method mapped to the wrong module fails here, not on a user's first call.
import { describe, expect, it } from 'vitest';
import { API_METHODS } from '../../../src-shared/api';
import { HANDLER_MODULES, handlerOf, METHOD_MODULES } from '../../../src-main/core/method-handlers';

describe('method handlers', () => {
  it('maps every contract method to a module that implements exactly the methods mapped to it', async () => {
    expect(Object.keys(METHOD_MODULES).sort()).toEqual([...API_METHODS].sort());
    for (const [name, load] of Object.entries(HANDLER_MODULES)) {
      const implemented = Object.keys(await load()).sort();
      const mapped = API_METHODS.filter((m) => METHOD_MODULES[m] === name).sort();
      expect(implemented, name).toEqual(mapped);
    }
  });

  it('answers the same function for each call of a method (its module is imported once)', async () => {
    const first = await handlerOf('stats.get');
    expect(typeof first).toBe('function');
    expect(await handlerOf('stats.get')).toBe(first);
    expect(await handlerOf('images.list')).toBe((await HANDLER_MODULES.images())['images.list']);
  });
});
