import type { Claim } from '../../world/durable-streams/PullWakeSubscriptions.ts';
import type { ManifestRow } from '../../world/agents-server/AgentsServer.ts';
import type { RuntimeConfig } from '../config.ts';
import { AbortedError, describeError } from '../errors.ts';
import type { RuntimeEnvironment } from '../ports.ts';
import { SharedStateHandle } from '../shared-state/SharedStateHandle.ts';
import type { DbSource, EntityHandler, HandlerContext } from './HandlerContext.ts';
import { WiringChain } from './WiringChain.ts';

/** A claimed wake handed to {@link processWake}. */
export interface DispatchedWake {
  readonly entity: string;
  readonly claim: Claim;
}

/** How a wake ended: acked after success, acked after failure (no retry), or abandoned unacked by a stop. */
export type WakeOutcome = 'completed' | 'failed' | 'abandoned';

/**
 * Processes one claimed wake, in the order of semantics.md §1:
 * 1. rebuild the handles the entity's manifest lists; 2. wire them, failing the wake on error (fail-closed);
 * 3. run the handler, whose `observe(db(...))` goes through the {@link WiringChain};
 * 4. after a normal return, wait for the chain, commit new manifest rows, then throw the first wiring error;
 * 5. on failure, roll back uncommitted manifest rows and still ack the wake as done: failed wakes are not retried.
 */
export async function processWake(
  env: RuntimeEnvironment,
  config: RuntimeConfig,
  wake: DispatchedWake,
  handler: EntityHandler,
  aborted: () => boolean,
): Promise<WakeOutcome> {
  const { entity, claim } = wake;
  env.emit('wake-start', { entity, wakeId: claim.wake_id, generation: claim.generation });
  const handles = new Map<string, SharedStateHandle>();
  const uncommittedRows: ManifestRow[] = [];
  const chain = new WiringChain(env, config.wiring, entity, aborted, config.streams ?? 'fast');
  let outcome: WakeOutcome;
  try {
    for (const row of await env.agents.readManifest(entity)) {
      handles.set(row.sharedId, new SharedStateHandle(row.sharedId, row.mode, true));
    }
    for (const handle of handles.values()) await chain.wireRestored(handle);

    const ctx: HandlerContext = {
      entity,
      wakeId: claim.wake_id,
      nowMs: () => env.nowMs(),
      observe: async (source: DbSource) => {
        let handle = handles.get(source.id);
        env.emit('observe-called', { entity, sharedId: source.id, created: !handle });
        if (!handle) {
          handle = new SharedStateHandle(source.id, source.mode, false);
          handles.set(source.id, handle);
          uncommittedRows.push({ sharedId: source.id, mode: source.mode });
          chain.add(handle);
        }
        await chain.wirePendingAndWait();
        return handle;
      },
    };
    await handler(ctx);

    await chain.settled();
    if (uncommittedRows.length > 0) {
      await env.agents.commitManifest(entity, uncommittedRows);
      env.emit('manifest-committed', { entity, sharedIds: uncommittedRows.map((row) => row.sharedId) });
      uncommittedRows.length = 0;
    }
    const wiringError = chain.error;
    if (wiringError) throw wiringError.value;
    outcome = 'completed';
  } catch (error) {
    if (error instanceof AbortedError) {
      env.emit('wake-abandoned', { entity, wakeId: claim.wake_id });
      return 'abandoned';
    }
    env.emit('wake-failed', { entity, wakeId: claim.wake_id, error: describeError(error), rolledBackRows: uncommittedRows.length });
    uncommittedRows.length = 0;
    outcome = 'failed';
  }
  const offsets = Object.fromEntries(claim.streams.map((stream) => [stream.path, stream.tail_offset]));
  try {
    await env.agents.ack(claim.subscription_id, claim.wake_id, claim.generation, offsets);
    env.emit('wake-acked', { entity, wakeId: claim.wake_id, outcome });
  } catch (error) {
    env.emit('ack-failed', { entity, wakeId: claim.wake_id, error: describeError(error) });
  }
  return outcome;
}
