import type { SharedCollection, SharedStateHandle as PublicHandle, SharedStateMode, StateRow } from '../../../protocol/entity/EntityHandler.ts';
import type { SharedStateDb } from './SharedStateDb.ts';

/**
 * What `ctx.observe(db(id))` returns. Until `wireDb` sets its backing DB it is *unwired*: in `connect` mode the
 * public methods throw, in `create` mode they work on a staged, initially empty collection; in both modes the raw
 * `__electricCollection` accessor quietly returns `undefined` — the inconsistency the bug report points out. Rows
 * staged while unwired are written to the DB by {@link flushStaged}, which the wake calls once the handle is wired and
 * again after the handler.
 */
export class SharedStateHandle implements PublicHandle {
  private backingDb: SharedStateDb | null = null;
  private readonly staged = new Map<string, StateRow>();
  /** True once this wake's `mkdb` created the shared state through the agents server (create mode, not restored). */
  created = false;

  constructor(
    readonly id: string,
    readonly mode: SharedStateMode,
    /** True when the handle was rebuilt from the entity's manifest rather than created by a first observe. */
    readonly restored: boolean,
  ) {}

  get isWired(): boolean {
    return this.backingDb !== null;
  }

  wireDb(db: SharedStateDb): void {
    this.backingDb = db;
  }

  /** The raw collection: `undefined` while unwired, with no error in either mode. */
  get __electricCollection(): SharedCollection | undefined {
    return this.backingDb?.collection;
  }

  toArray(): StateRow[] {
    if (this.backingDb) return this.backingDb.collection.toArray();
    this.assertUsableUnwired();
    return [...this.staged.values()];
  }

  async insert(row: StateRow): Promise<void> {
    if (this.backingDb) return this.backingDb.insert(row);
    this.assertUsableUnwired();
    this.staged.set(row.key, row);
  }

  /** How many rows are staged, not yet written. */
  get stagedCount(): number {
    return this.staged.size;
  }

  /**
   * Writes the staged rows to the backing DB, in the order they were staged, each dropped from the stage once its
   * write succeeded. Nothing staged: nothing to do. Rows staged on a handle still unwired have no DB to go to: that
   * throws, so a wake whose `mkdb` was never wired fails rather than losing the rows it wrote (docs/modelling-choices.md).
   */
  async flushStaged(): Promise<number> {
    if (this.staged.size === 0) return 0;
    const db = this.backingDb;
    if (!db) throw new Error(`shared DB "${this.id}" was never wired in this wake: ${this.staged.size} staged write(s) cannot be flushed`);
    let written = 0;
    for (const [key, row] of [...this.staged]) {
      await db.insert(row);
      this.staged.delete(key);
      written += 1;
    }
    return written;
  }

  private assertUsableUnwired(): void {
    if (this.mode === 'connect') {
      throw new Error(`shared DB "${this.id}" is not loaded yet; it has not been wired in this wake`);
    }
  }
}
