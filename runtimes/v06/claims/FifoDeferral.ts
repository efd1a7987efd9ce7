import type { DeferredWakes } from './DeferredWakes.ts';

/** The proposed fix of O1: every deferred wake event is kept and claimed in arrival order, one at a time. */
export class FifoDeferral<T> implements DeferredWakes<T> {
  private readonly queues = new Map<string, T[]>();

  defer(key: string, item: T): T[] {
    const queue = this.queues.get(key);
    if (queue) queue.push(item);
    else this.queues.set(key, [item]);
    return [];
  }

  take(key: string): T | undefined {
    const queue = this.queues.get(key);
    const item = queue?.shift();
    if (queue && queue.length === 0) this.queues.delete(key);
    return item;
  }

  keys(): string[] {
    return [...this.queues.keys()];
  }

  clear(): T[] {
    const held = [...this.queues.values()].flat();
    this.queues.clear();
    return held;
  }
}
