import { describe, expect, it } from 'vitest';
import type { DirectRequest, DirectResponse } from '../../protocol/host/DirectTransport.ts';
import type { RuntimeUnderTest } from '../../protocol/host/RuntimeUnderTest.ts';
import { v04Runtime } from '../../runtimes/v04/v04Runtime.ts';
import { dailyDigestScenario, setUpDailyDigest } from '../../scenarios/daily-digest/dailyDigestScenario.ts';
import { DEFAULT_DIGEST_OPTIONS, type DigestScenarioOptions } from '../../scenarios/daily-digest/DigestScenarioOptions.ts';
import type { Scenario } from '../../scenarios/index.ts';
import { ConfigError } from '../../scenarios/config/SwitchValues.ts';
import { readReplayToken, replay, replayTokenFor } from '../../scenarios/replayTokens.ts';
import { runScenario, type RunResult } from '../../scenarios/runScenario.ts';
import { RandomChoiceSource } from '../../sim/choice/RandomChoiceSource.ts';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';
import { BOTH_FIXES, digestSpec } from '../acceptance/helpers.ts';

/**
 * Two digest entities on one runner, no faults. Each has one day (both cron ticks at 60 s, so their first wakes run
 * side by side on the runner) and one message: digest-1's at 120 s, digest-2's at 130 s. Choices per entity: days - 1,
 * message count, message time. Every run drops the runtime's annotations: the properties judge from the world's
 * observations and the probes alone.
 */
const TWO_ENTITIES = [0, 1, 120_000, 0, 1, 130_000];
const SPEC = digestSpec({ ...BOTH_FIXES, entities: '2' }, []);

/** The v0.4 runtime with `wire` between it and its direct transport: a defect planted at the wire. */
const plantedAtTheWire = (wire: (request: DirectRequest, send: (request: DirectRequest) => Promise<DirectResponse>) => Promise<DirectResponse>): RuntimeUnderTest => ({
  ...v04Runtime,
  startHost: (host) => v04Runtime.startHost({ ...host, transport: (request) => wire(request, host.transport) }),
});

/** daily-digest with a defect planted in the code of `entity` alone. */
const plantedIn = (entity: string, plant: NonNullable<DigestScenarioOptions['plantInHandler']>): Scenario => ({
  ...dailyDigestScenario,
  setUp: (sim, spec, runtime) =>
    setUpDailyDigest(sim, spec, runtime, { ...DEFAULT_DIGEST_OPTIONS, plantInHandler: (handler, id) => (id === entity ? plant(handler, id) : handler) }),
});

const run = (options: { runtime?: RuntimeUnderTest; scenario?: Scenario } = {}): Promise<RunResult> =>
  runScenario(SPEC, new RecordedChoiceSource(TWO_ENTITIES), { ...options, dropAnnotations: true });
const firing = (result: RunResult, property: string) => result.violations.filter((violation) => violation.property === property);

/** Whether a handler of one entity started while a handler of another was open in the same process. */
function handlersOverlapped(events: readonly TraceEvent[]): boolean {
  const open = new Map<string, string>();
  for (const event of events) {
    if (event.annotation) continue;
    const wake = `${event.actor} ${String(event.detail['wakeId'])}`;
    if (event.kind === 'handler-start') {
      const entity = String(event.detail['entity']);
      if ([...open.values()].some((other) => other !== entity)) return true;
      open.set(wake, entity);
    } else if (event.kind === 'handler-end') open.delete(wake);
  }
  return false;
}

describe('two entities on one runner are judged per entity', () => {
  it('a clean run is clean, though the two entities wake side by side on the one runner', async () => {
    const result = await run();
    expect(result.violations).toEqual([]);
    expect(handlersOverlapped(result.events)).toBe(true);
    const performed = result.events.filter((event) => event.kind === 'action-performed').map((event) => `${String(event.detail['entity'])} ${String(event.detail['action'])}`);
    expect(performed.sort()).toEqual(['digest-1 digest:0', 'digest-1 reply:0', 'digest-2 digest:0', 'digest-2 reply:0']);
  });

  it('protocol: a heartbeat sent at the instant two wakes make their requests arrives behind them, and is not too early', async () => {
    // Seed 1 of both fixes with two entities: a heartbeat queued behind requests of both wakes on the runner's in-order
    // channel arrived 2 ms late, so the next one, on time, arrived 1998 ms after it.
    const result = await runScenario(SPEC, new RandomChoiceSource(1), { conformance: false });
    expect(result.violations).toEqual([]);
  });

  it('model conformance is not judged: the composed model follows one entity', async () => {
    expect(dailyDigestScenario.propertiesNotJudged?.(SPEC.config).map((entry) => entry.property)).toEqual(['model-conformance']);
    expect(dailyDigestScenario.propertiesNotJudged?.(digestSpec(BOTH_FIXES, []).config)).toEqual([]);
    expect((await run()).modelTransitions).toEqual([]);
  });

  it('missed-action: an entity whose code does nothing misses its own actions, not the other entity\'s', async () => {
    const missed = firing(await run({ scenario: plantedIn('digest-2', () => async () => {}) }), 'missed-action');
    expect(missed.map((violation) => violation.message.split(' (')[0])).toEqual(['digest-2 digest:0', 'digest-2 reply:0']);
  });

  it('duplicate-action: an entity that posts its reply twice is named, the other is not', async () => {
    const postsTwice = plantedIn('digest-2', (handler) => async (ctx) => {
      await handler(ctx);
      if (ctx.inputs.some((input) => input.stream.endsWith('/inbox'))) await handler(ctx);
    });
    const duplicates = firing(await run({ scenario: postsTwice }), 'duplicate-action');
    expect(duplicates.map((violation) => violation.message.split(' (')[0])).toEqual(['digest-2 reply:0 performed twice']);
  });

  it('concurrent-wake: a handler of one entity slower than its lease is a second wake of that entity only', async () => {
    const slow = plantedIn('digest-2', (handler) => async (ctx) => {
      await new Promise((resolve) => setTimeout(resolve, 40_000));
      await handler(ctx);
    });
    const concurrent = firing(await run({ scenario: slow }), 'concurrent-wake');
    expect(concurrent.length).toBeGreaterThan(0);
    for (const violation of concurrent) expect(violation.message).toMatch(/^digest-2: /);
  });

  it('stuck-claim: a runtime that never sends the done of one entity\'s wakes leaves that entity\'s claims active', async () => {
    const neverDoneForDigest2 = plantedAtTheWire((request, send) =>
      request.url.endsWith('/done') && String(request.body).includes('"sub:digest-2"')
        ? Promise.resolve({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"next_wake":false}' })
        : send(request),
    );
    const stuck = firing(await run({ runtime: neverDoneForDigest2 }), 'stuck-claim');
    expect(stuck.length).toBeGreaterThan(0);
    for (const violation of stuck) expect(violation.message).toMatch(/ on sub:digest-2 by runner-1 /);
  });

  it('lost-work: a runtime that drops the last item of one entity\'s inbox reads loses that entity\'s work', async () => {
    const dropsDigest2Messages = plantedAtTheWire(async (request, send) => {
      const answer = await send(request);
      if (request.method !== 'GET' || !request.url.includes('digest-2/inbox') || answer.status !== 200) return answer;
      return { ...answer, body: JSON.stringify((JSON.parse(answer.body) as unknown[]).slice(0, -1)) };
    });
    const lost = firing(await run({ runtime: dropsDigest2Messages }), 'lost-work');
    expect(lost.length).toBeGreaterThan(0);
    for (const violation of lost) expect(violation.message).toMatch(/^sub:digest-2 acked entities\/digest-2\/inbox to /);
  });

  it('--entities travels in the replay token: the token replays the same two-entity world', async () => {
    const first = await runScenario(SPEC, new RecordedChoiceSource(TWO_ENTITIES));
    const request = readReplayToken(replayTokenFor(SPEC, first.choices));
    expect(request.spec.config['entities']).toBe('2');
    expect((await replay(request)).traceHash).toBe(first.traceHash);
    expect(first.events.find((event) => event.kind === 'run-start')?.detail['entities']).toBe('2');
  });

  it('an entity count out of range is refused in one line before any run', () => {
    expect(() => digestSpec({ entities: '5' }, [])).toThrow(/^unknown value "5" for --entities \(allowed: 1, 2, 3, 4\)$/);
    expect(() => digestSpec({ entities: '0' }, [])).toThrow(ConfigError);
  });
});
