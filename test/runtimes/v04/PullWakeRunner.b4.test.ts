import { describe, expect, it } from 'vitest';
import { AGENTS_ROUTES, type WakeNotification } from '../../../protocol/agents/agentsRoutes.ts';
import type { EntityHandler } from '../../../protocol/entity/EntityHandler.ts';
import { streamPath, type WakeEvent } from '../../../protocol/streams/streamsProtocol.ts';
import type { V04Config } from '../../../runtimes/v04/config.ts';
import { PullWakeRunner } from '../../../runtimes/v04/runner/PullWakeRunner.ts';
import type { TraceValue } from '../../../sim/trace/Trace.ts';
import type { SimResponse } from '../../../world/http/SimResponse.ts';
import { track } from '../../world/simHelpers.ts';
import { emptyAnswer, jsonAnswer, type FakeHost, type Responder } from './fakeHost.ts';
import { streamsServiceHost } from './streamsServiceHost.ts';

const RUNNER_ID = 'runner-1';
const WAKE_STREAM = `runners/${RUNNER_ID}/wake`;
const WAKE_PATH = streamPath(WAKE_STREAM);
const LONG_POLL_TIMEOUT_MS = 20_000;

const wakeEvent = (entity: string): TraceValue => ({ type: 'wake', subscription_id: `sub:${entity}`, stream: `entities/${entity}/inbox`, generation: 1, ts: 0 }) satisfies WakeEvent;
const granted = (entity: string, type: string): WakeNotification => ({
  wake_id: `w-${entity}`,
  subscription_id: `sub:${entity}`,
  generation: 1,
  entity: { id: entity, type },
  streams: [],
  write_token: `wt-${entity}`,
  lease_ttl_ms: 30_000,
});

/** Answers with `answers` in turn, each after `delayMs` of virtual time (as a slow network or server would). */
function inTurnAfter(delayMs: number, ...answers: readonly SimResponse[]): Responder {
  let next = 0;
  return () => {
    const answer = answers[Math.min(next++, answers.length - 1)]!;
    return new Promise<SimResponse>((resolve) => setTimeout(() => resolve(answer), delayMs));
  };
}

/**
 * A runner whose wake stream holds one wake event per entity of `entities`; each claim is granted in that order after
 * `claimDelayMs`. Handlers record the wakes they ran and take `handlerMs` (per entity type) of virtual time.
 */
function runnerWith(config: Partial<V04Config>, entities: readonly { readonly id: string; readonly type: string }[], handlerMs: Readonly<Record<string, number>>, claimDelayMs = 0) {
  const handled: Array<{ readonly wakeId: string; readonly atMs: number }> = [];
  const handler =
    (type: string): EntityHandler =>
    async (ctx) => {
      handled.push({ wakeId: ctx.wakeId, atMs: Date.now() });
      const ms = handlerMs[type] ?? 0;
      if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
    };
  const types = [...new Set(entities.map((entity) => entity.type))];
  const { host, streams, time } = streamsServiceHost(LONG_POLL_TIMEOUT_MS, { config, handlers: new Map(types.map((type) => [type, handler(type)])) });
  streams.create(WAKE_PATH);
  for (const entity of entities) streams.append(WAKE_PATH, wakeEvent(entity.id));
  host
    .on('POST', AGENTS_ROUTES.heartbeat(RUNNER_ID), () => emptyAnswer(204))
    .on('POST', AGENTS_ROUTES.claim(RUNNER_ID), inTurnAfter(claimDelayMs, ...entities.map((entity) => jsonAnswer(200, granted(entity.id, entity.type))), emptyAnswer(204)));
  for (const entity of entities) {
    host.on('GET', AGENTS_ROUTES.manifest(entity.id), () => jsonAnswer(200, { rows: [] })).on('POST', AGENTS_ROUTES.done(`w-${entity.id}`), () => jsonAnswer(200, { next_wake: false }));
  }
  const runner = new PullWakeRunner(host.environment(), { runnerId: RUNNER_ID, wakeStream: WAKE_STREAM, startOffset: '-1' });
  return { host, time, runner, handled };
}

const claimsSent = (host: FakeHost) => host.requests.filter((request) => request.target === AGENTS_ROUTES.claim(RUNNER_ID)).length;
const wakeStreamReads = (host: FakeHost) => host.requests.filter((request) => request.method === 'GET' && request.target.startsWith(WAKE_PATH)).length;
const annotated = (host: FakeHost, kind: string) => host.annotations.filter((annotation) => annotation.kind === kind);

const TWO_ENTITIES = [
  { id: 'slow', type: 'slow' },
  { id: 'quick', type: 'quick' },
] as const;

describe('claim-concurrency (historical B4(b)): one read holding wake events of two entities, the first one\'s handler taking 60 s', () => {
  it('concurrent (the fix): both are claimed at once, both handlers start at once, and the runner reads on', async () => {
    const setup = runnerWith({ claimConcurrency: 'concurrent' }, TWO_ENTITIES, { slow: 60_000 });
    await setup.time.run(async () => {
      setup.runner.start();
      await setup.time.advanceTo(1_000);
      expect(claimsSent(setup.host)).toBe(2);
      expect(setup.handled.map((wake) => wake.wakeId)).toEqual(['w-slow', 'w-quick']);
      // The catch-up read, then a live read held by the service.
      expect(wakeStreamReads(setup.host)).toBe(2);
    });
  });

  it('serial (the defect): the second is claimed only once the first wake drained, and no read goes out meanwhile', async () => {
    const setup = runnerWith({ claimConcurrency: 'serial' }, TWO_ENTITIES, { slow: 60_000 });
    await setup.time.run(async () => {
      setup.runner.start();
      await setup.time.advanceTo(59_000);
      expect(claimsSent(setup.host)).toBe(1);
      expect(setup.handled.map((wake) => wake.wakeId)).toEqual(['w-slow']);
      expect(wakeStreamReads(setup.host)).toBe(1);
      await setup.time.advanceTo(61_000);
      expect(claimsSent(setup.host)).toBe(2);
      expect(setup.handled.map((wake) => wake.wakeId)).toEqual(['w-slow', 'w-quick']);
      expect(setup.handled[1]!.atMs).toBeGreaterThanOrEqual(60_000);
      expect(wakeStreamReads(setup.host)).toBe(2);
    });
  });

  it('serial: a stop during the drain ends the loop; the event left in the read is never claimed', async () => {
    const setup = runnerWith({ claimConcurrency: 'serial' }, TWO_ENTITIES, { slow: 5_000 });
    await setup.time.run(async () => {
      setup.runner.start();
      await setup.time.advanceTo(1_000);
      const stopped = track(setup.runner.stop());
      await setup.time.advanceTo(60_000);
      expect(stopped.settled).toBe(true);
      expect(claimsSent(setup.host)).toBe(1);
      expect(setup.handled.map((wake) => wake.wakeId)).toEqual(['w-slow']);
    });
  });
});

describe('stop-gate (historical B4(c)): a stop begins while a granted claim\'s answer is on its way', () => {
  const ONE_ENTITY = [{ id: 'e1', type: 'echo' }] as const;

  /** Starts the runner, stops it `stopAtMs` in (the claim went out at once and is answered after `claimDelayMs`). */
  async function stopDuringClaim(config: Partial<V04Config>, claimDelayMs: number, handlerMs = 0) {
    const setup = runnerWith(config, ONE_ENTITY, { echo: handlerMs }, claimDelayMs);
    let stoppedAtMs = Number.NaN;
    await setup.time.run(async () => {
      setup.runner.start();
      await setup.time.advanceTo(100);
      expect(claimsSent(setup.host)).toBe(1);
      const stopped = track(setup.runner.stop().then(() => void (stoppedAtMs = Date.now())));
      await setup.time.advanceTo(120_000);
      expect(stopped.settled).toBe(true);
    });
    return { ...setup, stoppedAtMs };
  }

  it('accepting-claims (the fix): the answer is dropped; no wake runs', async () => {
    const setup = await stopDuringClaim({ stopGate: 'accepting-claims' }, 500);
    expect(setup.handled).toEqual([]);
    expect(annotated(setup.host, 'claim-aborted').map((annotation) => annotation.detail['granted'])).toEqual([true]);
  });

  it('none (the defect): the granted claim is dispatched after SIGTERM, within the stop\'s wait for claims', async () => {
    const setup = await stopDuringClaim({ stopGate: 'none' }, 500);
    expect(setup.handled.map((wake) => wake.wakeId)).toEqual(['w-e1']);
    expect(annotated(setup.host, 'claim-dispatched-during-stop').map((annotation) => annotation.detail['wakesAborted'])).toEqual([false]);
  });

  it('none: an answer after the stop aborted its wakes starts a wake nothing aborts, and the stop ends without it', async () => {
    const setup = await stopDuringClaim({ stopGate: 'none' }, 2_000, 30_000);
    expect(setup.handled.map((wake) => wake.wakeId)).toEqual(['w-e1']);
    expect(annotated(setup.host, 'claim-dispatched-during-stop').map((annotation) => annotation.detail['wakesAborted'])).toEqual([true]);
    // The stop settled while the wake's handler still ran; the wake ends (and sends its done) on its own.
    expect(setup.stoppedAtMs).toBeLessThan(setup.handled[0]!.atMs + 30_000);
    expect(annotated(setup.host, 'wake-acked').map((annotation) => annotation.detail['outcome'])).toEqual(['completed']);
  });
});
