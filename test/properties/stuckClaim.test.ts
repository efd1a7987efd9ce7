import { describe, expect, it } from 'vitest';
import { historyOf, judgeBy, TraceBuilder } from './handMadeTraces.ts';

const claim = (leaseHeld: boolean | undefined) => ({
  wakeId: 'w1',
  subscription: 'sub:e1',
  runner: 'r1',
  generation: 1,
  claimedAtMs: 1_000,
  ...(leaseHeld === undefined ? {} : { leaseHeld }),
});

describe('stuck-claim', () => {
  it('flags a claim still active at the end whose lease ended and whose wake no handler runs', () => {
    const violations = judgeBy('stuck-claim', historyOf([], { endState: { liveHosts: ['host#2'], activeClaims: [claim(false)] } }));
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).toContain('claim of wake w1 (generation 1) on sub:e1 by r1 active since 1000 ms with no live wake');
  });

  it('is quiet for a claim whose lease is still held, or whose handler still runs in a live host', () => {
    expect(judgeBy('stuck-claim', historyOf([], { endState: { liveHosts: ['host#1'], activeClaims: [claim(true)] } }))).toEqual([]);
    const running = new TraceBuilder().at(5_000, 'host#1', 'handler-start', { entity: 'e1', wakeId: 'w1', inputs: [] });
    expect(judgeBy('stuck-claim', historyOf(running.events, { endState: { liveHosts: ['host#1'], activeClaims: [claim(false)] } }))).toEqual([]);
  });

  it('without a lease reading, a handler open only in a dead host does not keep the claim alive', () => {
    const diedRunning = new TraceBuilder().at(5_000, 'host#1', 'handler-start', { entity: 'e1', wakeId: 'w1', inputs: [] });
    const history = historyOf(diedRunning.events, { endState: { liveHosts: ['host#2'], activeClaims: [claim(undefined)] } });
    expect(judgeBy('stuck-claim', history)).toHaveLength(1);
  });
});
