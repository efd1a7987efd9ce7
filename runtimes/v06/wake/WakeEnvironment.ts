import type { EntityHandler } from '../../../protocol/entity/EntityHandler.ts';
import type { AnnotationValue } from '../../../protocol/host/HostContext.ts';
import type { FetchFunction } from '../../../protocol/host/FetchFunction.ts';
import type { AgentsClient } from '../agents/AgentsClient.ts';
import type { WiringValue } from '../config/v06Switches.ts';

/** Everything `processWake` works with, handed down by its runner. */
export interface WakeEnvironment {
  readonly agents: AgentsClient;
  /** The process's `fetch`, for the Durable Streams reads the wake makes itself. */
  readonly fetch: FetchFunction;
  readonly streamsBaseUrl: string;
  readonly wiring: WiringValue;
  /** The scenario's entity code, by entity type. */
  readonly handlers: ReadonlyMap<string, EntityHandler>;
  /** Aborted when a stop abandons the waits of in-flight wakes (the backoff of a wiring retry). */
  readonly stopSignal: AbortSignal;
  annotate(kind: string, detail: { readonly [key: string]: AnnotationValue }): void;
}
