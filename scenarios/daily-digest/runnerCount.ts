import type { SwitchDefinition } from '../../protocol/switches/SwitchDefinition.ts';
import type { SwitchValues } from '../config/SwitchValues.ts';

/**
 * The most runners (host slots) a run of daily-digest has. Each runner is one more host process to deploy, crash and
 * heartbeat, with its own registration and wake stream; three already give a runner with two entities beside one with
 * one (under `--entities 3`) and an idle runner beside busy ones (under `--entities 2`), and keep the busiest run well
 * inside the scenario's step budget.
 */
export const MAX_RUNNERS = 3;

/** `1` .. `MAX_RUNNERS` as switch values. */
const RUNNER_COUNTS = Array.from({ length: MAX_RUNNERS }, (_, index) => String(index + 1));

/**
 * The daily-digest scenario's `runners` switch: how many runners (`runner-1`, `runner-2`, ...) the world has, each a
 * host slot of its own played by its own platform (deploys, crashes, restarts), with its own registration, wake stream
 * and heartbeats. Entities go to runners round-robin ({@link runnerIndexOfEntity}); children go with their parent. A
 * switch like `entities`, so `--runners N` is validated before any run starts and travels in the replay token; at its
 * default the trace does not name it, and a one-runner world draws and records exactly what it always did.
 */
export const RUNNERS_SWITCH: SwitchDefinition = {
  name: 'runners',
  values: RUNNER_COUNTS,
  defaultValue: '1',
  summary: `how many runners (runner-1, runner-2, ...) serve the entities, each one host slot with its own processes, registration, wake stream, heartbeats, deploys and crashes; entities are assigned round-robin (at most ${MAX_RUNNERS})`,
  meanings: {
    '1': "the bug report's world: one runner serves every entity",
    '2': 'two runners: digest-1 on runner-1, digest-2 on runner-2, ...; a platform fault strikes one runner at a time',
  },
  recordedAtDefault: false,
};

/** The runner count a run's switches give (1 when the scenario has no such switch). */
export function runnerCountOf(config: SwitchValues): number {
  return Number(config[RUNNERS_SWITCH.name] ?? RUNNERS_SWITCH.defaultValue);
}

/** The id of runner `index` (from 0): `runner-1`, the id the one-runner world always had, then `runner-2`, ... */
export const runnerId = (index: number): string => `runner-${index + 1}`;

/** The runner (index, from 0) that serves digest entity `entityIndex`: round-robin over `runnerCount` runners. */
export function runnerIndexOfEntity(entityIndex: number, runnerCount: number): number {
  return entityIndex % runnerCount;
}
