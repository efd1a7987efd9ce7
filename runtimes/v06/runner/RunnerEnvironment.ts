import type { EntityHandler } from '../../../protocol/entity/EntityHandler.ts';
import type { AnnotationValue, ServiceUrls } from '../../../protocol/host/HostContext.ts';
import type { FetchFunction } from '../../../protocol/host/FetchFunction.ts';
import type { AgentsClient } from '../agents/AgentsClient.ts';
import type { V06Settings } from '../config/v06Switches.ts';

/** What a runner works with inside its host process. */
export interface RunnerEnvironment {
  readonly agents: AgentsClient;
  readonly fetch: FetchFunction;
  readonly urls: ServiceUrls;
  readonly settings: V06Settings;
  readonly handlers: ReadonlyMap<string, EntityHandler>;
  annotate(kind: string, detail: { readonly [key: string]: AnnotationValue }): void;
}

/** Where a runner reads, as registration decided. */
export interface RunnerPlacement {
  readonly runnerId: string;
  /** The wake stream's name under the Durable Streams root. */
  readonly wakeStream: string;
  /** `-1`, `now`, or the resume offset registration handed back. */
  readonly startOffset: string;
}
