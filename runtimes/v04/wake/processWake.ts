import { bearer, type DoneResponse, type ManifestRow, type StreamAck, type WakeNotification } from '../../../protocol/agents/agentsRoutes.ts';
import type { DbSource, EntityHandler, HandlerContext, WakeInput } from '../../../protocol/entity/EntityHandler.ts';
import { TAIL_OFFSET } from '../../../protocol/streams/streamsProtocol.ts';
import { AbortedError, describeError } from '../errors.ts';
import { SharedStateHandle } from '../shared-state/SharedStateHandle.ts';
import type { SharedStateWriter } from '../shared-state/stateEvents.ts';
import type { V04Environment } from '../V04Environment.ts';
import { nowMs, sleep } from '../time.ts';
import { RUNTIME_TIMING } from '../timing.ts';
import { isTransient } from '../transientFailure.ts';
import { LeaseRenewer } from './LeaseRenewer.ts';
import { WiringChain, type WakeSharedState } from './WiringChain.ts';

/** How a wake ended: acked after success, acked after failure (no retry), or abandoned unacked by a stop. */
export type WakeOutcome = 'completed' | 'failed' | 'abandoned';

/**
 * Processes one claimed wake, in the order of semantics.md §1:
 * 1. rebuild the handles the entity's manifest lists; read the new items of the claimed streams (the wake's inputs);
 * 2. wire the rebuilt handles, failing the wake on error (fail-closed);
 * 3. run the handler, whose `observe(db(...))` goes through the {@link WiringChain};
 * 4. after a normal return, wait for the chain, flush the rows `mkdb` handles staged (one still unwired with rows
 *    staged fails the wake), commit new manifest rows (a `mkdb` handle's with mode `create`), then throw the first
 *    wiring error;
 * 5. on failure, roll back uncommitted manifest rows and still ack the wake as done: failed wakes are not retried.
 * The ack covers what the wake read of each stream: the inputs are read before anything can fail closed, so a wake
 * that failed before its handler ran has consumed its inputs all the same, as 0.4.x does.
 * With `failed-wake=redeliver` a failed wake acknowledges nothing instead, so its inputs are presented again.
 * With `stop-ack=tail` (O3's defect) a wake that ends once a stop began (its done, or the cleanup of a wake the stop
 * abandoned) acks its streams at their tails instead, past whatever arrived after its inputs were read.
 * With `lease-renewal=renew` the wake renews its lease while it runs; once a renewal is refused the wake is abandoned
 * at its next step (a wiring attempt, or `observe` returning), as a stop abandons it: its claim belongs to another. A
 * preload in flight then is aborted, so that a read on a hung connection does not keep the wake open for good.
 * With `lease-fence=deadline` the wake has lost its claim the same way once the lease it can be sure of (counted from
 * when its claim, or its last confirmed renewal, was sent) is about to run out: a renewal that never gets through
 * tells it nothing, while the service hands the entity's next wake out once the lease ends. As the service may still
 * hold that claim, the wake sends a done that acks nothing before it is abandoned.
 * With `handler-signal=lease` (and either of the two above, which keep the claim's account) the handler's context
 * carries a `signal` that aborts when the wake loses its claim; a handler that throws once the claim is lost ends the
 * wake as abandoned, whatever it threw.
 * `onNextWake` (given under `next-wake=claim`) is called once the done was answered `next_wake: true`; 0.4.x passes
 * none and drops that answer.
 * `rows` are the payloads of the wake rows the runner read for this entity (a child's `runFinished` under
 * `run-finished-delivery=wake-stream`): given to the handler before the stream inputs, and acknowledged by the done's
 * `wake_rows_to` cursor (the last row's offset) when its streams are; otherwise handed back to the runner.
 */
export async function processWake(
  env: V04Environment,
  wake: WakeNotification,
  handler: EntityHandler,
  stopping: () => boolean,
  onNextWake?: () => void,
  /**
   * The payloads of the wake rows the runner read for this entity (none without `runFinished` wake rows), and what to
   * do when the wake's done does not acknowledge them (a failure redelivered, an abandoned wake, a done that failed):
   * the runner keeps them for the entity's next wake.
   */
  rows: WakeRows = NO_WAKE_ROWS,
  /**
   * When the claim that granted this wake went out: its lease began no earlier (`lease-fence=deadline` counts from it).
   * Absent, now: later than the grant by the answer's trip, so only for a caller that has no claim of its own.
   */
  claimSentAtMs: number = nowMs(),
): Promise<WakeOutcome> {
  const entity = wake.entity.id;
  // The claim's lease began no later than this: a done retried past it could only race the wake that follows.
  const leaseEndsAtMs = nowMs() + wake.lease_ttl_ms;
  env.annotate('wake-start', { entity, wakeId: wake.wake_id, generation: wake.generation });
  const { leaseRenewal, leaseFence, renewalTimeout, renewalRetry } = env.config;
  const renewer =
    leaseRenewal === 'renew' || leaseFence === 'deadline'
      ? new LeaseRenewer(env, wake, { renew: leaseRenewal === 'renew', fenceFromMs: leaseFence === 'deadline' ? claimSentAtMs : undefined, renewalTimeout, renewalRetry: renewalRetry === 'backoff' })
      : undefined;
  renewer?.start();
  const leaseLost = (): boolean => renewer?.lostReason !== undefined;
  const leaseDeadlineReached = (): boolean => renewer?.deadlineReached === true;
  try {
    return await runWake(
      env,
      wake,
      handler,
      { aborted: () => stopping() || leaseLost(), leaseLost, leaseDeadlineReached, stopping, ...(renewer ? { leaseLostSignal: renewer.signal } : {}) },
      leaseEndsAtMs,
      onNextWake,
      rows,
    );
  } finally {
    renewer?.stop();
  }
}

/** What a wake asks of its runner while it runs: whether to give up, and why. */
interface WakeSignals {
  /** A stop began or the lease was lost: the wake is abandoned at its next step. */
  readonly aborted: () => boolean;
  readonly leaseLost: () => boolean;
  /** The claim was given up at the deadline of `lease-fence=deadline`, not refused: the service may still hold it. */
  readonly leaseDeadlineReached: () => boolean;
  /** A stop (SIGTERM) began. */
  readonly stopping: () => boolean;
  /**
   * Aborts when the lease is lost (a renewal refused, or the deadline of `lease-fence=deadline`): a preload waiting on
   * a hung connection gives up at once.
   */
  readonly leaseLostSignal?: AbortSignal;
}

async function runWake(
  env: V04Environment,
  wake: WakeNotification,
  handler: EntityHandler,
  { aborted, leaseLost, leaseDeadlineReached, stopping, leaseLostSignal }: WakeSignals,
  leaseEndsAtMs: number,
  onNextWake: (() => void) | undefined,
  rows: WakeRows,
): Promise<WakeOutcome> {
  const rowInputs = rows.inputs;
  const entity = wake.entity.id;
  const handles = new Map<string, SharedStateHandle>();
  const uncommittedRows: ManifestRow[] = [];
  const handOutSignal = env.config.handlerSignal === 'lease';
  // `handler-signal=lease`: a write made while the handler runs ends on the lost claim too, as the handler's own calls
  // do. The flush after the handler returned is not cut short: a wake that fails there is failed, not abandoned.
  let handlerRunning = false;
  const writerFor =
    (sharedId: string): SharedStateWriter =>
    async (event) =>
      void (await env.agents.writeSharedState(sharedId, wake.write_token, event, handOutSignal && handlerRunning ? leaseLostSignal : undefined));
  const acks: StreamAck[] = [];
  let outcome: WakeOutcome;
  try {
    for (const row of await env.agents.readManifest(entity)) {
      handles.set(row.shared_id, new SharedStateHandle(row.shared_id, row.mode, true));
    }
    // Read before step 2, which may fail closed: a failed wake is still acked as consuming what it was for.
    const inputs = [...rowInputs, ...(await readInputs(env, wake, acks))];
    const shared: WakeSharedState = {
      writerFor,
      readHeaders: { authorization: bearer(wake.write_token) },
      create: (sharedId) => env.agents.createSharedState(sharedId, wake.write_token),
    };
    const chain = new WiringChain(env, entity, wake.wake_id, aborted, shared, leaseLostSignal);
    for (const handle of handles.values()) await chain.wireRestored(handle);

    const ctx: HandlerContext = {
      entity,
      wakeId: wake.wake_id,
      inputs,
      observe: async (source: DbSource) => {
        let handle = handles.get(source.id);
        env.annotate('observe-called', { entity, wakeId: wake.wake_id, sharedId: source.id, created: !handle });
        if (!handle) {
          handle = new SharedStateHandle(source.id, source.mode, false);
          handles.set(source.id, handle);
          uncommittedRows.push({ shared_id: source.id, mode: source.mode });
          chain.add(handle);
        }
        await chain.wirePendingAndWait();
        if (leaseLost()) throw new AbortedError(`wake ${wake.wake_id} abandoned: its lease renewal was refused`);
        return handle;
      },
      // `handler-signal=lease`: the handler is told when its wake loses the claim, and can end its slow calls.
      ...(handOutSignal && leaseLostSignal ? { signal: leaseLostSignal } : {}),
    };
    try {
      handlerRunning = true;
      await handler(ctx);
    } catch (error) {
      // A handler told of the lost claim ends with whatever its calls threw on the abort: the wake is abandoned.
      if (error instanceof AbortedError || !(handOutSignal && leaseLost())) throw error;
      throw new AbortedError(`wake ${wake.wake_id} abandoned: its handler ended on the lost claim (${describeError(error)})`);
    } finally {
      handlerRunning = false;
    }

    await chain.settled();
    // The post-handler flush: rows a create-mode handle staged after its wiring (or while it stayed unwired).
    for (const handle of handles.values()) {
      const written = await handle.flushStaged();
      if (written > 0) env.annotate('staged-flushed', { entity, wakeId: wake.wake_id, sharedId: handle.id, restored: handle.restored, rows: written });
    }
    if (uncommittedRows.length > 0) {
      await env.agents.commitManifest(entity, wake.write_token, uncommittedRows);
      env.annotate('manifest-committed', { entity, wakeId: wake.wake_id, sharedIds: uncommittedRows.map((row) => row.shared_id) });
      uncommittedRows.length = 0;
    }
    const wiringError = chain.error;
    if (wiringError) throw wiringError.value;
    // B6's defect (`stop-done=skip`): a stop that began during the pass drops its done, though the pass is complete.
    if (env.config.stopDone === 'skip' && stopping()) throw new AbortedError(`wake ${wake.wake_id}: stopping, done skipped`);
    outcome = 'completed';
  } catch (error) {
    if (error instanceof AbortedError) {
      if (rowInputs.length > 0) rows.notAcked();
      // O3's defect (`stop-ack=tail`): the stop's cleanup releases an abandoned wake's claim with a done at the tails.
      if (env.config.stopAck === 'tail' && stopping()) await sendStopCleanupDone(env, wake, leaseEndsAtMs);
      // `lease-fence=deadline`: the claim may still be this wake's at the service. A done that acks nothing releases it
      // now, so the inputs go to the entity's next wake without waiting for the lease to run out (a done that arrives
      // after the next wake was granted is fenced by its generation).
      else if (leaseDeadlineReached()) await sendReleaseDone(env, wake, leaseEndsAtMs);
      env.annotate('wake-abandoned', { entity, wakeId: wake.wake_id });
      return 'abandoned';
    }
    env.annotate('wake-failed', { entity, wakeId: wake.wake_id, error: describeError(error), rolledBackRows: uncommittedRows.length });
    uncommittedRows.length = 0;
    outcome = 'failed';
  }
  try {
    // failed-wake=redeliver: acknowledge nothing, so the server keeps the inputs pending and wakes the entity again.
    const given = outcome === 'failed' && env.config.failedWake === 'redeliver' ? [] : acks;
    // The wake-row cursor: the last wake row given to this wake (rows are given in wake-stream order); a failed wake
    // redelivered acknowledges none, as it acknowledges no stream.
    const rowsAcked = rowInputs.length > 0 && !(outcome === 'failed' && env.config.failedWake === 'redeliver');
    const rowsTo = rowsAcked ? rowInputs[rowInputs.length - 1]!.offset : undefined;
    if (rowInputs.length > 0 && !rowsAcked) rows.notAcked();
    const done = async (): Promise<DoneResponse> => {
      // O3's defect (`stop-ack=tail`): once a stop began, the done acks the streams' tails, not what the wake read.
      const consumed = env.config.stopAck === 'tail' && stopping() ? await tailAcks(env, wake) : given;
      return sendDone(env, wake, consumed, leaseEndsAtMs, rowsTo);
    };
    const answer = await done().catch((error: unknown) => {
      if (rowsAcked) rows.notAcked();
      throw error;
    });
    env.annotate('wake-acked', { entity, wakeId: wake.wake_id, outcome });
    if (answer.next_wake === true) onNextWake?.();
  } catch (error) {
    env.annotate('ack-failed', { entity, wakeId: wake.wake_id, error: describeError(error) });
  }
  return outcome;
}

/**
 * O3's defect (`stop-ack=tail`, c1f1aed46): the cleanup a stop runs for a wake it abandoned sends the wake's done
 * anyway, to release the claim at once, acking every linked stream at its tail ({@link tailAcks}). A failure is
 * annotated like any done's: the process is on its way out.
 */
async function sendStopCleanupDone(env: V04Environment, wake: WakeNotification, leaseEndsAtMs: number): Promise<void> {
  try {
    await sendDone(env, wake, await tailAcks(env, wake), leaseEndsAtMs, undefined);
    env.annotate('wake-acked', { entity: wake.entity.id, wakeId: wake.wake_id, outcome: 'abandoned' });
  } catch (error) {
    env.annotate('ack-failed', { entity: wake.entity.id, wakeId: wake.wake_id, error: describeError(error) });
  }
}

/**
 * `lease-fence=deadline`: the done of a wake that gave its claim up at its lease's deadline, acking nothing, so that
 * the service releases the claim and presents the inputs again. A failure is annotated like any done's.
 */
async function sendReleaseDone(env: V04Environment, wake: WakeNotification, leaseEndsAtMs: number): Promise<void> {
  try {
    await sendDone(env, wake, [], leaseEndsAtMs, undefined);
    env.annotate('wake-acked', { entity: wake.entity.id, wakeId: wake.wake_id, outcome: 'abandoned' });
  } catch (error) {
    env.annotate('ack-failed', { entity: wake.entity.id, wakeId: wake.wake_id, error: describeError(error) });
  }
}

/**
 * O3's defect: an ack of each stream the claim lists at the tail the Durable Streams service knows now (a catch-up
 * read at `now`), as a cleanup that marks "everything so far" consumed does. Items appended after the wake read its
 * inputs lie below that tail, though no handler was given them.
 */
async function tailAcks(env: V04Environment, wake: WakeNotification): Promise<StreamAck[]> {
  const acks: StreamAck[] = [];
  for (const stream of wake.streams) acks.push({ stream: stream.stream, offset: (await env.streams.read(stream.stream, TAIL_OFFSET)).nextOffset });
  return acks;
}

/**
 * Sends the wake's done; under `done-retry=backoff` a transient failure (the agents server restarting, a 5xx) is
 * retried with a doubling wait (capped at 2 s) for as long as the claim's lease lasts (past it the
 * service issues the next wake, which the retries would race), so a done is not lost to a short outage.
 */
async function sendDone(env: V04Environment, wake: WakeNotification, acks: StreamAck[], leaseEndsAtMs: number, wakeRowsTo: string | undefined): Promise<DoneResponse> {
  let backoffMs: number = RUNTIME_TIMING.doneRetryInitialBackoffMs;
  const body = { subscription_id: wake.subscription_id, generation: wake.generation, acks, ...(wakeRowsTo === undefined ? {} : { wake_rows_to: wakeRowsTo }) };
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await env.agents.done(wake.wake_id, wake.write_token, body);
    } catch (error) {
      const withinLease = nowMs() + backoffMs < leaseEndsAtMs;
      if (env.config.doneRetry === 'none' || !withinLease || !isTransient(error)) throw error;
      env.annotate('done-retry', { wakeId: wake.wake_id, attempt, backoffMs, error: describeError(error) });
      await sleep(backoffMs);
      backoffMs = Math.min(backoffMs * 2, RUNTIME_TIMING.doneRetryMaxBackoffMs);
    }
  }
}

/** The wake rows a wake is given beside its stream inputs (see {@link processWake}). */
export interface WakeRows {
  /**
   * One input per wake row, in wake-stream order: `stream` is the wake stream, `value` the row's payload, and `offset`
   * the row's own offset in the wake stream (not, as for a linked stream's item, the offset after it): the value the
   * done's `wake_rows_to` cursor takes.
   */
  readonly inputs: readonly WakeInput[];
  /** Called once when the wake's done will not acknowledge them. */
  notAcked(): void;
}

const NO_WAKE_ROWS: WakeRows = { inputs: [], notAcked: () => {} };

/** Whether a stream item is a `wake` row (a `runFinished` the agents server appended), not a message or a tick. */
function isWakeRow(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'wake';
}

/**
 * B7's defect (`wake-batch=newest`): of the `wake` rows one read returned, only the newest is kept (upstream's
 * `selectWakeFromEvents` picks one wake event from the batch); the others are dropped, though the read is acked whole.
 */
function newestWakeRowOnly(env: V04Environment, wake: WakeNotification, stream: string, items: readonly unknown[]): unknown[] {
  let newest = -1;
  items.forEach((value, index) => {
    if (isWakeRow(value)) newest = index;
  });
  const kept = items.filter((value, index) => !isWakeRow(value) || index === newest);
  if (kept.length < items.length) env.annotate('wake-rows-dropped', { wakeId: wake.wake_id, stream, dropped: items.length - kept.length });
  return kept;
}

/**
 * Reads the new items of every claimed stream with pending work, from its acked offset, and records in `acks` where
 * each read ended (it may reach past the tail the claim listed: what the handler saw is not presented again).
 */
async function readInputs(env: V04Environment, wake: WakeNotification, acks: StreamAck[]): Promise<WakeInput[]> {
  const inputs: WakeInput[] = [];
  for (const stream of wake.streams) {
    if (!stream.has_pending) continue;
    const read = await env.streams.read(stream.stream, stream.acked_offset);
    const given = env.config.wakeBatch === 'newest' ? newestWakeRowOnly(env, wake, stream.stream, read.items) : read.items;
    for (const value of given) inputs.push({ stream: stream.stream, offset: read.nextOffset, value: value as WakeInput['value'] });
    acks.push({ stream: stream.stream, offset: read.nextOffset });
  }
  return inputs;
}
