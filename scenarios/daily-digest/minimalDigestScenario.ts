import { occurrenceDueAtMs, type CronSchedule } from '../../world/agents-server/CronScheduler.ts';
import type { FaultKind } from '../../world/faults/FaultKind.ts';
import type { RunSpec, Scenario, ScenarioSetup } from '../Scenario.ts';
import type { SimContext } from '../../sim/run/SimContext.ts';
import type { RuntimeUnderTest } from '../../protocol/host/RuntimeUnderTest.ts';
import { buildDigestWorld, DIGEST_SWITCHES, endWorkloadWithQuietPeriod, sharedDbNotJudged } from './dailyDigestScenario.ts';
import { DEFAULT_DIGEST_OPTIONS, type DigestScenarioOptions } from './DigestScenarioOptions.ts';

/** The fault kinds of the minimal scenario: one restart and one transient preload failure, of either kind. */
const MINIMAL_FAULT_KINDS: readonly FaultKind[] = ['redeploy', 'preload-not-found', 'preload-foreign-item'];

/**
 * When the one redeploy may happen, relative to the occurrence's due time: well before the tick (the new host
 * preloads cold for the first wake), every millisecond across the first wake (it takes about 15 ms from tick to ack
 * with in-order 1 ms deliveries), and well after it (the restart that replays a finished wake).
 */
const REDEPLOY_OFFSETS_MS: readonly number[] = [-30_000, ...Array.from({ length: 20 }, (_, ms) => ms), 30_000];

/**
 * When the one message reaches the entity, after the due time: the second wake of the same day, after the
 * redeploy's latest slot. A catch-up entity acts on any wake while its day is unrecorded, so this is the wake that
 * can post a second time.
 */
const MESSAGE_OFFSET_MS = 60_000;

const MINIMAL_OPTIONS: DigestScenarioOptions = { ...DEFAULT_DIGEST_OPTIONS, maxPreloadFaults: 1 };

/**
 * The smallest world that can show bug #4625, small enough to search exhaustively: one occurrence, one message to
 * the entity a minute after it is due (a second wake), exactly one redeploy (at one of {@link REDEPLOY_OFFSETS_MS} around the due time), at most one preload
 * failure, deliveries in order. What remains to choose: the redeploy's moment, which preload read fails and how,
 * the new host's start delay, and the order of tasks due at the same instant.
 */
export const minimalDigestScenario: Scenario = {
  name: 'minimal-digest',
  summary: 'one digest, one message, one redeploy, at most one preload failure: small enough for --strategy exhaustive',
  faultKinds: MINIMAL_FAULT_KINDS,
  defaultFaults: MINIMAL_FAULT_KINDS,
  switches: DIGEST_SWITCHES,
  followedByComposedModel: true,
  propertiesNotJudged: sharedDbNotJudged,
  setUp: (sim, spec, runtime) => setUpMinimalDigest(sim, spec, runtime),
};

function setUpMinimalDigest(sim: SimContext, spec: RunSpec, runtime: RuntimeUnderTest): ScenarioSetup {
  const options = MINIMAL_OPTIONS;
  const schedule: CronSchedule = { name: 'daily-digest', firstDueAtMs: options.firstDueAtMs, periodMs: options.dayMs, count: 1 };
  const digest = buildDigestWorld(sim, spec, runtime, options, schedule);
  const { supervisor, sendMessage } = digest;
  const messageAtMs = options.firstDueAtMs + MESSAGE_OFFSET_MS;
  sim.scheduler.schedule(messageAtMs, 'workload', 'message 0 to digest-1', () => sendMessage(0));
  const workloadEndMs = occurrenceDueAtMs(schedule, 1);
  let redeployAtMs: number | undefined;
  if (spec.faults.includes('redeploy')) {
    const slot = sim.choices.choose(REDEPLOY_OFFSETS_MS.length, 'redeploy slot', { kind: 'count', fault: 'redeploy' });
    redeployAtMs = options.firstDueAtMs + REDEPLOY_OFFSETS_MS[slot]!;
    sim.scheduler.schedule(redeployAtMs, 'faults', 'redeploy', () => void supervisor.redeploy());
  }
  sim.trace.record('workload', 'workload', { occurrences: 1, messagesAtMs: [messageAtMs], faults: redeployAtMs === undefined ? [] : [`redeploy@${redeployAtMs}`] });
  return endWorkloadWithQuietPeriod(sim, digest, options, workloadEndMs, [messageAtMs]);
}
