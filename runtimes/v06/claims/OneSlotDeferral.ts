import type { DeferredWakes } from './DeferredWakes.ts';

/**
 * #4616 as shipped: one pending wake event per stream. A later event overwrites the one waiting, which is then never
 * claimed — the open defect O1 (repeated child completions lost).
 */
export class OneSlotDeferral<T> implements DeferredWakes<T> {
  private readonly slots = new Map<string, T>();

  defer(key: string, item: T): T[] {
    const displaced = this.slots.get(key);
    // Delete first so that the key's position follows the newest deferral, as a re-set map entry would not.
    this.slots.delete(key);
    this.slots.set(key, item);
    return displaced === undefined ? [] : [displaced];
  }

  take(key: string): T | undefined {
    const item = this.slots.get(key);
    this.slots.delete(key);
    return item;
  }

  keys(): string[] {
    return [...this.slots.keys()];
  }

  clear(): T[] {
    const held = [...this.slots.values()];
    this.slots.clear();
    return held;
  }
}
