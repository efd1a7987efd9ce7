import { describe, expect, it } from 'vitest';
import { SharedDbHandle } from '../../../runtimes/v06/shared-state/SharedDbHandle.ts';

describe('v0.6 shared-state handle before it is wired', () => {
  it('connect mode: __electricCollection is undefined without an error; toArray and insert throw', async () => {
    const handle = new SharedDbHandle('digest-log', 'connect', false);
    expect(handle.__electricCollection).toBeUndefined();
    expect(() => handle.toArray()).toThrow('shared DB "digest-log" is not loaded yet');
    await expect(handle.insert({ key: 'k', value: 1 })).rejects.toThrow('shared DB "digest-log" is not loaded yet');
  });

  it('create mode: reads and writes work on staged rows; the raw collection is still undefined', async () => {
    const handle = new SharedDbHandle('fresh', 'create', false);
    expect(handle.toArray()).toEqual([]);
    await handle.insert({ key: 'k', value: 1 });
    expect(handle.toArray()).toEqual([{ key: 'k', value: 1 }]);
    expect(handle.__electricCollection).toBeUndefined();
    expect(handle.wired).toBe(false);
  });
});
