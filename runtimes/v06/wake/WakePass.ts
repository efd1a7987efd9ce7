import type { ManifestRow, WakeNotification } from '../../../protocol/agents/agentsRoutes.ts';
import type { DbSource, HandlerContext, SharedStateHandle, WakeInput } from '../../../protocol/entity/EntityHandler.ts';
import { SharedDbHandle } from '../shared-state/SharedDbHandle.ts';
import type { SharedRowWriter } from '../shared-state/rowChanges.ts';
import { SharedStateWiring } from './SharedStateWiring.ts';
import type { WakeEnvironment } from './WakeEnvironment.ts';

/** Thrown when no entity code is registered for the wake's entity type. */
export class NoHandlerError extends Error {
  override name = 'NoHandlerError';
}

/**
 * One wake's pass over its entity: the shared-state handles it holds (restored from the manifest, or created by a
 * first `observe`), the manifest rows it added and has not committed, and its {@link SharedStateWiring}. Its
 * methods are the steps of semantics.md §1 in the order `processWake` calls them.
 */
export class WakePass {
  private readonly handles = new Map<string, SharedDbHandle>();
  /** Rows for handles this wake created; they reach the manifest only when the handler returned normally. */
  private readonly uncommitted: ManifestRow[] = [];
  private readonly wiring: SharedStateWiring;

  constructor(
    private readonly env: WakeEnvironment,
    private readonly wake: WakeNotification,
  ) {
    const writerFor =
      (sharedId: string): SharedRowWriter =>
      async (change) => {
        await env.agents.writeSharedState(sharedId, wake.write_token, change);
      };
    this.wiring = new SharedStateWiring(env, wake.entity.id, wake.wake_id, writerFor);
  }

  /** Steps 1 and 2: rebuild the handles the manifest lists and wire each before the handler (fail-closed). */
  async restoreHandles(): Promise<void> {
    for (const row of await this.env.agents.manifest(this.wake.entity.id)) {
      this.handles.set(row.shared_id, new SharedDbHandle(row.shared_id, row.mode, true));
    }
    for (const handle of this.handles.values()) await this.wiring.wireRestored(handle);
  }

  /** Step 3: the entity's code, with the wake's inputs and `observe`. */
  async runHandler(inputs: readonly WakeInput[]): Promise<void> {
    const handler = this.env.handlers.get(this.wake.entity.type);
    if (!handler) throw new NoHandlerError(`no entity code for type "${this.wake.entity.type}"`);
    const ctx: HandlerContext = { entity: this.wake.entity.id, wakeId: this.wake.wake_id, inputs, observe: (source) => this.observe(source) };
    await handler(ctx);
  }

  /**
   * Step 4, after a handler that returned normally: the chain's passes finish, rows staged before wiring are written,
   * the manifest rows this wake added are committed, and only then does a wiring failure the chain recorded fail the
   * wake — so a handle first observed in a wake that swallowed its wiring error is restored, fail-closed, next time.
   */
  async finish(): Promise<void> {
    await this.wiring.drained();
    for (const handle of this.handles.values()) await handle.flushStaged();
    if (this.uncommitted.length > 0) {
      await this.env.agents.commitManifest(this.wake.entity.id, this.wake.write_token, this.uncommitted);
      // Rows leave the list only once stored: a refused commit leaves them to be rolled back with the wake.
      const committed = this.uncommitted.splice(0, this.uncommitted.length);
      this.env.annotate('manifest-committed', { entity: this.wake.entity.id, wakeId: this.wake.wake_id, sharedIds: committed.map((row) => row.shared_id) });
    }
    this.wiring.throwRecordedFailure();
  }

  /** Step 5: the wake failed; the rows it added are dropped. Returns how many there were. */
  rollBack(): number {
    return this.uncommitted.splice(0, this.uncommitted.length).length;
  }

  /** `ctx.observe(db(...))`: the known handle or a new unwired one, then a wiring pass awaited as the switch says. */
  private async observe(source: DbSource): Promise<SharedStateHandle> {
    const known = this.handles.get(source.id);
    this.env.annotate('observe-called', { entity: this.wake.entity.id, wakeId: this.wake.wake_id, sharedId: source.id, created: known === undefined });
    let handle = known;
    if (handle === undefined) {
      handle = new SharedDbHandle(source.id, source.mode, false);
      this.handles.set(source.id, handle);
      this.uncommitted.push({ shared_id: source.id, mode: source.mode });
      this.wiring.enqueue(handle);
    }
    await this.wiring.passForObserve();
    return handle;
  }
}
