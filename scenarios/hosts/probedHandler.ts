import type { EntityHandler } from '../../protocol/entity/EntityHandler.ts';
import type { TraceValue } from '../../sim/trace/Trace.ts';

/** Records what an entity's own code saw, as the process it runs in. */
export type Probe = (kind: string, detail: { readonly [key: string]: TraceValue }) => void;

/**
 * Wraps an entity handler so the scenario observes each invocation from the inside: `handler-start` (the entity, the
 * wake, and the inputs it was given: the stream, the offset the runtime gave and the item itself, by which properties
 * match it to the item the service stored) and `handler-end` (returned or threw, with the error). These spans are what
 * the scenario's code saw, whatever the runtime reports about itself.
 */
export function probedHandler(entity: string, handler: EntityHandler, probe: Probe): EntityHandler {
  return async (ctx) => {
    probe('handler-start', { entity, wakeId: ctx.wakeId, inputs: ctx.inputs.map((input) => ({ stream: input.stream, offset: input.offset, item: input.value })) });
    try {
      await handler(ctx);
      probe('handler-end', { entity, wakeId: ctx.wakeId, outcome: 'returned' });
    } catch (error) {
      probe('handler-end', { entity, wakeId: ctx.wakeId, outcome: 'threw', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      throw error;
    }
  };
}
