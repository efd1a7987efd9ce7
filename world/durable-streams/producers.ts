/**
 * Idempotent producers (the client's `IdempotentProducer`): a writer names itself (`Producer-Id`), declares an epoch
 * (`Producer-Epoch`, raised when a new incarnation takes over) and numbers its batches (`Producer-Seq`, from 0 in
 * every epoch). The stream remembers, per producer, the epoch and the last sequence number it accepted, which is how
 * a retried batch is recognised and dropped instead of stored twice.
 */

/** What a stream remembers about one producer. */
export interface ProducerState {
  readonly epoch: number;
  readonly lastSeq: number;
  /** Virtual time of the last accepted batch: a producer idle for a week is forgotten, as in the reference. */
  readonly lastUpdatedMs: number;
}

/** The producer headers of one request, already checked to be non-negative safe integers. */
export interface ProducerClaim {
  readonly id: string;
  readonly epoch: number;
  readonly seq: number;
}

/** The verdict on one batch of a producer, before anything is stored. */
export type ProducerVerdict =
  | { readonly status: 'accepted'; readonly next: ProducerState }
  | { readonly status: 'duplicate'; readonly lastSeq: number }
  | { readonly status: 'stale_epoch'; readonly currentEpoch: number }
  | { readonly status: 'invalid_epoch_seq' }
  | { readonly status: 'sequence_gap'; readonly expectedSeq: number; readonly receivedSeq: number };

/** How long a silent producer is remembered (the reference store's 7 days). */
export const PRODUCER_STATE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Judges a batch against what the stream remembers. Pure: the caller commits `next` only once the batch is stored,
 * so a batch that fails later (invalid JSON) leaves the producer where it was.
 */
export function judgeProducer(state: ProducerState | undefined, claim: ProducerClaim, nowMs: number): ProducerVerdict {
  const fresh: ProducerState = { epoch: claim.epoch, lastSeq: 0, lastUpdatedMs: nowMs };
  if (!state) {
    return claim.seq === 0 ? { status: 'accepted', next: fresh } : { status: 'sequence_gap', expectedSeq: 0, receivedSeq: claim.seq };
  }
  if (claim.epoch < state.epoch) return { status: 'stale_epoch', currentEpoch: state.epoch };
  if (claim.epoch > state.epoch) return claim.seq === 0 ? { status: 'accepted', next: fresh } : { status: 'invalid_epoch_seq' };
  if (claim.seq <= state.lastSeq) return { status: 'duplicate', lastSeq: state.lastSeq };
  if (claim.seq === state.lastSeq + 1) return { status: 'accepted', next: { epoch: claim.epoch, lastSeq: claim.seq, lastUpdatedMs: nowMs } };
  return { status: 'sequence_gap', expectedSeq: state.lastSeq + 1, receivedSeq: claim.seq };
}

/** Forgets producers silent for longer than {@link PRODUCER_STATE_TTL_MS}, as the reference does on every check. */
export function forgetIdleProducers(producers: Map<string, ProducerState>, nowMs: number): void {
  for (const [id, state] of producers) if (nowMs - state.lastUpdatedMs > PRODUCER_STATE_TTL_MS) producers.delete(id);
}
