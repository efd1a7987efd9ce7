/**
 * Where the agents server puts a `runFinished` wake row (the world's `run-finished-delivery` switch; the world O1 needs):
 * - `runs-stream` (default): in the parent's runs stream, which its subscription links, so the row is work like an
 *   inbox message: the subscription wakes the parent (coalesced, as every wake of this world), and the wake's inputs,
 *   read at claim, carry the row. A wake event says nothing of its own.
 * - `wake-stream`: in the runner's wake stream, as a wake row whose payload is the row (upstream's server wakes): rows
 *   are not coalesced, and the payload is in the row alone, so a runner that drops a row it read drops the completion.
 */
export const RUN_FINISHED_DELIVERIES = ['runs-stream', 'wake-stream'] as const;

export type RunFinishedDelivery = (typeof RUN_FINISHED_DELIVERIES)[number];
