import type { SwitchDefinition } from '../../protocol/switches/SwitchDefinition.ts';
import type { SwitchValues } from '../config/SwitchValues.ts';

/**
 * The daily-digest scenario's `dbs-per-wake` switch: how many shared DBs each digest entity observes in every wake. With
 * `2` the entity also keeps a reply log (`reply-log`, its own shared stream), observed after its digest log and read
 * as the idempotency check of its replies, so one wake wires two handles in order and a failed preload of either
 * matters (semantics.md §1: the chain walks unwired handles in insertion order; the first rejection aborts the walk).
 * Added after traces were recorded: at its default the trace does not name it, and every one-DB run keeps its hash.
 */
export const DBS_PER_WAKE_SWITCH: SwitchDefinition = {
  name: 'dbs-per-wake',
  values: ['1', '2'],
  defaultValue: '1',
  summary: 'how many shared DBs each digest entity observes per wake: its digest log, and with 2 a reply log that makes its replies idempotent',
  meanings: {
    '1': "the bug report's world: the digest log alone; replies are recorded nowhere",
    '2': 'the digest log, then a reply log: a reply is posted only if the log has no row for its message, then recorded there',
  },
  recordedAtDefault: false,
};

/** The number of shared DBs a run's switches give each digest entity (1 when the scenario has no such switch). */
export function dbsPerWakeOf(config: SwitchValues): number {
  return Number(config[DBS_PER_WAKE_SWITCH.name] ?? DBS_PER_WAKE_SWITCH.defaultValue);
}
