import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HeartbeatPump } from '../../../runtimes/v06/heartbeat/HeartbeatPump.ts';

/** A pump over a scripted server: each send answers with the next scripted outcome (success when the script is out). */
function scriptedPump(script: Array<'ok' | 'fail'> = []) {
  const sent: Array<{ atMs: number; offset: string }> = [];
  let offset = '-1';
  let resets = 0;
  const pump = new HeartbeatPump({
    reportedOffset: () => offset,
    send: async (reported) => {
      sent.push({ atMs: Date.now(), offset: reported });
      if (script.shift() === 'fail') throw new Error('503');
    },
    failureStreak: () => {
      resets += 1;
    },
    annotate: () => {},
  });
  return {
    pump,
    sent,
    moveTo: (next: string) => {
      offset = next;
      pump.offsetMayHaveChanged();
    },
    resets: () => resets,
  };
}

describe('v0.6 heartbeats', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it('beat every 30 s', async () => {
    const { pump, sent } = scriptedPump();
    pump.start();
    await vi.advanceTimersByTimeAsync(95_000);
    expect(sent.map((beat) => beat.atMs)).toEqual([30_000, 60_000, 90_000]);
  });

  it('beat on an offset change, at most one per 2 s, carrying the latest offset', async () => {
    const { sent, moveTo } = scriptedPump();
    moveTo('0_1');
    await vi.advanceTimersByTimeAsync(10);
    moveTo('0_2');
    moveTo('0_3');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toEqual([{ atMs: 0, offset: '0_1' }]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toEqual([
      { atMs: 0, offset: '0_1' },
      { atMs: 2_000, offset: '0_3' },
    ]);
  });

  it('reset the stream after two failures in a row, and not after failures with a success between them', async () => {
    const { pump, resets } = scriptedPump(['fail', 'ok', 'fail', 'fail', 'fail']);
    pump.start();
    await vi.advanceTimersByTimeAsync(90_000);
    expect(resets()).toBe(0);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(resets()).toBe(1);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(resets()).toBe(1);
  });

  it('send a final heartbeat on stop, and none after it', async () => {
    const { pump, sent, moveTo } = scriptedPump();
    pump.start();
    moveTo('0_7');
    await vi.advanceTimersByTimeAsync(10);
    moveTo('0_8');
    await pump.final();
    expect(sent.map((beat) => beat.offset)).toEqual(['0_7', '0_8']);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(sent).toHaveLength(2);
  });
});
