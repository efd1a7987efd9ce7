import { describe, expect, it } from 'vitest';
import { manifestChildKey, RunFinishedWakes } from '../../world/agents-server/RunFinishedWakes.ts';

describe('the runFinished wake registry (B11)', () => {
  const key = manifestChildKey('child', 'child-1');

  it('deduplicates a registration by its manifest key: the spawn passing the key and the manifest side make one (the fix)', () => {
    const registry = new RunFinishedWakes();
    expect(registry.register({ parent: 'digest-1', child: 'child-1', manifestKey: key, by: 'spawn' })).toBe(true);
    expect(registry.register({ parent: 'digest-1', child: 'child-1', manifestKey: key, by: 'manifest' })).toBe(false);
    expect(registry.watching('child-1')).toHaveLength(1);
  });

  it('keeps a registration without a key beside the keyed one: two wakes per finished run (the defect)', () => {
    const registry = new RunFinishedWakes();
    expect(registry.register({ parent: 'digest-1', child: 'child-1', manifestKey: undefined, by: 'spawn' })).toBe(true);
    expect(registry.register({ parent: 'digest-1', child: 'child-1', manifestKey: key, by: 'manifest' })).toBe(true);
    expect(registry.watching('child-1').map((registration) => registration.by)).toEqual(['spawn', 'manifest']);
    expect(registry.watching('child-2')).toEqual([]);
  });

  it('does not take the same key of another parent for the same registration', () => {
    const registry = new RunFinishedWakes();
    registry.register({ parent: 'digest-1', child: 'child-1', manifestKey: key, by: 'spawn' });
    expect(registry.register({ parent: 'digest-2', child: 'child-1', manifestKey: key, by: 'manifest' })).toBe(true);
  });
});
