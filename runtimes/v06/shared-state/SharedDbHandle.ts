import type { SharedCollection, SharedStateHandle, SharedStateMode, StateRow } from '../../../protocol/entity/EntityHandler.ts';
import type { SharedStateDb } from './SharedStateDb.ts';

/** Thrown by the public methods of an unwired `connect` handle. */
export class SharedDbNotLoadedError extends Error {
  override name = 'SharedDbNotLoadedError';
}

/** What stands behind a handle: rows staged in memory until it is wired, then its loaded DB. */
type Backing = { readonly wired: false; readonly staged: Map<string, StateRow> } | { readonly wired: true; readonly db: SharedStateDb };

/**
 * What `ctx.observe(db(id))` hands the entity. Until the wake wires it to a loaded {@link SharedStateDb} it is
 * *unwired*: in `connect` mode `toArray` and `insert` throw `shared DB "<id>" is not loaded yet`; in `create` mode they
 * work on rows staged in memory, written once it is wired; in both modes `__electricCollection` is plainly
 * `undefined` — the inconsistency bug report #4625 points out, kept because entity code in the field reads it.
 */
export class SharedDbHandle implements SharedStateHandle {
  private backing: Backing = { wired: false, staged: new Map() };
  /** Rows staged while unwired that the wake has not written yet. */
  private pendingFlush: StateRow[] = [];

  constructor(
    readonly id: string,
    readonly mode: SharedStateMode,
    /** True for a handle rebuilt from the entity's manifest, false for one a first `observe` created in this wake. */
    readonly restored: boolean,
  ) {}

  get wired(): boolean {
    return this.backing.wired;
  }

  get __electricCollection(): SharedCollection | undefined {
    return this.backing.wired ? this.backing.db.collection : undefined;
  }

  /** Gives the handle its loaded DB; rows staged before stay staged until {@link flushStaged}. */
  wire(db: SharedStateDb): void {
    const staged = this.backing.wired ? [] : [...this.backing.staged.values()];
    this.backing = { wired: true, db };
    this.pendingFlush = staged;
  }

  toArray(): StateRow[] {
    const backing = this.backing;
    if (backing.wired) return backing.db.collection.toArray();
    this.refuseWhileConnecting();
    return [...backing.staged.values()];
  }

  async insert(row: StateRow): Promise<void> {
    const backing = this.backing;
    if (backing.wired) return backing.db.insert(row);
    this.refuseWhileConnecting();
    backing.staged.set(row.key, row);
  }

  /** Writes the rows staged before wiring (create mode), in the order they were staged. */
  async flushStaged(): Promise<void> {
    const backing = this.backing;
    if (!backing.wired) return;
    for (let row = this.pendingFlush.shift(); row !== undefined; row = this.pendingFlush.shift()) await backing.db.insert(row);
  }

  private refuseWhileConnecting(): void {
    if (this.mode === 'connect') throw new SharedDbNotLoadedError(`shared DB "${this.id}" is not loaded yet (it was not wired in this wake)`);
  }
}
