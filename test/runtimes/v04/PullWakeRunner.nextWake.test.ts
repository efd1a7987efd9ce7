import { describe, expect, it } from 'vitest';
import { AGENTS_ROUTES, type WakeNotification } from '../../../protocol/agents/agentsRoutes.ts';
import type { EntityHandler } from '../../../protocol/entity/EntityHandler.ts';
import { streamPath, type WakeEvent } from '../../../protocol/streams/streamsProtocol.ts';
import type { ClaimGuardMode, NextWakeMode } from '../../../runtimes/v04/config.ts';
import { PullWakeRunner } from '../../../runtimes/v04/runner/PullWakeRunner.ts';
import type { TraceValue } from '../../../sim/trace/Trace.ts';
import { track } from '../../world/simHelpers.ts';
import { emptyAnswer, inTurn, jsonAnswer, type FakeHost } from './fakeHost.ts';
import { streamsServiceHost } from './streamsServiceHost.ts';

const RUNNER_ID = 'runner-1';
const WAKE_STREAM = `runners/${RUNNER_ID}/wake`;
const WAKE_PATH = streamPath(WAKE_STREAM);
const SUBSCRIPTION = 'sub:e1';
const LONG_POLL_TIMEOUT_MS = 20_000;
const wakeEvent: TraceValue = { type: 'wake', subscription_id: SUBSCRIPTION, stream: 'entities/e1/inbox', generation: 1, ts: 0 } satisfies WakeEvent;

/** The claim answer for generation `generation` of the entity (no stream with pending work: the handler just runs). */
const granted = (generation: number): WakeNotification => ({
  wake_id: `w${generation}`,
  subscription_id: SUBSCRIPTION,
  generation,
  entity: { id: 'e1', type: 'echo' },
  streams: [],
  write_token: `wt${generation}`,
  lease_ttl_ms: 30_000,
});

/**
 * A runner whose wake stream holds one wake event; the agents server grants generation 1, then generation 2 (the wake
 * a done issued and, as under `pending-wake=answer-only`, announced by its answer only), then nothing. The first done
 * answers `next_wake: true`, every later one `false`.
 */
function runnerWith(nextWake: NextWakeMode, claimGuard: ClaimGuardMode = 'none', handlerMs = 0) {
  const handled: string[] = [];
  const handler: EntityHandler = async (ctx) => {
    handled.push(ctx.wakeId);
    if (handlerMs > 0) await new Promise((resolve) => setTimeout(resolve, handlerMs));
  };
  const { host, streams, time } = streamsServiceHost(LONG_POLL_TIMEOUT_MS, { config: { nextWake, claimGuard }, handlers: new Map([['echo', handler]]) });
  streams.create(WAKE_PATH);
  streams.append(WAKE_PATH, wakeEvent);
  host
    .on('POST', AGENTS_ROUTES.heartbeat(RUNNER_ID), () => emptyAnswer(204))
    .on('POST', AGENTS_ROUTES.claim(RUNNER_ID), inTurn(jsonAnswer(200, granted(1)), jsonAnswer(200, granted(2)), emptyAnswer(204)))
    .on('GET', AGENTS_ROUTES.manifest('e1'), () => jsonAnswer(200, { rows: [] }))
    .on('POST', AGENTS_ROUTES.done('w1'), () => jsonAnswer(200, { next_wake: true }))
    .on('POST', AGENTS_ROUTES.done('w2'), () => jsonAnswer(200, { next_wake: false }));
  const runner = new PullWakeRunner(host.environment(), { runnerId: RUNNER_ID, wakeStream: WAKE_STREAM, startOffset: '-1' });
  return { host, time, runner, handled };
}

async function runFor(setup: ReturnType<typeof runnerWith>, ms: number): Promise<void> {
  await setup.time.run(async () => {
    setup.runner.start();
    await setup.time.advanceTo(ms);
    const stopped = track(setup.runner.stop());
    await setup.time.advanceTo(ms + 60_000);
    expect(stopped.settled).toBe(true);
  });
}

const claimsSent = (host: FakeHost) => host.requests.filter((request) => request.target === AGENTS_ROUTES.claim(RUNNER_ID)).length;
const kinds = (host: FakeHost) => host.annotations.map((annotation) => annotation.kind);

describe('next-wake: a done answered next_wake: true', () => {
  it('ignore (0.4.x, the defect): the answer is dropped; one claim, one wake, the pending wake is never claimed', async () => {
    const setup = runnerWith('ignore');
    await runFor(setup, 5_000);
    expect(claimsSent(setup.host)).toBe(1);
    expect(setup.handled).toEqual(['w1']);
    expect(kinds(setup.host)).not.toContain('next-wake');
  });

  it('claim (the fix): the runner claims the subscription again and runs the wake it is granted', async () => {
    const setup = runnerWith('claim');
    await runFor(setup, 5_000);
    expect(claimsSent(setup.host)).toBe(2);
    expect(setup.handled).toEqual(['w1', 'w2']);
    const detail = (kind: string) => setup.host.annotations.filter((annotation) => annotation.kind === kind).map((annotation) => annotation.detail);
    expect(detail('next-wake')).toEqual([{ subscription: SUBSCRIPTION, afterGeneration: 1 }]);
    expect(detail('next-wake-settled')).toEqual([{ subscription: SUBSCRIPTION, afterGeneration: 1, outcome: 'dispatched' }]);
    // The runtime models follow claims of wake events: the next-wake claim is not one of them.
    expect(detail('claim-settled')).toHaveLength(1);
  });

  it('claim with claim-guard=defer: the claim takes the guarded path, waiting for the wake that answered to end', async () => {
    const setup = runnerWith('claim', 'defer');
    await runFor(setup, 5_000);
    expect(setup.handled).toEqual(['w1', 'w2']);
    expect(setup.host.annotations.filter((annotation) => annotation.kind === 'claim-deferred').map((annotation) => annotation.detail)).toEqual([
      { offset: null, subscription: SUBSCRIPTION, generation: null, behind: 'w1' },
    ]);
  });

  it('claim, but a stop began before the answer came: no claim goes out after SIGTERM, and the pending wake is left', async () => {
    // The handler of w1 runs past the stop (at 5 s); the drain waits for it, and its done answers next_wake: true.
    const setup = runnerWith('claim', 'none', 6_000);
    await runFor(setup, 5_000);
    expect(claimsSent(setup.host)).toBe(1);
    expect(setup.handled).toEqual(['w1']);
    expect(setup.host.annotations.filter((annotation) => annotation.kind === 'next-wake-dropped').map((annotation) => annotation.detail)).toEqual([
      { subscription: SUBSCRIPTION, afterGeneration: 1, reason: 'stopping' },
    ]);
  });
});
