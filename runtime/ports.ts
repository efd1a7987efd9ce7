import type { TraceValue } from '../sim/trace/Trace.ts';
import type { ClaimOutcome, ManifestRow, RunnerRecord } from '../world/agents-server/AgentsServer.ts';
import type { ReadResult } from '../world/durable-streams/DurableStreamsService.ts';

/**
 * Everything the runtime under test may touch outside itself. It never reads real time, randomness or sockets:
 * the world hands it these ports, bound to the process it runs in. This is the seam where another runtime plugs in.
 */
export interface RuntimeEnvironment {
  /** The process name, e.g. `host#2`: the actor of every event the runtime emits. */
  readonly processName: string;
  nowMs(): number;
  /** Resolves after `delayMs` of virtual time; never, if the process dies first. */
  sleep(delayMs: number, label: string): Promise<void>;
  /** Records an abstract event of the runtime into the run's trace. */
  emit(kind: string, detail?: { readonly [key: string]: TraceValue }): void;
  readonly streams: StreamsClient;
  readonly agents: AgentsClient;
  /** Durable Streams over HTTP, for the real client libraries of the library tier (`streams=real`). */
  readonly http: HttpPort;
}

/** The signature of `fetch`, as `@durable-streams/client` takes it. */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Where the Durable Streams service answers HTTP, and the `fetch` that reaches it from this process. */
export interface HttpPort {
  /** Scheme and host of stream URLs, e.g. `http://durable-streams.sim`; a stream's URL is the origin plus its path. */
  readonly origin: string;
  readonly fetch: FetchFunction;
}

/** Durable Streams over the (simulated) network. Failures reject with `HttpError`. */
export interface StreamsClient {
  read(path: string, offset: string): Promise<ReadResult>;
  /** Long-poll read: answers when items follow `offset` or when the server's poll timeout passes. */
  readLive(path: string, offset: string): Promise<ReadResult>;
  append(path: string, value: TraceValue): Promise<string>;
}

/** The agents server's routes used by the wake path. */
export interface AgentsClient {
  register(runnerId: string, label: string, wakeStream: string): Promise<RunnerRecord>;
  heartbeat(runnerId: string, wakeStreamOffset: string): Promise<void>;
  claim(subscriptionId: string): Promise<ClaimOutcome>;
  ack(subscriptionId: string, wakeId: string, generation: number, offsets: Readonly<Record<string, string>>): Promise<void>;
  readManifest(entity: string): Promise<readonly ManifestRow[]>;
  commitManifest(entity: string, rows: readonly ManifestRow[]): Promise<void>;
}
