import type { SwitchDefinition } from '../../protocol/switches/SwitchDefinition.ts';
import type { SwitchValues } from '../config/SwitchValues.ts';

/**
 * The most digest entities one runner serves in a run of daily-digest. Each entity brings its own cron, inbox, shared
 * DB and plan (up to 3 days and 7 messages), so its wakes, claims and reads add to one runner's run; four keep the
 * busiest run well inside the scenario's step budget (100,000) and the trace budget, and already give every pairing a
 * property judges per entity (overlapping wakes of two entities beside a third's idle cursor) and more.
 */
export const MAX_DIGEST_ENTITIES = 4;

/** `1` .. `MAX_DIGEST_ENTITIES` as switch values. */
const ENTITY_COUNTS = Array.from({ length: MAX_DIGEST_ENTITIES }, (_, index) => String(index + 1));

/**
 * The daily-digest scenario's `entities` switch: how many digest entities (`digest-1`, `digest-2`, ...) the runner
 * serves (with `--runners`, the runners, round-robin). A switch like the others, so `--entities N` is validated before any run starts (an unknown value is a one-line
 * usage error listing the allowed ones) and travels in the replay token's configuration. Added after traces were
 * recorded: at its default the trace does not name it, so every one-entity run keeps its trace and hash.
 */
export const ENTITIES_SWITCH: SwitchDefinition = {
  name: 'entities',
  values: ENTITY_COUNTS,
  defaultValue: '1',
  summary: `how many digest entities (digest-1, digest-2, ...) the runner serves (the runners, round-robin, with --runners), each with its own inbox, cron, shared DB and plan (at most ${MAX_DIGEST_ENTITIES})`,
  meanings: { '1': 'the bug report\'s world: one entity', '2': 'two entities on one runner (one each with --runners 2): on one runner their wakes share its wake stream and may overlap' },
  recordedAtDefault: false,
};

/** The entity count a run's switches give (1 when the scenario has no such switch). */
export function entityCountOf(config: SwitchValues): number {
  return Number(config[ENTITIES_SWITCH.name] ?? ENTITIES_SWITCH.defaultValue);
}
