import type { EntityHandler } from '../../protocol/entity/EntityHandler.ts';
import type { RuntimeUnderTest } from '../../protocol/host/RuntimeUnderTest.ts';
import type { SwitchDefinition } from '../../protocol/switches/SwitchDefinition.ts';
import { chooseInRange } from '../../sim/choice/ChoiceSource.ts';
import { VIRTUAL_EPOCH_MS } from '../../sim/hermetic/HermeticOptions.ts';
import type { SimContext } from '../../sim/run/SimContext.ts';
import type { ExpectedAction } from '../../properties/index.ts';
import type { ClaimReaper } from '../../world/agents-server/ClaimReaper.ts';
import type { DoneRelease } from '../../world/agents-server/DoneRelease.ts';
import type { HeartbeatLease } from '../../world/agents-server/HeartbeatLease.ts';
import type { ResumeOffsetSource } from '../../world/agents-server/ResumeOffsetSource.ts';
import { type CronSchedule, occurrenceDueAtMs, scheduleCronTicks } from '../../world/agents-server/CronScheduler.ts';
import type { PendingWake } from '../../world/durable-streams/PendingWake.ts';
import { SUBSCRIPTION_STREAM_ROOT } from '../../world/durable-streams/ReferenceSubscriptions.ts';
import { DEFAULT_FAULT_OPTIONS } from '../../world/faults/FaultOptions.ts';
import { PlatformFaults } from '../../world/faults/PlatformFaults.ts';
import { drawTimedFaults } from '../../world/faults/TimedFaultPlan.ts';
import { HostSupervisor } from '../../world/process/HostSupervisor.ts';
import type { SimProcess } from '../../world/process/SimProcess.ts';
import { SERVICE_ORIGINS, World } from '../../world/World.ts';
import { launchHost } from '../hosts/launchHost.ts';
import { probedHandler } from '../hosts/probedHandler.ts';
import { stalledHandler } from '../hosts/stalledHandler.ts';
import type { RunSpec, Scenario, ScenarioSetup } from '../Scenario.ts';
import { digestAction, digestHandler, IDEMPOTENCY_CHECKS, replyAction, type IdempotencyCheck } from './digestEntity.ts';
import { DEFAULT_DIGEST_OPTIONS, type DigestScenarioOptions } from './DigestScenarioOptions.ts';

const ENTITY = 'digest-1';
const ENTITY_TYPE = 'digest';
const SHARED_ID = 'digest-log';
const CRON_STREAM = 'cron/daily-digest';
const RUNNER_ID = 'runner-1';
const CHAT_CHANNEL = 'digests';

/** Whether the entity's posts carry an idempotency key (the scenario's `post-key` switch). */
export const POST_KEYS = ['none', 'action'] as const;

/** The switch of the digest entity's own code. */
export const DIGEST_SWITCHES: readonly SwitchDefinition[] = [
  {
    name: 'idempotency',
    values: IDEMPOTENCY_CHECKS,
    defaultValue: 'raw-collection',
    summary: 'how the digest entity decides whether an occurrence was already posted',
    meanings: {
      'raw-collection': 'open-factory#52: __electricCollection undefined means "not posted"',
      'public-read': 'toArray(), which throws while unwired',
      'wired-gate': "open-factory's mitigation: do nothing this wake when unwired",
    },
  },
  {
    name: 'post-key',
    values: POST_KEYS,
    defaultValue: 'none',
    summary: "whether the entity's chat posts carry an idempotency key",
    meanings: {
      none: "open-factory's digest: a post carries no key, so a repeated post is a second message",
      action: 'each post carries the key <entity>/<action>, which a chat that honours keys answers once',
    },
  },
];

/**
 * The bug report's world: one long-lived catch-up entity that posts a digest per day and records it in a shared DB,
 * one runner host that is redeployed, and cold shared-state preloads that fail transiently.
 *
 * Drawn from the choice source, in this order: the number of days, the other messages to the entity and their
 * times, then the timed faults. Everything else (deliveries, fault points, interleavings) is chosen as it happens.
 */
export const dailyDigestScenario: Scenario = {
  name: 'daily-digest',
  summary: 'a catch-up entity posts one digest per day and records it in a shared DB (bug report #4625)',
  switches: DIGEST_SWITCHES,
  setUp: (sim, spec, runtime) => setUpDailyDigest(sim, spec, runtime, DEFAULT_DIGEST_OPTIONS),
};

/** The daily-digest world built and running: the entity, its cron, one host process started. */
export interface DigestWorld {
  readonly world: World;
  readonly supervisor: HostSupervisor;
  readonly schedule: CronSchedule;
  /** Appends a message to the entity's inbox (a wake besides the cron tick). */
  sendMessage(index: number): void;
}

/**
 * Builds the world of the scenario for a given schedule: the shared stream, the cron ticks, the entity subscribed to
 * its inbox and the cron stream, and the first host process running the runtime under test.
 */
export function buildDigestWorld(sim: SimContext, spec: RunSpec, runtime: RuntimeUnderTest, options: DigestScenarioOptions, schedule: CronSchedule): DigestWorld {
  const world = new World(sim, {
    faults: new Set(spec.faults),
    faultOptions: DEFAULT_FAULT_OPTIONS,
    resumeOffsetSource: (spec.config['resume-offset'] ?? 'none') as ResumeOffsetSource,
    leaseTtlMs: options.leaseTtlMs,
    longPollTimeoutMs: options.longPollTimeoutMs,
    chat: { honorIdempotencyKeys: spec.config['chat-idempotency'] === 'honor' },
    claimReaper: (spec.config['claim-reaper'] ?? 'none') as ClaimReaper,
    doneRelease: (spec.config['done-release'] ?? 'independent') as DoneRelease,
    heartbeatLease: (spec.config['heartbeat-lease'] ?? 'keep') as HeartbeatLease,
    pendingWake: (spec.config['pending-wake'] ?? 'event') as PendingWake,
    ...(options.maxPreloadFaults === undefined ? {} : { maxPreloadFaults: options.maxPreloadFaults }),
  });
  options.plantInWorld?.(world);
  world.streams.create(`${SUBSCRIPTION_STREAM_ROOT}shared/${SHARED_ID}`);
  traceStoredOccurrences(sim, world);
  scheduleCronTicks(sim, world.streams, `${SUBSCRIPTION_STREAM_ROOT}${CRON_STREAM}`, schedule);
  const entity = world.agentsServer.createEntity({ id: ENTITY, type: ENTITY_TYPE, runner: RUNNER_ID, sources: [CRON_STREAM] });
  const idempotency = (spec.config['idempotency'] ?? 'raw-collection') as IdempotencyCheck;
  const keyed = spec.config['post-key'] === 'action';

  const handlersFor = (process: SimProcess): ReadonlyMap<string, EntityHandler> => {
    const network = world.networkFor(process);
    const probe = (kind: string, detail: Parameters<SimContext['trace']['record']>[2]): void => {
      if (process.alive) sim.trace.record(process.name, kind, detail);
    };
    const digest = digestHandler(
      { entity: ENTITY, inbox: entity.inbox, sharedId: SHARED_ID, schedule, idempotency },
      {
        post: async (action, text) => {
          const answer = await network.transport({
            method: 'POST',
            url: `${SERVICE_ORIGINS.chat}/channels/${CHAT_CHANNEL}/messages`,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ entity: ENTITY, action, text, ...(keyed ? { idempotency_key: `${ENTITY}/${action}` } : {}) }),
          });
          if (answer.status >= 300) throw new Error(`chat answered ${answer.status}: ${answer.body}`);
        },
        probe,
        nowMs: () => Date.now() - VIRTUAL_EPOCH_MS, // the entity's clock: runs as a simulated process
      },
    );
    const planted = options.plantInHandler ? options.plantInHandler(digest) : digest;
    const slowed = stalledHandler(planted, () => world.handlerStalls.stall(process, `${ENTITY} after observe`));
    return new Map([[ENTITY_TYPE, probedHandler(ENTITY, slowed, probe)]]);
  };
  const supervisor = new HostSupervisor(world, launchHost(sim, world, { runtime, config: spec.config, runnerId: RUNNER_ID, runnerLabel: 'digest host', handlersFor }));
  supervisor.startHost();
  const sendMessage = (index: number): void => {
    world.streams.append(`${SUBSCRIPTION_STREAM_ROOT}${entity.inbox}`, { type: 'message', index });
    sim.trace.record('workload', 'message', { entity: ENTITY, index });
  };
  return { world, supervisor, schedule, sendMessage };
}

/**
 * Traces each digest row as the shared stream stores it (`occurrence-stored`), where the service acts: an insert whose
 * process died before the answer is stored all the same, and the next wake's check sees it.
 */
function traceStoredOccurrences(sim: SimContext, world: World): void {
  const path = `${SUBSCRIPTION_STREAM_ROOT}shared/${SHARED_ID}`;
  world.streams.onAppend((appendedTo, item) => {
    if (appendedTo !== path) return;
    // The row's value, whether the runtime wrote the change as `{ key, value: { key, value } }` or `{ key, value }`.
    const change = item.value as { value?: { occurrence?: unknown; value?: { occurrence?: unknown } } } | null;
    const occurrence = change?.value?.value?.occurrence ?? change?.value?.occurrence;
    if (typeof occurrence === 'number') sim.trace.record('durable-streams', 'occurrence-stored', { entity: ENTITY, occurrence });
  });
}

/**
 * The actions the properties expect: each due occurrence's digest, and a reply to each message of the workload (sent
 * at `messagesAtMs`, message `index` at `messagesAtMs[index]`).
 */
export function expectedActions(schedule: CronSchedule, messagesAtMs: readonly number[]): ExpectedAction[] {
  const digests = Array.from({ length: schedule.count }, (_, occurrence) => ({ entity: ENTITY, action: digestAction(occurrence), dueAtMs: occurrenceDueAtMs(schedule, occurrence) }));
  const replies = messagesAtMs.map((atMs, index) => ({ entity: ENTITY, action: replyAction(index), dueAtMs: atMs }));
  return [...digests, ...replies];
}

export function setUpDailyDigest(sim: SimContext, spec: RunSpec, runtime: RuntimeUnderTest, options: DigestScenarioOptions): ScenarioSetup {
  const { choices, scheduler, trace } = sim;
  const faults = new Set(spec.faults);
  const faultOptions = DEFAULT_FAULT_OPTIONS;

  const occurrenceCount = 1 + choices.choose(options.maxOccurrences, 'occurrence count', { kind: 'count' });
  const schedule: CronSchedule = { name: 'daily-digest', firstDueAtMs: options.firstDueAtMs, periodMs: options.dayMs, count: occurrenceCount };
  const workloadEndMs = occurrenceDueAtMs(schedule, occurrenceCount);
  const messageCount = choices.choose(options.maxMessagesPerOccurrence * occurrenceCount + 1, 'message count', { kind: 'count' });
  const messageTimesMs: number[] = [];
  for (let index = 0; index < messageCount; index += 1) messageTimesMs.push(chooseInRange(choices, 0, workloadEndMs, 'message time'));
  messageTimesMs.sort((a, b) => a - b);
  const timedFaults = drawTimedFaults(choices, faults, faultOptions, workloadEndMs);
  trace.record('workload', 'workload', {
    occurrences: occurrenceCount,
    messagesAtMs: messageTimesMs,
    faults: timedFaults.map((fault) => `${fault.kind}@${fault.atMs}`),
  });

  const { world, supervisor, sendMessage } = buildDigestWorld(sim, spec, runtime, options, schedule);
  messageTimesMs.forEach((atMs, index) => {
    scheduler.schedule(atMs, 'workload', `message ${index} to ${ENTITY}`, () => sendMessage(index));
  });
  const platform = new PlatformFaults(world, supervisor);
  for (const fault of timedFaults) {
    scheduler.schedule(fault.atMs, 'faults', fault.kind, () => {
      if (world.faultsActive) platform.strike(fault.kind);
    });
  }
  world.enableFaultPoints((kind, process) => platform.strike(kind, process));
  return endWorkloadWithQuietPeriod(sim, { world, supervisor, schedule }, options, workloadEndMs, messageTimesMs);
}

/**
 * The common end of a digest scenario's setup: faults stop at `workloadEndMs`, then a fault-free quiet period lets
 * every retry, backoff and lease play out before liveness is judged; the run's budget and what the oracles expect.
 */
export function endWorkloadWithQuietPeriod(
  sim: SimContext,
  digest: Pick<DigestWorld, 'world' | 'supervisor' | 'schedule'>,
  options: DigestScenarioOptions,
  workloadEndMs: number,
  /** When the workload's messages reach the entity: each must be answered. */
  messagesAtMs: readonly number[] = [],
): ScenarioSetup {
  const { world, supervisor, schedule } = digest;
  sim.scheduler.schedule(workloadEndMs, 'faults', 'quiet period', () => {
    world.faultsActive = false;
    sim.trace.record('faults', 'quiet-period', {});
  });
  return {
    budget: {
      horizonMs: workloadEndMs + options.quietPeriodMs,
      maxSteps: options.maxSteps,
      ...(options.maxTraceEvents === undefined ? {} : { maxTraceEvents: options.maxTraceEvents }),
    },
    expectedActions: expectedActions(schedule, messagesAtMs),
    hangAfterMs: options.hangAfterMs,
    quietFromMs: workloadEndMs,
    endState: () => ({ liveHosts: supervisor.liveProcesses.map((process) => process.name), activeClaims: world.agentsServer.activeClaims() }),
  };
}
