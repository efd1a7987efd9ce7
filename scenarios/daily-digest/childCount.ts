import type { SwitchDefinition } from '../../protocol/switches/SwitchDefinition.ts';
import type { SwitchValues } from '../config/SwitchValues.ts';

/**
 * The most child entities the first digest entity spawns in a run of daily-digest. Three already let two children's
 * runs finish close together while a third's is still running; each child is one more entity on the one runner.
 */
export const MAX_CHILDREN = 3;

/** `0` .. `MAX_CHILDREN` as switch values. */
const CHILD_COUNTS = Array.from({ length: MAX_CHILDREN + 1 }, (_, count) => String(count));

/**
 * The daily-digest scenario's `children` switch: how many observed child entities (`child-1`, `child-2`, ...) the first
 * digest entity spawns, all at one drawn moment, each with `wake: runFinished` and one initial message. A switch like
 * `entities`, so `--children N` is validated before any run starts and travels in the replay token; at its default
 * (no children) the trace does not name it, so every run from before it keeps its trace and hash.
 */
export const CHILDREN_SWITCH: SwitchDefinition = {
  name: 'children',
  values: CHILD_COUNTS,
  defaultValue: '0',
  summary: `how many observed child entities (child-1, child-2, ...) the first digest entity spawns at one drawn moment, each woken by one message; the parent is woken with a runFinished row per finished child run and posts child-done:<child>:<run> (at most ${MAX_CHILDREN})`,
  meanings: {
    '0': 'no children: the world as it always was',
    '2': 'two children spawned together: their runs finish close together, and their runFinished rows may reach the parent in one read',
  },
  recordedAtDefault: false,
};

/** The child count a run's switches give (0 when the scenario has no such switch). */
export function childCountOf(config: SwitchValues): number {
  return Number(config[CHILDREN_SWITCH.name] ?? CHILDREN_SWITCH.defaultValue);
}

/** The id of child `index` (from 0). */
export const childName = (index: number): string => `child-${index + 1}`;

/** The entity type of every child (the runtime looks handlers up by type). */
export const CHILD_TYPE = 'child';
