import type { SharedCollection, SharedStateHandle as PublicHandle, SharedStateMode, StateRow } from '../../../protocol/entity/EntityHandler.ts';
import type { SharedStateDb } from './SharedStateDb.ts';

/**
 * What `ctx.observe(db(id))` returns. Until `wireDb` sets its backing DB it is *unwired*: in `connect` mode the
 * public methods throw, in `create` mode they work on a staged, initially empty collection; in both modes the raw
 * `__electricCollection` accessor quietly returns `undefined` — the inconsistency the bug report points out.
 */
export class SharedStateHandle implements PublicHandle {
  private backingDb: SharedStateDb | null = null;
  private readonly staged = new Map<string, StateRow>();

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

  private assertUsableUnwired(): void {
    if (this.mode === 'connect') {
      throw new Error(`shared DB "${this.id}" is not loaded yet; it has not been wired in this wake`);
    }
  }
}
