import type { SharedCollection, SharedStateHandle, SharedStateMode, StateRow } from '../../../protocol/entity/EntityHandler.ts';
import type { SharedStateDb } from './SharedStateDb.ts';

/** Thrown by the public methods of an unwired `connect` handle. */
export class SharedDbNotLoadedError extends Error {
  override name = 'SharedDbNotLoadedError';
}

/**
 * What `ctx.observe(db(id))` hands the entity. Until the wake wires it to a loaded {@link SharedStateDb} it is
 * *unwired*: in `connect` mode `toArray` and `insert` throw `shared DB "<id>" is not loaded yet`; in `create` mode they
 * work on rows staged in memory, written once it is wired; in both modes `__electricCollection` is plainly
 * `undefined` — the inconsistency bug report #4625 points out, kept because entity code in the field reads it.
 */
export class SharedDbHandle implements SharedStateHandle {
  private db: SharedStateDb | undefined;
  private readonly staged = new Map<string, StateRow>();

  constructor(
    readonly id: string,
    readonly mode: SharedStateMode,
    /** True for a handle rebuilt from the entity's manifest, false for one a first `observe` created in this wake. */
    readonly restored: boolean,
  ) {}

  get wired(): boolean {
    return this.db !== undefined;
  }

  /** Gives the handle its loaded DB. */
  wire(db: SharedStateDb): void {
    this.db = db;
  }

  get __electricCollection(): SharedCollection | undefined {
    return this.db?.collection;
  }

  toArray(): StateRow[] {
    if (this.db) return this.db.collection.toArray();
    this.refuseWhileConnecting();
    return [...this.staged.values()];
  }

  async insert(row: StateRow): Promise<void> {
    if (this.db) return this.db.insert(row);
    this.refuseWhileConnecting();
    this.staged.set(row.key, row);
  }

  /** Writes the rows staged before wiring (create mode); a no-op while unwired or when nothing is staged. */
  async flushStaged(): Promise<void> {
    if (!this.db) return;
    for (const row of this.staged.values()) await this.db.insert(row);
    this.staged.clear();
  }

  private refuseWhileConnecting(): void {
    if (this.mode === 'connect') throw new SharedDbNotLoadedError(`shared DB "${this.id}" is not loaded yet (it was not wired in this wake)`);
  }
}
