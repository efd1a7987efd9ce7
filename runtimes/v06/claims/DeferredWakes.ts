/**
 * Where the same-stream claim guard keeps wake events it may not claim yet, per stream key. The `deferral` switch
 * chooses the implementation: one slot per stream (#4616 as shipped, the open defect O1) or a queue (its proposed fix).
 */
export interface DeferredWakes<T> {
  /** Keeps `item` for `key`; returns the items this displaced (and which will never be claimed). */
  defer(key: string, item: T): T[];
  /** Takes the next item to claim for `key`, if any. */
  take(key: string): T | undefined;
  /** Keys that hold at least one item, in the order they were first deferred. */
  keys(): string[];
  /** Empties every key; returns what was held. */
  clear(): T[];
}
