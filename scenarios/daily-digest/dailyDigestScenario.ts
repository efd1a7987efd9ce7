import { chooseInRange } from '../../sim/choice/ChoiceSource.ts';
import type { SimContext } from '../../sim/run/SimContext.ts';
import type { OffsetMode } from '../../runtime/config.ts';
import { RuntimeHost } from '../../runtime/RuntimeHost.ts';
import { sharedStreamPath } from '../../runtime/wake/HandlerContext.ts';
import type { ResumeOffsetSource } from '../../world/agents-server/AgentsServer.ts';
import { type CronSchedule, occurrenceDueAtMs, scheduleCronTicks } from '../../world/agents-server/CronScheduler.ts';
import { DEFAULT_FAULT_OPTIONS } from '../../world/faults/FaultOptions.ts';
import { drawTimedFaults } from '../../world/faults/TimedFaultPlan.ts';
import { HostSupervisor } from '../../world/process/HostSupervisor.ts';
import { World } from '../../world/World.ts';
import type { ExpectedAction } from '../../properties/index.ts';
import type { RunSpec, Scenario, ScenarioSetup } from '../Scenario.ts';
import { digestHandler } from './digestEntity.ts';
import { DEFAULT_DIGEST_OPTIONS, type DigestScenarioOptions } from './DigestScenarioOptions.ts';

const ENTITY = 'digest-1';
const SHARED_ID = 'digest-log';
const INBOX = `/entities/${ENTITY}/inbox`;
const CRON_STREAM = '/cron/daily-digest';
const RUNNER_ID = 'runner-1';
const WAKE_STREAM = `/runners/${RUNNER_ID}/wake`;

/** Where the agents server takes a resume offset from, for each runner offset switch value. */
const RESUME_SOURCE: Readonly<Record<OffsetMode, ResumeOffsetSource>> = {
  'minus-one': 'none',
  durable: 'reported',
  'durable-raw': 'reported',
  tail: 'none',
  'server-seek': 'acked-seek',
};

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
  setUp: (sim, spec) => setUpDailyDigest(sim, spec, DEFAULT_DIGEST_OPTIONS),
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
export function buildDigestWorld(sim: SimContext, spec: RunSpec, options: DigestScenarioOptions, schedule: CronSchedule): DigestWorld {
  const world = new World(sim, {
    faults: new Set(spec.faults),
    faultOptions: DEFAULT_FAULT_OPTIONS,
    resumeOffsetSource: RESUME_SOURCE[spec.config.offset],
    leaseTtlMs: options.leaseTtlMs,
    longPollTimeoutMs: options.longPollTimeoutMs,
    ...(options.maxPreloadFaults === undefined ? {} : { maxPreloadFaults: options.maxPreloadFaults }),
  });
  world.streams.create(sharedStreamPath(SHARED_ID));
  traceStoredOccurrences(sim, world);
  scheduleCronTicks(sim, world.streams, CRON_STREAM, schedule);
  world.agentsServer.createEntity(ENTITY, INBOX, [CRON_STREAM], WAKE_STREAM);

  const supervisor = new HostSupervisor(world, (process) => {
    const env = options.plantInEnvironment ? options.plantInEnvironment(world.environmentFor(process)) : world.environmentFor(process);
    const digest = digestHandler(
      { entity: ENTITY, sharedId: SHARED_ID, schedule, idempotency: spec.config.idempotency },
      {
        post: (occurrence) => world.network.call(process, world.chat, 'post digest', () => world.chat.post(process.name, ENTITY, occurrence)),
        probe: (kind, detail) => env.emit(kind, detail),
      },
    );
    const handler = options.plantInHandler ? options.plantInHandler(digest) : digest;
    return new RuntimeHost(env, spec.config, { runnerId: RUNNER_ID, label: 'digest host', wakeStream: WAKE_STREAM, handlers: new Map([[ENTITY, handler]]) });
  });
  supervisor.startHost();
  const sendMessage = (index: number): void => {
    world.streams.append(INBOX, { type: 'message', index });
    sim.trace.record('workload', 'message', { entity: ENTITY, index });
  };
  return { world, supervisor, schedule, sendMessage };
}

/**
 * Traces each digest row as the shared stream stores it (`occurrence-stored`), where the service acts: an insert whose
 * process died before the answer is stored all the same, and the next wake's check sees it.
 */
function traceStoredOccurrences(sim: SimContext, world: World): void {
  const path = sharedStreamPath(SHARED_ID);
  world.streams.onAppend((appendedTo, item) => {
    if (appendedTo !== path) return;
    const occurrence = (item.value as { value?: { occurrence?: unknown } } | null)?.value?.occurrence;
    if (typeof occurrence === 'number') sim.trace.record('durable-streams', 'occurrence-stored', { entity: ENTITY, occurrence });
  });
}

/** The due occurrences of a schedule as the actions the oracles expect. */
export function expectedDigests(schedule: CronSchedule): ExpectedAction[] {
  return Array.from({ length: schedule.count }, (_, occurrence) => ({ entity: ENTITY, occurrence, dueAtMs: occurrenceDueAtMs(schedule, occurrence) }));
}

export function setUpDailyDigest(sim: SimContext, spec: RunSpec, options: DigestScenarioOptions): ScenarioSetup {
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

  const { world, supervisor, sendMessage } = buildDigestWorld(sim, spec, options, schedule);
  messageTimesMs.forEach((atMs, index) => {
    scheduler.schedule(atMs, 'workload', `message ${index} to ${ENTITY}`, () => sendMessage(index));
  });
  for (const fault of timedFaults) {
    scheduler.schedule(fault.atMs, 'faults', fault.kind, () => {
      if (!world.faultsActive) return;
      if (fault.kind === 'redeploy') void supervisor.redeploy();
      else if (fault.kind === 'crash') void supervisor.crash();
      else {
        const downtimeMs = chooseInRange(choices, faultOptions.serverDowntimeMinMs, faultOptions.serverDowntimeMaxMs, 'server downtime', { kind: 'range', fault: 'server-restart' });
        trace.record('faults', 'fault', { kind: 'server-restart', downtimeMs });
        world.agentsServer.restart(downtimeMs);
      }
    });
  }
  return endWorkloadWithQuietPeriod(sim, { world, supervisor, schedule }, options, workloadEndMs);
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
): ScenarioSetup {
  const { world, supervisor, schedule } = digest;
  sim.scheduler.schedule(workloadEndMs, 'faults', 'quiet period', () => {
    world.faultsActive = false;
    sim.trace.record('faults', 'quiet-period', {});
  });
  return {
    budget: { horizonMs: workloadEndMs + options.quietPeriodMs, maxSteps: options.maxSteps },
    expectedActions: expectedDigests(schedule),
    pendingWork: () => [...supervisor.pendingWork()],
    hangAfterMs: options.hangAfterMs,
  };
}
