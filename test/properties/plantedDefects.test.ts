import { describe, expect, it } from 'vitest';
import type { DirectRequest, DirectResponse } from '../../protocol/host/DirectTransport.ts';
import type { RuntimeUnderTest } from '../../protocol/host/RuntimeUnderTest.ts';
import { v04Runtime } from '../../runtimes/v04/v04Runtime.ts';
import { setUpDailyDigest } from '../../scenarios/daily-digest/dailyDigestScenario.ts';
import { DEFAULT_DIGEST_OPTIONS } from '../../scenarios/daily-digest/DigestScenarioOptions.ts';
import type { Scenario } from '../../scenarios/index.ts';
import { runScenario, type RunResult } from '../../scenarios/runScenario.ts';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import { BOTH_FIXES, digestSpec, HARDENED } from '../acceptance/helpers.ts';

/**
 * One day (the cron tick at 60 s) and one message at 120 s, no faults: two wakes, both clean when nothing is planted.
 * Every run drops the runtime's annotations: the properties judge from the world's observations and the probes.
 */
const TWO_WAKES = [0, 1, 120_000];

/** The v0.4 runtime with `wire` between it and its direct transport: a defect planted at the wire. */
const plantedAtTheWire = (wire: (request: DirectRequest, send: (request: DirectRequest) => Promise<DirectResponse>) => Promise<DirectResponse>): RuntimeUnderTest => ({
  ...v04Runtime,
  startHost: (host) => v04Runtime.startHost({ ...host, transport: (request) => wire(request, host.transport) }),
});

const runPlanted = (options: { runtime?: RuntimeUnderTest; scenario?: Scenario }): Promise<RunResult> =>
  runScenario(digestSpec(BOTH_FIXES, []), new RecordedChoiceSource(TWO_WAKES), { ...options, dropAnnotations: true });
const firing = (result: RunResult, property: string) => result.violations.filter((violation) => violation.property === property);

describe('each property fires on a real run with a defect planted for it', () => {
  it('nothing fires on the same story without a plant', async () => {
    // Model conformance follows the runtime's annotations, which these runs drop; every other property needs none.
    const judgedFromOutside = (await runPlanted({})).violations.filter((violation) => violation.property !== 'model-conformance');
    expect(judgedFromOutside).toEqual([]);
  });

  it('lost-work: a runtime that loses the last item of an inbox read acks past a message its handler never saw', async () => {
    const dropsLastInboxItem = plantedAtTheWire(async (request, send) => {
      const answer = await send(request);
      if (request.method !== 'GET' || !request.url.includes('/inbox') || answer.status !== 200) return answer;
      return { ...answer, body: JSON.stringify((JSON.parse(answer.body) as unknown[]).slice(0, -1)) };
    });
    const result = await runPlanted({ runtime: dropsLastInboxItem });
    const [lost] = firing(result, 'lost-work');
    expect(lost?.message).toMatch(/^sub:digest-1 acked entities\/digest-1\/inbox to \S+ \(generation 2\), past the item at \S+ no handler of digest-1 was given$/);
    expect(result.events[lost!.eventIndex!]!.kind).toBe('acks-applied');
  });

  it('stale-read: preloads answered from an empty copy of the shared stream hide the day the entity recorded, though the chat deduplicates the post', async () => {
    // A cache in front of the shared stream that lost its rows: every preload reads an empty, caught-up stream.
    const emptySharedStream = plantedAtTheWire(async (request, send) => {
      const answer = await send(request);
      if (request.method !== 'GET' || !request.url.includes('/v1/stream/shared/') || answer.status !== 200) return answer;
      return { ...answer, body: '[]' };
    });
    const keyedPosts = digestSpec({ ...BOTH_FIXES, 'post-key': 'action', 'chat-idempotency': 'honor' }, []);
    const result = await runScenario(keyedPosts, new RecordedChoiceSource(TWO_WAKES), { runtime: emptySharedStream, dropAnnotations: true });
    const [stale] = firing(result, 'stale-read');
    expect(stale?.message).toMatch(/^digest-1 digest:0 not found by wake \S+ in host#1 \(started at 120\d{3} ms\), though host#1 recorded it at 60\d{3} ms$/);
    expect(result.events[stale!.eventIndex!]!.kind).toBe('idempotency-check');
    // The second post reached the chat and was deduplicated by its key: duplicate-action, which judges what the chat
    // performed, does not see it.
    expect(result.events.some((event) => event.kind === 'post-deduplicated')).toBe(true);
    expect(firing(result, 'duplicate-action')).toEqual([]);
  });

  it('concurrent-wake: a handler slower than the lease runs on while the entity is woken again', async () => {
    const slowHandler: Scenario = {
      name: 'daily-digest',
      summary: 'planted: a handler that outlives its 30 s lease',
      followedByComposedModel: true,
      setUp: (sim, spec, runtime) =>
        setUpDailyDigest(sim, spec, runtime, { ...DEFAULT_DIGEST_OPTIONS, plantInHandler: (handler) => async (ctx) => {
          await new Promise((resolve) => setTimeout(resolve, 40_000));
          await handler(ctx);
        } }),
    };
    const [concurrent] = firing(await runPlanted({ scenario: slowHandler }), 'concurrent-wake');
    expect(concurrent?.message).toMatch(/^digest-1: wake w_0+2 granted while wake w_0+1 \(generation 1: its handler open in host#1 since 60\d{3} ms\) still runs \(a handler outlived its lease, which no restart ended\)$/);
    expect(concurrent?.cause).toBe('lease-outlived');
  });

  it('stuck-claim: a runtime that never sends done leaves its claims active after their leases ended', async () => {
    const neverDone = plantedAtTheWire((request, send) =>
      request.url.endsWith('/done') ? Promise.resolve({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"next_wake":false}' }) : send(request),
    );
    const stuck = firing(await runPlanted({ runtime: neverDone }), 'stuck-claim');
    expect(stuck.length).toBeGreaterThan(0);
    expect(stuck[0]!.message).toMatch(/^claim of wake w_0+1 \(generation 1\) on sub:digest-1 by runner-1 active since 60\d{3} ms with no live wake/);
  });

  it('unacked-work: a done whose acks the server refuses every time leaves the day unacked, the entity woken for it again and again', async () => {
    // A client that puts a stream the subscription does not link among its acks: every done is a 409 INVALID_OFFSET.
    const foreignAck = plantedAtTheWire((request, send) => {
      if (!request.url.endsWith('/done')) return send(request);
      const done = JSON.parse(request.body ?? '{}') as { acks: unknown[] };
      return send({ ...request, body: JSON.stringify({ ...done, acks: [{ stream: 'no-such-stream', offset: '0' }, ...done.acks] }) });
    });
    // The hardened preset: its reaper releases each lapsed claim and the chat honours the post's key.
    const result = await runScenario(digestSpec(HARDENED, []), new RecordedChoiceSource(TWO_WAKES), { runtime: foreignAck, dropAnnotations: true });
    const [unacked] = firing(result, 'unacked-work');
    expect(unacked?.message).toMatch(/^the item stored in cron\/daily-digest at \S+ \(60\d{3} ms\) for digest-1 was given to its handlers \d+ times and never acked: sub:digest-1's cursor ends unmoved$/);
    // Each action was performed once, each lapsed claim reaped and the entity woken again: no other property judged
    // from outside sees it.
    expect(result.violations.filter((violation) => !['unacked-work', 'model-conformance'].includes(violation.property)).map((violation) => violation.property)).toEqual([]);
  });

  it('deaf-runner: a wake-stream socket that goes stale after the first long-poll leaves the runner deaf to the tick', async () => {
    let liveReads = 0;
    const staleSocket = plantedAtTheWire((request, send) => {
      const liveWakeRead = request.method === 'GET' && request.url.includes('/wake?') && request.url.includes('live=');
      // A stale socket: the request never answers and does not notice its abort either.
      return liveWakeRead && ++liveReads > 1 ? new Promise<DirectResponse>(() => {}) : send(request);
    });
    const [deaf] = firing(await runPlanted({ runtime: staleSocket }), 'deaf-runner');
    expect(deaf?.message).toMatch(/^host#1 has not read runners\/runner-1\/wake since 60\d{3} ms while 1 wake\(s\) waited/);
  });

  it('protocol: a client that sends every heartbeat twice breaks the 2 s rate at the server', async () => {
    const doubledHeartbeats = plantedAtTheWire((request, send) => {
      if (request.url.endsWith('/heartbeat')) void send(request).catch(() => {});
      return send(request);
    });
    const [rate] = firing(await runPlanted({ runtime: doubledHeartbeats }), 'protocol');
    expect(rate?.message).toMatch(/^heartbeat rate: host#1 sent two heartbeats of runner-1 \d+ ms apart \(at most one per 2000 ms\)$/);
  });

  it('uncaught-error: a done fired and forgotten whose rejection nobody handles ends the process, and the platform restarts it', async () => {
    let dones = 0;
    const forgottenDone = plantedAtTheWire((request, send) => {
      if (!request.url.endsWith('/done') || ++dones > 1) return send(request);
      // The first done is sent and forgotten; its connection drops, and nothing ever handles the rejection.
      void send(request).then(() => Promise.reject(new Error('connection reset by peer')));
      return Promise.resolve({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"next_wake":false}' });
    });
    const result = await runPlanted({ runtime: forgottenDone });
    const [crash] = firing(result, 'uncaught-error');
    expect(crash?.message).toBe('host#1 died of an unhandled-rejection its code never handled: Error: connection reset by peer');
    expect(result.events[crash!.eventIndex!]).toMatchObject({ actor: 'host#1', kind: 'process-exit', detail: { reason: 'crash', cause: 'unhandled-rejection' } });
    // The platform starts a successor, as after any crash.
    expect(result.events.filter((event) => event.kind === 'process-start').map((event) => event.actor)).toEqual(['host#1', 'host#2']);
  });

  it('uncaught-error: an exception thrown out of a timer callback of the runtime ends the process', async () => {
    const throwingTimer = plantedAtTheWire((request, send) => {
      if (request.url.endsWith('/done')) setTimeout(() => { throw new TypeError('cannot read properties of undefined'); }, 5);
      return send(request);
    });
    const [crash] = firing(await runPlanted({ runtime: throwingTimer }), 'uncaught-error');
    expect(crash?.message).toBe('host#1 died of an uncaught-exception its code never handled: TypeError: cannot read properties of undefined');
  });
});

describe('protocol: a graceful stop drains the handlers it ran, on real runs', () => {
  /** TWO_WAKES under `redeploy`: one redeploy, at 61 s, while the handler of the 60 s tick runs. */
  const REDEPLOY_DURING_THE_TICK = [...TWO_WAKES, 1, 61_000];
  /** The digest world whose handler first sleeps `sleepMs`: a handler still running when the redeploy comes. */
  const sleepingHandler = (sleepMs: number): Scenario => ({
    name: 'daily-digest',
    summary: `planted: a handler that sleeps ${sleepMs} ms before it starts`,
    followedByComposedModel: true,
    setUp: (sim, spec, runtime) =>
      setUpDailyDigest(sim, spec, runtime, { ...DEFAULT_DIGEST_OPTIONS, plantInHandler: (handler) => async (ctx) => {
        await new Promise((resolve) => setTimeout(resolve, sleepMs));
        await handler(ctx);
      } }),
  });
  /** The v0.4 runtime, but the host reports its stop done the moment SIGTERM arrives: its runner is never stopped. */
  const stopReturnsAtOnce: RuntimeUnderTest = {
    ...v04Runtime,
    startHost: (host) => {
      v04Runtime.startHost(host);
      return { stopped: new Promise<void>((resolve) => host.signal.addEventListener('abort', () => resolve(), { once: true })) };
    },
  };
  const drainViolations = async (scenario: Scenario, runtime?: RuntimeUnderTest): Promise<string[]> => {
    const result = await runScenario(digestSpec(BOTH_FIXES, ['redeploy']), new RecordedChoiceSource(REDEPLOY_DURING_THE_TICK), { scenario, ...(runtime ? { runtime } : {}), dropAnnotations: true });
    return firing(result, 'protocol').map((violation) => violation.message).filter((message) => message.startsWith('stop drain'));
  };

  it('fires on a host whose stop returns at once while its handler runs', async () => {
    expect(await drainViolations(sleepingHandler(20_000), stopReturnsAtOnce)).toEqual([
      expect.stringMatching(/^stop drain: host#1 ended its graceful stop 0 ms after its SIGTERM while the handler of digest-1 \(wake w_0+1, started at 60\d{3} ms\) still ran/),
    ]);
  });

  it('is quiet when the drain waits for the handler, and when it gives up on a stalled one after 10 s', async () => {
    expect(await drainViolations(sleepingHandler(5_000))).toEqual([]);
    // The handler sleeps through the runtime's 10 s drain: the process ends at 71 s with it still running.
    expect(await drainViolations(sleepingHandler(20_000))).toEqual([]);
  });
});
