import type { EntityHandler, HandlerContext } from '../../protocol/entity/EntityHandler.ts';

/**
 * Wraps an entity handler so that its process may stall once the handler has read its state: after the handler's
 * first `observe` resolves, and before the handler goes on, `stall()` is awaited (the world's `slow-handler` fault
 * decides for how long, often not at all). The work a handler does after reading its state (a model call, an API)
 * is where a slow handler spends its time, and where a check made on what it read can go stale. `stall` is given the
 * context's `signal` (if the runtime offers one), which an entity that passes it to its slow call would honour.
 */
export function stalledHandler(handler: EntityHandler, stall: (signal: AbortSignal | undefined) => Promise<void>): EntityHandler {
  return (ctx) => {
    let stalled = false;
    const observe: HandlerContext['observe'] = async (source) => {
      const handle = await ctx.observe(source);
      if (!stalled) {
        stalled = true;
        await stall(ctx.signal);
      }
      return handle;
    };
    // A proxy, not a copy: whatever else the runtime's context offers reaches the handler unchanged.
    return handler(new Proxy(ctx, { get: (target, property) => (property === 'observe' ? observe : Reflect.get(target, property, target)) }));
  };
}
