import type { EntityHandler } from '../../protocol/entity/EntityHandler.ts';
import type { RuntimeUnderTest } from '../../protocol/host/RuntimeUnderTest.ts';
import type { SwitchDefinition } from '../../protocol/switches/SwitchDefinition.ts';
import { chooseInRange } from '../../sim/choice/ChoiceSource.ts';
import { VIRTUAL_EPOCH_MS } from '../../sim/hermetic/HermeticOptions.ts';
import type { SimContext } from '../../sim/run/SimContext.ts';
import type { ExpectedAction } from '../../properties/index.ts';
import { type CronSchedule, occurrenceDueAtMs, scheduleCronTicks } from '../../world/agents-server/CronScheduler.ts';
import { SUBSCRIPTION_STREAM_ROOT } from '../../world/durable-streams/ReferenceSubscriptions.ts';
import { DEFAULT_FAULT_OPTIONS } from '../../world/faults/FaultOptions.ts';
import { faultMomentsOf } from '../../world/faults/FaultPointOptions.ts';
import { PlatformFaults } from '../../world/faults/PlatformFaults.ts';
import { drawTimedFaults } from '../../world/faults/TimedFaultPlan.ts';
import { HostSupervisor } from '../../world/process/HostSupervisor.ts';
import type { SimProcess } from '../../world/process/SimProcess.ts';
import { SERVICE_ORIGINS, World } from '../../world/World.ts';
import { launchHost } from '../hosts/launchHost.ts';
import { probedHandler } from '../hosts/probedHandler.ts';
import { stalledHandler } from '../hosts/stalledHandler.ts';
import type { PropertyNotJudged, RunSpec, Scenario, ScenarioSetup } from '../Scenario.ts';
import { switchValue, type SwitchValues } from '../config/SwitchValues.ts';
import { worldSwitchOptions } from '../config/worldSwitches.ts';
import { CATCH_UP_MODES, digestAction, digestHandler, IDEMPOTENCY_CHECKS, replyAction, SHARED_DB_MODES, type CatchUpMode, type IdempotencyCheck, type SharedDbMode } from './digestEntity.ts';
import { DEFAULT_DIGEST_OPTIONS, type DigestScenarioOptions } from './DigestScenarioOptions.ts';
import { digestEntityNames, type DigestEntityNames } from './digestEntityNames.ts';
import { ENTITIES_SWITCH, entityCountOf } from './entityCount.ts';
import { DBS_PER_WAKE_SWITCH, dbsPerWakeOf } from './dbsPerWake.ts';
import { CHILD_TYPE, CHILDREN_SWITCH, childCountOf, childName } from './childCount.ts';
import { childHandler } from './childEntity.ts';
import { RUNNERS_SWITCH, runnerCountOf, runnerId, runnerIndexOfEntity } from './runnerCount.ts';

const ENTITY = 'digest-1';
const ENTITY_TYPE = 'digest';
const CHAT_CHANNEL = 'digests';

/** Whether the entity's posts carry an idempotency key (the scenario's `post-key` switch). */
export const POST_KEYS = ['none', 'action'] as const;

/** Whether the entity's slow call (where `slow-handler` stalls it) ends when the wake's `ctx.signal` aborts. */
export const SLOW_CALLS = ['uninterruptible', 'abortable'] as const;
export type SlowCall = (typeof SLOW_CALLS)[number];

/** The switches of the digest entity's own code. */
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
  {
    name: 'shared-db',
    values: SHARED_DB_MODES,
    defaultValue: 'connect',
    summary: 'whether the digest entity connects to a shared DB the scenario created or creates its own on its first wake',
    meanings: {
      connect: 'the scenario creates the shared DB beforehand; the entity observes db(id)',
      create: 'a fresh tenant: nothing is created beforehand; the entity observes mkdb(id), whose first wake creates the DB (B8)',
    },
    recordedAtDefault: false,
  },
  {
    name: 'catch-up',
    values: CATCH_UP_MODES,
    defaultValue: 'newest',
    summary: 'which due digests the entity posts on a wake',
    meanings: {
      newest: "semantics.md's catch-up entity (the report's): only the newest due day, so a day no wake got through before the next fell due is never posted (docs/history.md F1)",
      'every-due': 'hardening of the entity: every due day it has not posted, oldest first',
    },
    recordedAtDefault: false,
  },
  {
    name: 'slow-call',
    values: SLOW_CALLS,
    defaultValue: 'uninterruptible',
    summary: "whether the entity's slow call (a model or an API, where slow-handler stalls it) ends when the wake's ctx.signal aborts",
    meanings: {
      uninterruptible: 'the entity passes no signal to its slow call: it runs to its end, after its wake lost its claim too',
      abortable: "hardening of the entity: it passes ctx.signal (a runtime's, where it offers one: v0.4 with handler-signal=lease) to its slow call, which ends with an abort error as the signal aborts",
    },
    recordedAtDefault: false,
  },
];

/** The value of the digest entity's switch `name` in `config`, or its definition's default. */
function digestSwitchValue(config: SwitchValues, name: string): string {
  return switchValue(DIGEST_SWITCHES, config, name);
}

/**
 * The bug report's world: one long-lived catch-up entity that posts a digest per day and records it in a shared DB,
 * one runner host that is redeployed, and cold shared-state preloads that fail transiently.
 *
 * Drawn from the choice source, in this order: the number of days, the other messages to the entity and their
 * times, then the timed faults, then (with `--children`) when the first entity spawns its children. Everything else (deliveries, fault points, interleavings) is chosen as it happens.
 */
export const dailyDigestScenario: Scenario = {
  name: 'daily-digest',
  summary: 'a catch-up entity posts one digest per day and records it in a shared DB (bug report #4625)',
  switches: [...DIGEST_SWITCHES, ENTITIES_SWITCH, CHILDREN_SWITCH, DBS_PER_WAKE_SWITCH, RUNNERS_SWITCH],
  setUp: (sim, spec, runtime) => setUpDailyDigest(sim, spec, runtime, DEFAULT_DIGEST_OPTIONS),
  followedByComposedModel: true,
  propertiesNotJudged: (config) => {
    const reasons: string[] = [];
    if (entityCountOf(config) > 1) reasons.push(`the composed model follows one entity, and this world has ${entityCountOf(config)} (--entities)`);
    if (childCountOf(config) > 0) reasons.push(`the composed model follows one entity, and this world spawns ${childCountOf(config)} children (--children)`);
    if (runnerCountOf(config) > 1) reasons.push(`the composed model follows one runner, and this world has ${runnerCountOf(config)} (--runners)`);
    if (dbsPerWakeOf(config) > 1) reasons.push(`the composed model follows one shared DB per wake, and this world has ${dbsPerWakeOf(config)} (--dbs-per-wake)`);
    reasons.push(...sharedDbNotJudged(config).map((notJudged) => notJudged.reason));
    return reasons.length === 0 ? [] : [{ property: 'model-conformance', reason: reasons.join('; ') }];
  },
};

/**
 * What a digest world with `shared-db=create` is not judged by: the composed model follows a connect-mode shared DB,
 * in which a row the entity records is stored; an unwired `mkdb` handle stages it instead.
 */
export function sharedDbNotJudged(config: SwitchValues): PropertyNotJudged[] {
  return config['shared-db'] === 'create'
    ? [{ property: 'model-conformance', reason: "the composed model follows a connect-mode shared DB; mkdb's staged writes (--shared-db create) are not modelled" }]
    : [];
}

/** The daily-digest world built and running: the entities, their crons, each runner's first host process started. */
export interface DigestWorld {
  readonly world: World;
  /** The first runner's host slot (the only one unless `--runners`). */
  readonly supervisor: HostSupervisor;
  /** Every runner's host slot, `runner-1` first (one unless `--runners`). */
  readonly supervisors: readonly HostSupervisor[];
  /** The first entity's schedule. */
  readonly schedule: CronSchedule;
  /** Appends a message to the first entity's inbox (a wake besides the cron tick). */
  sendMessage(index: number): void;
  /** Appends message `index` to the inbox of entity `entityIndex` (from 0). */
  sendMessageTo(entityIndex: number, index: number): void;
  /**
   * The first entity spawns the run's children (`--children`, none by default), each observed with `wake: runFinished`
   * and sent its message 0.
   */
  spawnChildren(): void;
}

/**
 * Builds the world of the scenario for a given schedule: the shared stream, the cron ticks, the entity subscribed to
 * its inbox and the cron stream, and the first host process running the runtime under test.
 */
export function buildDigestWorld(sim: SimContext, spec: RunSpec, runtime: RuntimeUnderTest, options: DigestScenarioOptions, schedule: CronSchedule): DigestWorld {
  return buildDigestWorldOf(sim, spec, runtime, options, [schedule]);
}

/**
 * The world of the scenario with one digest entity per schedule (entity `i` named by {@link digestEntityNames}, the
 * first schedule's name is the caller's), served by the run's runners (`--runners`, one by default; entity `i` by
 * runner `i mod N`, children by their parent's): each entity's shared stream, cron ticks and subscription are set up in
 * entity order, then each runner's first host process starts, `runner-1`'s first.
 */
export function buildDigestWorldOf(sim: SimContext, spec: RunSpec, runtime: RuntimeUnderTest, options: DigestScenarioOptions, schedules: readonly CronSchedule[]): DigestWorld {
  const world = new World(sim, {
    faults: new Set(spec.faults),
    faultOptions: DEFAULT_FAULT_OPTIONS,
    ...worldSwitchOptions(spec.config),
    leaseTtlMs: options.leaseTtlMs,
    longPollTimeoutMs: options.longPollTimeoutMs,
    ...(options.maxPreloadFaults === undefined ? {} : { maxPreloadFaults: options.maxPreloadFaults }),
  });
  options.plantInWorld?.(world);
  const replyLogs = dbsPerWakeOf(spec.config) > 1;
  const sharedDb = digestSwitchValue(spec.config, 'shared-db') as SharedDbMode;
  const runnerCount = runnerCountOf(spec.config);
  const entities = schedules.map((schedule, index) => {
    const names = digestEntityNames(index);
    const runner = runnerId(runnerIndexOfEntity(index, runnerCount));
    // A fresh tenant (`shared-db=create`): the entity's mkdb creates its DBs through the agents server.
    if (sharedDb === 'connect') {
      world.streams.create(`${SUBSCRIPTION_STREAM_ROOT}shared/${names.sharedId}`);
      if (replyLogs) world.streams.create(`${SUBSCRIPTION_STREAM_ROOT}shared/${names.replyLogId}`);
    }
    traceStoredOccurrences(sim, world, names);
    scheduleCronTicks(sim, world.streams, `${SUBSCRIPTION_STREAM_ROOT}${names.cronStream}`, schedule);
    const row = world.agentsServer.createEntity({ id: names.entity, type: ENTITY_TYPE, runner, sources: [names.cronStream] });
    return { names, schedule, inbox: row.inbox, runner };
  });
  const idempotency = digestSwitchValue(spec.config, 'idempotency') as IdempotencyCheck;
  const catchUp = digestSwitchValue(spec.config, 'catch-up') as CatchUpMode;
  const keyed = digestSwitchValue(spec.config, 'post-key') === 'action';
  const slowCall = digestSwitchValue(spec.config, 'slow-call') as SlowCall;
  const children = Array.from({ length: childCountOf(spec.config) }, (_, index) => ({ entity: childName(index), inbox: `entities/${childName(index)}/inbox` }));

  const handlersFor = (process: SimProcess): ReadonlyMap<string, EntityHandler> => {
    const network = world.networkFor(process);
    const probe = (kind: string, detail: Parameters<SimContext['trace']['record']>[2]): void => {
      if (process.alive) sim.trace.record(process.name, kind, detail);
    };
    const postAs =
      (entity: string) =>
      async (action: string, text: string): Promise<void> => {
        const answer = await network.transport({
          method: 'POST',
          url: `${SERVICE_ORIGINS.chat}/channels/${CHAT_CHANNEL}/messages`,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ entity, action, text, ...(keyed ? { idempotency_key: `${entity}/${action}` } : {}) }),
        });
        if (answer.status >= 300) throw new Error(`chat answered ${answer.status}: ${answer.body}`);
      };
    const handlerOf = ({ names: { entity, sharedId, replyLogId }, schedule, inbox }: (typeof entities)[number], index: number): EntityHandler => {
      const digest = digestHandler(
        {
          entity,
          inbox,
          sharedId,
          ...(replyLogs ? { replyLogId } : {}),
          schedule,
          idempotency,
          catchUp,
          sharedDb,
          ...(index === 0 && children.length > 0 ? { parentOfChildren: true } : {}),
        },
        {
          post: postAs(entity),
          probe,
          nowMs: () => Date.now() - VIRTUAL_EPOCH_MS, // the entity's clock: runs as a simulated process
        },
      );
      const planted = options.plantInHandler ? options.plantInHandler(digest, entity) : digest;
      const slowed = stalledHandler(planted, (signal) => world.handlerStalls.stall(process, `${entity} after observe`, slowCall === 'abortable' ? signal : undefined));
      return probedHandler(entity, slowed, probe);
    };
    // The runtime looks handlers up by entity type, so a type's handler hands each wake to the code of the entity it
    // is for. One digest entity and no children: its handler as it always was.
    const dispatchOf = (kind: string, byEntity: ReadonlyMap<string, EntityHandler>): EntityHandler => (ctx) => {
      const handler = byEntity.get(ctx.entity);
      if (!handler) throw new Error(`no ${kind} entity "${ctx.entity}" in this world`);
      return handler(ctx);
    };
    const digests = entities.length === 1 ? handlerOf(entities[0]!, 0) : dispatchOf('digest', new Map(entities.map((entity, index) => [entity.names.entity, handlerOf(entity, index)])));
    if (children.length === 0) return new Map([[ENTITY_TYPE, digests]]);
    // A child observes no shared state, so `slow-handler` (which stalls a handler after its first observe) never stalls
    // it: only the parent's handler stalls.
    const childHandlers = new Map(children.map(({ entity, inbox }) => [entity, probedHandler(entity, childHandler(inbox, { post: postAs(entity) }), probe)] as const));
    return new Map([
      [ENTITY_TYPE, digests],
      [CHILD_TYPE, dispatchOf('child', childHandlers)],
    ]);
  };
  // One host slot per runner. Each host runs the same code (every entity type's handler), as one app deployed on
  // several hosts does; which entities a runner serves is the agents server's business (each entity's subscription
  // wakes its own runner's wake stream). Alone, the slot is the world's one slot: its processes keep their names.
  const supervisors = Array.from({ length: runnerCount }, (_, index) => {
    const id = runnerId(index);
    return new HostSupervisor(world, launchHost(sim, world, { runtime, config: spec.config, runnerId: id, runnerLabel: 'digest host', handlersFor }), runnerCount > 1 ? { runner: id } : {});
  });
  for (const slot of supervisors) slot.startHost();
  const sendMessageTo = (entityIndex: number, index: number): void => {
    const { names, inbox } = entities[entityIndex]!;
    world.streams.append(`${SUBSCRIPTION_STREAM_ROOT}${inbox}`, { type: 'message', index });
    sim.trace.record('workload', 'message', { entity: names.entity, index });
  };
  const spawnChildren = (): void => {
    const { names: { entity: parent }, runner } = entities[0]!;
    // A child is served by its parent's runner: upstream, the parent's handler spawns it in the host that runs it.
    for (const { entity } of children) {
      world.agentsServer.spawn({ parent, child: entity, type: CHILD_TYPE, runner, initialMessage: { type: 'message', index: 0 } });
      sim.trace.record('workload', 'message', { entity, index: 0 });
    }
  };
  return { world, supervisor: supervisors[0]!, supervisors, schedule: schedules[0]!, sendMessage: (index) => sendMessageTo(0, index), sendMessageTo, spawnChildren };
}

/**
 * Traces each digest row as the shared stream stores it (`occurrence-stored`), where the service acts: an insert whose
 * process died before the answer is stored all the same, and the next wake's check sees it.
 */
function traceStoredOccurrences(sim: SimContext, world: World, { entity, sharedId }: DigestEntityNames): void {
  const path = `${SUBSCRIPTION_STREAM_ROOT}shared/${sharedId}`;
  world.streams.onAppend((appendedTo, item) => {
    if (appendedTo !== path) return;
    // The row's value, whether the runtime wrote the change as `{ key, value: { key, value } }` or `{ key, value }`.
    const change = item.value as { value?: { occurrence?: unknown; value?: { occurrence?: unknown } } } | null;
    const occurrence = change?.value?.value?.occurrence ?? change?.value?.occurrence;
    if (typeof occurrence === 'number') sim.trace.record('durable-streams', 'occurrence-stored', { entity, occurrence });
  });
}

/**
 * The actions the properties expect of an entity (the first one's when not named): each due occurrence's digest, and a
 * reply to each message of the workload (sent at `messagesAtMs`, message `index` at `messagesAtMs[index]`).
 */
export function expectedActions(schedule: CronSchedule, messagesAtMs: readonly number[], entity: string = ENTITY): ExpectedAction[] {
  const digests = Array.from({ length: schedule.count }, (_, occurrence) => ({ entity, action: digestAction(occurrence), dueAtMs: occurrenceDueAtMs(schedule, occurrence) }));
  const replies = messagesAtMs.map((atMs, index) => ({ entity, action: replyAction(index), dueAtMs: atMs }));
  return [...digests, ...replies];
}

/** What one entity of a run will be asked to do: its days and the times of the messages it is sent. */
interface EntityPlan {
  readonly schedule: CronSchedule;
  readonly messageTimesMs: readonly number[];
  /** When its last day would fall due: its workload ends there. */
  readonly workloadEndMs: number;
}

/**
 * Draws entity `index`'s plan from the choice source, in this order: the number of days, the number of messages, each
 * message's time (within its own workload). Every entity has the first's period and first due time, so their days fall
 * due together and their wakes overlap on a runner they share (every one of them, unless `--runners`).
 */
function drawEntityPlan(choices: SimContext['choices'], options: DigestScenarioOptions, index: number): EntityPlan {
  const occurrenceCount = 1 + choices.choose(options.maxOccurrences, 'occurrence count', { kind: 'count' });
  const schedule: CronSchedule = { name: digestEntityNames(index).scheduleName, firstDueAtMs: options.firstDueAtMs, periodMs: options.dayMs, count: occurrenceCount };
  const workloadEndMs = occurrenceDueAtMs(schedule, occurrenceCount);
  const messageCount = choices.choose(options.maxMessagesPerOccurrence * occurrenceCount + 1, 'message count', { kind: 'count' });
  const messageTimesMs: number[] = [];
  for (let message = 0; message < messageCount; message += 1) messageTimesMs.push(chooseInRange(choices, 0, workloadEndMs, 'message time'));
  messageTimesMs.sort((a, b) => a - b);
  return { schedule, messageTimesMs, workloadEndMs };
}

export function setUpDailyDigest(sim: SimContext, spec: RunSpec, runtime: RuntimeUnderTest, options: DigestScenarioOptions): ScenarioSetup {
  const { choices, scheduler, trace } = sim;
  const faults = new Set(spec.faults);
  const faultOptions = DEFAULT_FAULT_OPTIONS;

  // Entity by entity (the first alone with --entities 1, as it always was), then the faults over the longest workload.
  const plans = Array.from({ length: entityCountOf(spec.config) }, (_, index) => drawEntityPlan(choices, options, index));
  const workloadEndMs = Math.max(...plans.map((plan) => plan.workloadEndMs));
  const timedFaults = drawTimedFaults(choices, faults, faultOptions, workloadEndMs);
  const first = plans[0]!;
  trace.record('workload', 'workload', {
    occurrences: first.schedule.count,
    messagesAtMs: first.messageTimesMs,
    faults: timedFaults.map((fault) => `${fault.kind}@${fault.atMs}`),
    ...(plans.length > 1
      ? { entities: plans.map((plan, index) => ({ entity: digestEntityNames(index).entity, occurrences: plan.schedule.count, messagesAtMs: plan.messageTimesMs })) }
      : {}),
  });

  // Drawn last, and only when there are children, so that the runs of a world without them keep their choices.
  const childCount = childCountOf(spec.config);
  const spawnAtMs = childCount > 0 ? chooseInRange(choices, 0, workloadEndMs, 'spawn time') : undefined;
  if (spawnAtMs !== undefined) trace.record('workload', 'children', { parent: digestEntityNames(0).entity, children: Array.from({ length: childCount }, (_, index) => childName(index)), spawnAtMs });

  const { world, supervisors, sendMessageTo, spawnChildren } = buildDigestWorldOf(sim, spec, runtime, options, plans.map((plan) => plan.schedule));
  if (spawnAtMs !== undefined) scheduler.schedule(spawnAtMs, 'workload', 'spawn children', spawnChildren);
  plans.forEach((plan, entityIndex) => {
    const entity = digestEntityNames(entityIndex).entity;
    plan.messageTimesMs.forEach((atMs, index) => {
      scheduler.schedule(atMs, 'workload', `message ${index} to ${entity}`, () => sendMessageTo(entityIndex, index));
    });
  });
  const platform = new PlatformFaults(world, supervisors);
  for (const fault of timedFaults) {
    scheduler.schedule(fault.atMs, 'faults', fault.kind, () => {
      if (world.faultsActive) platform.strike(fault.kind);
    });
  }
  world.enableFaultPoints((kind, process) => platform.strike(kind, process), faultMomentsOf(spec.faultMomentRevision));
  const expected = [
    ...plans.flatMap((plan, index) => expectedActions(plan.schedule, plan.messageTimesMs, digestEntityNames(index).entity)),
    // Each child answers its one message; what its parent records of its run is judged by lost-work and duplicate-action.
    ...(spawnAtMs === undefined ? [] : Array.from({ length: childCount }, (_, index) => ({ entity: childName(index), action: replyAction(0), dueAtMs: spawnAtMs }))),
  ];
  return endWorkload(sim, { world, supervisors }, options, workloadEndMs, expected);
}

/**
 * The common end of a digest scenario's setup: faults stop at `workloadEndMs`, then a fault-free quiet period lets
 * every retry, backoff and lease play out before liveness is judged; the run's budget and what the oracles expect.
 */
export function endWorkloadWithQuietPeriod(
  sim: SimContext,
  digest: Pick<DigestWorld, 'world' | 'supervisors' | 'schedule'>,
  options: DigestScenarioOptions,
  workloadEndMs: number,
  /** When the workload's messages reach the entity: each must be answered. */
  messagesAtMs: readonly number[] = [],
): ScenarioSetup {
  return endWorkload(sim, digest, options, workloadEndMs, expectedActions(digest.schedule, messagesAtMs));
}

/** {@link endWorkloadWithQuietPeriod} for any world: the actions the oracles expect are given. */
function endWorkload(
  sim: SimContext,
  digest: Pick<DigestWorld, 'world' | 'supervisors'>,
  options: DigestScenarioOptions,
  workloadEndMs: number,
  expected: readonly ExpectedAction[],
): ScenarioSetup {
  const { world, supervisors } = digest;
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
    expectedActions: expected,
    hangAfterMs: options.hangAfterMs,
    quietFromMs: workloadEndMs,
    endState: () => ({ liveHosts: supervisors.flatMap((slot) => slot.liveProcesses.map((process) => process.name)), activeClaims: world.agentsServer.activeClaims() }),
  };
}
