import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BusyStreams } from '../../../runtimes/v06/claims/BusyStreams.ts';
import { deferralFor } from '../../../runtimes/v06/claims/deferralFor.ts';
import { SameStreamClaimGuard } from '../../../runtimes/v06/claims/SameStreamClaimGuard.ts';
import type { DeferralValue } from '../../../runtimes/v06/config/v06Switches.ts';

/** A wake event as the scripted case names it: its stream and generation. */
type Wake = `${string}#${number}`;

const streamOf = (wake: Wake): string => wake.split('#')[0]!;

/**
 * The guard with a claimer that, like the runner, marks the stream busy while a claim is in flight; the test ends
 * claims by hand and records what was claimed and what was displaced, in order.
 */
function scriptedGuard(deferral: DeferralValue) {
  const busy = new BusyStreams();
  const claimed: Wake[] = [];
  const displaced: Wake[] = [];
  const guard = new SameStreamClaimGuard<Wake>(busy, deferralFor<Wake>(deferral), {
    claim: (wake) => {
      busy.claimStarted(streamOf(wake));
      claimed.push(wake);
    },
    displaced: (wake) => displaced.push(wake),
  });
  const offer = (wake: Wake): void => guard.offer(streamOf(wake), wake);
  return { busy, guard, claimed, displaced, offer };
}

describe('v0.6 same-stream claim guard (#4616) and its deferral (O1)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('claims an event for an idle stream at once, and events of other streams whatever one stream does', () => {
    const { busy, claimed, offer } = scriptedGuard('one-slot');
    busy.wakeStarted('sub:a');
    offer('sub:b#1');
    offer('sub:c#1');
    expect(claimed).toEqual(['sub:b#1', 'sub:c#1']);
  });

  /**
   * The scripted case: stream A runs a wake; events A#2, A#3, A#4 arrive meanwhile (a re-delivered event, children
   * finishing); then the wake ends. Each claim the guard starts ends 10 ms later with nothing to run.
   */
  async function scriptedCase(deferral: DeferralValue) {
    const setup = scriptedGuard(deferral);
    const { busy, claimed, offer } = setup;
    offer('sub:a#1');
    busy.wakeStarted('sub:a');
    busy.claimEnded('sub:a');
    offer('sub:a#2');
    offer('sub:a#3');
    offer('sub:a#4');
    // Retried every 25 ms while the wake runs: nothing is claimed.
    await vi.advanceTimersByTimeAsync(100);
    expect(claimed).toEqual(['sub:a#1']);
    busy.wakeEnded('sub:a');
    for (let tick = 0; tick < 20; tick += 1) {
      const before = claimed.length;
      await vi.advanceTimersByTimeAsync(25);
      if (claimed.length > before) {
        await vi.advanceTimersByTimeAsync(10);
        busy.claimEnded('sub:a');
      }
    }
    return setup;
  }

  it('one-slot (as shipped): only the newest deferred event is claimed; the others are displaced, never claimed', async () => {
    const { claimed, displaced } = await scriptedCase('one-slot');
    expect(claimed).toEqual(['sub:a#1', 'sub:a#4']);
    expect(displaced).toEqual(['sub:a#2', 'sub:a#3']);
  });

  it('fifo (the proposed fix): every deferred event is claimed, in arrival order, one claim at a time', async () => {
    const { claimed, displaced } = await scriptedCase('fifo');
    expect(claimed).toEqual(['sub:a#1', 'sub:a#2', 'sub:a#3', 'sub:a#4']);
    expect(displaced).toEqual([]);
  });

  it('an event arriving while earlier ones of its stream wait queues behind them, even once the stream is idle', async () => {
    const { busy, claimed, offer } = scriptedGuard('fifo');
    busy.wakeStarted('sub:a');
    offer('sub:a#2');
    busy.wakeEnded('sub:a');
    offer('sub:a#3');
    expect(claimed).toEqual([]);
    await vi.advanceTimersByTimeAsync(25);
    expect(claimed).toEqual(['sub:a#2']);
  });

  it('claims nothing once closed, and hands back what was still deferred', async () => {
    const { busy, guard, claimed, offer } = scriptedGuard('fifo');
    busy.wakeStarted('sub:a');
    offer('sub:a#2');
    offer('sub:a#3');
    expect(guard.close()).toEqual(['sub:a#2', 'sub:a#3']);
    busy.wakeEnded('sub:a');
    offer('sub:a#4');
    await vi.advanceTimersByTimeAsync(100);
    expect(claimed).toEqual([]);
  });
});
