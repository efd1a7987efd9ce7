import { describe, expect, it } from 'vitest';
import { RandomChoiceSource } from '../../sim/choice/RandomChoiceSource.ts';
import { runSeed } from '../../sim/explore/runSeed.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';
import { runScenario, type RunResult } from '../../scenarios/runScenario.ts';
import { BOTH_FIXES, digestSpec } from './helpers.ts';

const SHARED_READ = '/v1/stream/shared/digest-log';
const MAX_SEEDS = 60;

/** The index of the first refusal of `kind` of a catch-up read of the shared stream in `events`. */
const refusedPreload = (events: readonly TraceEvent[], kind: string): number =>
  events.findIndex((event) => event.kind === 'fault' && event.detail['kind'] === kind && event.detail['path'] === SHARED_READ);

/** The first run (of the tier `streams`) in which Durable Streams refused a shared-state preload with a `kind` fault. */
async function runWithRefusedPreload(streams: 'real' | 'fast', kind: string): Promise<{ readonly run: RunResult; readonly at: number }> {
  for (let index = 0; index < MAX_SEEDS; index += 1) {
    const run = await runScenario(digestSpec({ ...BOTH_FIXES, streams }, [kind]), new RandomChoiceSource(runSeed(15, index)));
    const at = refusedPreload(run.events, kind);
    if (at >= 0) return { run, at };
  }
  throw new Error(`no ${kind} on a preload in ${MAX_SEEDS} runs`);
}

describe('the library tier retries 503 and 429 with the real client\'s backoff', () => {
  it.each(['server-error', 'rate-limit'])('a %s on a preload is retried by @durable-streams/client: the preload does not fail, and a later read succeeds', async (kind) => {
    const { run, at } = await runWithRefusedPreload('real', kind);
    const refusal = run.events[at]!.detail;
    expect(kind === 'rate-limit' ? refusal['status'] === 429 : Number(refusal['status']) >= 500).toBe(true);
    const peer = String(refusal['peer']);
    const later = run.events.slice(at + 1);
    expect(run.events.filter((event) => event.kind === 'preload-failed')).toEqual([]);
    expect(later.some((event) => event.kind === 'stream-read' && event.detail['peer'] === peer && event.detail['stream'] === 'shared/digest-log' && event.detail['status'] === 200)).toBe(true);
    expect(later.some((event) => event.kind === 'handle-wired' && event.actor === peer)).toBe(true);
  });

  it('the runtime\'s own client (fast tier) does what it does with the same answer: the preload fails', async () => {
    const { run, at } = await runWithRefusedPreload('fast', 'server-error');
    const status = String(run.events[at]!.detail['status']);
    expect(run.events.some((event) => event.kind === 'preload-failed' && String(event.detail['error']).includes(status))).toBe(true);
  });
});
