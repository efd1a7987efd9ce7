// A scenario of the user's own, built from the world builders of the public API: one entity that posts a chat
// reminder for each message to its inbox, one host process of the runtime under test, and a redeploy that may land
// within a few milliseconds of a reminder.
import {
  chooseInRange,
  DEFAULT_FAULT_OPTIONS,
  HostSupervisor,
  launchHost,
  probedHandler,
  SERVICE_ORIGINS,
  streamPath,
  World,
  worldSwitchOptions,
  type EntityHandler,
  type ExpectedAction,
  type Probe,
  type RunSpec,
  type RuntimeUnderTest,
  type Scenario,
  type ScenarioSetup,
  type SimContext,
  type SimProcess,
  type WorldOptions,
} from 'wake-sim';

const ENTITY = 'reminder-1';
const ENTITY_TYPE = 'reminder';
const RUNNER_ID = 'runner-1';
/** Reminders in one run, at most (the count is a choice from 1). */
const MAX_REMINDERS = 3;
const FIRST_REMINDER_AT_MS = 10_000;
const REMINDER_SPACING_MS = 60_000;
/** A redeploy lands this many milliseconds after a reminder at most: across the whole wake it causes. */
const REDEPLOY_WINDOW_MS = 20;
/** After the last reminder: long enough for a lease to expire (30 s) and its wake to be delivered again. */
const QUIET_PERIOD_MS = 120_000;
const LEASE_TTL_MS = 30_000;
const LONG_POLL_TIMEOUT_MS = 20_000;

/** The chat action of reminder `index`: what the duplicate- and missed-action properties count. */
export const reminderAction = (index: number): string => `remind:${index}`;

export const remindersScenario: Scenario = {
  name: 'reminders',
  summary: 'an entity posts one chat reminder per inbox message; the host may be redeployed around a reminder',
  faultKinds: ['redeploy'],
  defaultFaults: ['redeploy'],
  setUp: (sim, spec, runtime) => setUpReminders(sim, spec, runtime),
};

/**
 * The world of one run. `worldSwitchOptions` passes every world switch of the run through, as the built-in daily-digest
 * scenario does: a switch left out would be accepted on the command line and recorded in replay tokens, yet change
 * nothing.
 */
function worldOptions(spec: RunSpec): WorldOptions {
  return {
    faults: new Set(spec.faults),
    faultOptions: DEFAULT_FAULT_OPTIONS,
    ...worldSwitchOptions(spec.config),
    leaseTtlMs: LEASE_TTL_MS,
    longPollTimeoutMs: LONG_POLL_TIMEOUT_MS,
  };
}

function setUpReminders(sim: SimContext, spec: RunSpec, runtime: RuntimeUnderTest): ScenarioSetup {
  const world = new World(sim, worldOptions(spec));
  const entity = world.agentsServer.createEntity({ id: ENTITY, type: ENTITY_TYPE, runner: RUNNER_ID, sources: [] });

  // The workload and the fault plan, drawn up front where the shrinker finds them: answer 0 is the ordinary run.
  const count = 1 + sim.choices.choose(MAX_REMINDERS, 'reminder count', { kind: 'count' });
  const dueAtMs = Array.from({ length: count }, (_, index) => FIRST_REMINDER_AT_MS + index * REMINDER_SPACING_MS);
  let redeployAtMs: number | undefined;
  if (spec.faults.includes('redeploy') && sim.choices.choose(2, 'redeploy', { kind: 'count', fault: 'redeploy' }) === 1) {
    const near = sim.choices.choose(count, 'redeploy near reminder', { kind: 'count', fault: 'redeploy' });
    redeployAtMs = dueAtMs[near]! + chooseInRange(sim.choices, 0, REDEPLOY_WINDOW_MS - 1, 'redeploy delay', { kind: 'range', fault: 'redeploy' });
  }
  sim.trace.record('workload', 'workload', { remindersAtMs: dueAtMs, redeployAtMs: redeployAtMs ?? null });

  const handlersFor = (process: SimProcess): ReadonlyMap<string, EntityHandler> => {
    const network = world.networkFor(process);
    const probe: Probe = (kind, detail) => {
      if (process.alive) sim.trace.record(process.name, kind, detail);
    };
    const remind: EntityHandler = async (ctx) => {
      for (const input of ctx.inputs) {
        const message = input.value as { readonly type?: unknown; readonly index?: unknown } | null;
        if (message?.type !== 'reminder' || typeof message.index !== 'number') continue;
        const answer = await network.fetch(`${SERVICE_ORIGINS.chat}/channels/reminders/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          // The key lets the world switch chat-idempotency=honor deduplicate a repeated post; by default the chat ignores it.
          body: JSON.stringify({ entity: ctx.entity, action: reminderAction(message.index), text: `reminder ${message.index}`, idempotency_key: `${ctx.entity}/${reminderAction(message.index)}` }),
        });
        if (!answer.ok) throw new Error(`chat answered ${answer.status}`);
      }
    };
    return new Map([[ENTITY_TYPE, probedHandler(ENTITY, remind, probe)]]);
  };
  const supervisor = new HostSupervisor(world, launchHost(sim, world, { runtime, config: spec.config, runnerId: RUNNER_ID, runnerLabel: 'reminders host', handlersFor }));
  supervisor.startHost();

  dueAtMs.forEach((atMs, index) =>
    sim.scheduler.schedule(atMs, 'workload', `reminder ${index}`, () => {
      world.streams.append(streamPath(entity.inbox), { type: 'reminder', index });
      sim.trace.record('workload', 'reminder-sent', { entity: ENTITY, index });
    }),
  );
  if (redeployAtMs !== undefined) sim.scheduler.schedule(redeployAtMs, 'faults', 'redeploy', () => void supervisor.redeploy());
  const workloadEndMs = dueAtMs[count - 1]! + REDEPLOY_WINDOW_MS;
  sim.scheduler.schedule(workloadEndMs, 'faults', 'quiet period', () => {
    world.faultsActive = false;
  });

  const expectedActions: ExpectedAction[] = dueAtMs.map((atMs, index) => ({ entity: ENTITY, action: reminderAction(index), dueAtMs: atMs }));
  return {
    budget: { horizonMs: workloadEndMs + QUIET_PERIOD_MS, maxSteps: 20_000 },
    expectedActions,
    hangAfterMs: 90_000,
    quietFromMs: workloadEndMs,
    endState: () => ({ liveHosts: supervisor.liveProcess ? [supervisor.liveProcess.name] : [], activeClaims: world.agentsServer.activeClaims() }),
  };
}
