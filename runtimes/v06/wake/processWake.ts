import type { ManifestRow, StreamAck, WakeNotification } from '../../../protocol/agents/agentsRoutes.ts';
import type { DbSource, HandlerContext, SharedStateHandle } from '../../../protocol/entity/EntityHandler.ts';
import { errorLine } from '../http/ServiceError.ts';
import { SharedDbHandle } from '../shared-state/SharedDbHandle.ts';
import type { SharedRowWriter } from '../shared-state/rowChanges.ts';
import { readWakeInputs } from './readWakeInputs.ts';
import { SharedStateWiring } from './SharedStateWiring.ts';
import { WakeAbandoned } from './WakeAbandoned.ts';
import type { WakeEnvironment } from './WakeEnvironment.ts';

/**
 * How a wake ended: `completed`; `failed` (still acked: a failed wake is not retried, the next wake is the retry);
 * `abandoned` (a stop gave up on a wait of the wake; its claim is released without consuming anything).
 */
export type WakeEnd = 'completed' | 'failed' | 'abandoned';

/** Thrown when no entity code is registered for the wake's entity type. */
export class NoHandlerError extends Error {
  override name = 'NoHandlerError';
}

/**
 * Runs one claimed wake, in the order of semantics.md §1:
 * 1. read the entity's manifest and rebuild its shared-state handles; 2. wire them before the handler, failing the
 * wake on error (fail-closed); then read the wake's inputs (the new items of each claimed stream with pending work);
 * 3. run the handler, whose `observe(db(...))` goes through the wake's {@link SharedStateWiring};
 * 4. after a handler that returned normally, wait for the wiring chain, write staged rows, commit the manifest rows
 *    this wake added, then throw the first recorded wiring failure;
 * 5. on failure, roll back the uncommitted manifest rows.
 * Then `done` goes out in every case — also while the runner stops (the fix of B6) — acking exactly what the wake read;
 * an abandoned wake acks nothing and only releases its claim.
 */
export async function processWake(env: WakeEnvironment, wake: WakeNotification): Promise<WakeEnd> {
  const entity = wake.entity.id;
  const about = { entity, wakeId: wake.wake_id, generation: wake.generation };
  env.annotate('wake-start', about);
  const handles = new Map<string, SharedDbHandle>();
  const addedRows: ManifestRow[] = [];
  const writerFor =
    (sharedId: string): SharedRowWriter =>
    async (change) => {
      await env.agents.writeSharedState(sharedId, wake.write_token, change);
    };
  const wiring = new SharedStateWiring(env, entity, writerFor);
  let acks: readonly StreamAck[] = [];
  let end: WakeEnd;
  try {
    for (const row of await env.agents.manifest(entity)) handles.set(row.shared_id, new SharedDbHandle(row.shared_id, row.mode, true));
    for (const handle of handles.values()) await wiring.wireRestored(handle);
    const read = await readWakeInputs(env, wake);
    acks = read.acks;
    const handler = env.handlers.get(wake.entity.type);
    if (!handler) throw new NoHandlerError(`no entity code for type "${wake.entity.type}"`);

    const observe = async (source: DbSource): Promise<SharedStateHandle> => {
      const known = handles.get(source.id);
      env.annotate('observe-called', { entity, sharedId: source.id, created: known === undefined });
      const handle = known ?? new SharedDbHandle(source.id, source.mode, false);
      if (!known) {
        handles.set(source.id, handle);
        addedRows.push({ shared_id: source.id, mode: source.mode });
        wiring.enqueue(handle);
      }
      await wiring.passForObserve();
      return handle;
    };
    const ctx: HandlerContext = { entity, wakeId: wake.wake_id, inputs: read.inputs, observe };
    await handler(ctx);

    await wiring.drained();
    for (const handle of handles.values()) await handle.flushStaged();
    if (addedRows.length > 0) {
      await env.agents.commitManifest(entity, wake.write_token, addedRows);
      env.annotate('manifest-committed', { entity, sharedIds: addedRows.map((row) => row.shared_id) });
      addedRows.length = 0;
    }
    const failure = wiring.recordedFailure;
    if (failure) throw failure.error;
    end = 'completed';
  } catch (error) {
    if (error instanceof WakeAbandoned) {
      end = 'abandoned';
      acks = [];
      env.annotate('wake-abandoned', { ...about, error: errorLine(error) });
    } else {
      end = 'failed';
      env.annotate('wake-failed', { ...about, error: errorLine(error), rolledBackRows: addedRows.length });
    }
    addedRows.length = 0;
  }
  await sendDone(env, wake, acks, end);
  return end;
}

/** Acks the wake as done; a refusal (a token lost to a server restart, a fenced generation) is reported, not thrown. */
async function sendDone(env: WakeEnvironment, wake: WakeNotification, acks: readonly StreamAck[], end: WakeEnd): Promise<void> {
  const about = { entity: wake.entity.id, wakeId: wake.wake_id };
  try {
    const answer = await env.agents.done(wake.wake_id, wake.write_token, { subscription_id: wake.subscription_id, generation: wake.generation, acks });
    // An abandoned wake only gave its claim back; the models follow `wake-acked` as the end of a wake that ran.
    env.annotate(end === 'abandoned' ? 'wake-released' : 'wake-acked', { ...about, end, nextWake: answer.next_wake });
  } catch (error) {
    env.annotate(end === 'abandoned' ? 'release-failed' : 'ack-failed', { ...about, end, error: errorLine(error) });
  }
}
