/**
 * The entity API: what the scenario's entity code sees of a wake, whatever runtime runs it. Each runtime under test
 * implements it on its own; the shapes follow the agents runtime's public API (`ctx.observe(db(...))`, handles with
 * `toArray`, `insert` and the raw `__electricCollection` accessor).
 */

/** A JSON value as rows and messages carry it. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** `connect`: a handle on an existing shared stream (`db(id)`); `create`: a handle that makes one (`mkdb(id)`). */
export type SharedStateMode = 'connect' | 'create';

/** A shared-state source to observe. */
export interface DbSource {
  readonly kind: 'db';
  readonly id: string;
  readonly mode: SharedStateMode;
}

/** `db(id)`: connect to the existing shared-state DB `id`. */
export const db = (id: string): DbSource => ({ kind: 'db', id, mode: 'connect' });
/** `mkdb(id)`: create the shared-state DB `id` (writes are staged until it is wired). */
export const mkdb = (id: string): DbSource => ({ kind: 'db', id, mode: 'create' });

/** A row of a shared-state collection. */
export interface StateRow {
  readonly key: string;
  readonly value: JsonValue;
}

/** Read access to a loaded collection: what `__electricCollection` hands out. */
export interface SharedCollection {
  has(key: string): boolean;
  get(key: string): JsonValue | undefined;
  toArray(): StateRow[];
}

/**
 * What `ctx.observe(db(id))` resolves with. Until the runtime wires its backing DB it is *unwired*: in `connect` mode
 * the public methods throw, in `create` mode they work on staged rows; in both modes `__electricCollection` is
 * `undefined` without an error — the inconsistency bug report #4625 points out.
 */
export interface SharedStateHandle {
  readonly id: string;
  readonly mode: SharedStateMode;
  readonly __electricCollection: SharedCollection | undefined;
  toArray(): StateRow[];
  insert(row: StateRow): Promise<void>;
}

/** One item of a linked stream that is new to the entity in this wake (after the acked offset). */
export interface WakeInput {
  /** The stream's name under the Durable Streams root, e.g. `entities/digest-1/inbox`. */
  readonly stream: string;
  /** The offset after the item (reading from it returns what follows). */
  readonly offset: string;
  readonly value: JsonValue;
}

/** What an entity handler sees of its wake. */
export interface HandlerContext {
  /** The entity's id, e.g. `digest-1`. */
  readonly entity: string;
  readonly wakeId: string;
  /** The items of the entity's linked streams that this wake is for, in stream order per stream. */
  readonly inputs: readonly WakeInput[];
  observe(source: DbSource): Promise<SharedStateHandle>;
  /**
   * Aborted when the wake must not go on (it lost its claim), for the handler to pass to its own slow calls. Absent
   * from a runtime that offers none (v0.4 offers it with `handler-signal=lease` and a lease it keeps account of:
   * `lease-renewal=renew` or `lease-fence=deadline`): a handler then cannot be told, and runs to its end whatever
   * happened.
   */
  readonly signal?: AbortSignal;
}

/** User code run for each wake of an entity. */
export type EntityHandler = (ctx: HandlerContext) => Promise<void>;
