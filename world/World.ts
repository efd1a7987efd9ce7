import { choosePercent } from '../sim/choice/ChoiceSource.ts';
import type { SimContext } from '../sim/run/SimContext.ts';
import type { TraceValue } from '../sim/trace/Trace.ts';
import type { AgentsClient, FetchFunction, HttpPort, RuntimeEnvironment, StreamsClient } from '../runtime/ports.ts';
// Reads of shared-state streams are where preload faults strike.
import { SHARED_STREAM_PREFIX } from '../runtime/wake/HandlerContext.ts';
import { AgentsServer, type ResumeOffsetSource } from './agents-server/AgentsServer.ts';
import { ChatService } from './chat/ChatService.ts';
import { DurableStreamsService, type ReadResult } from './durable-streams/DurableStreamsService.ts';
import { PullWakeSubscriptions } from './durable-streams/PullWakeSubscriptions.ts';
import type { FaultKind } from './faults/FaultKind.ts';
import type { FaultOptions } from './faults/FaultOptions.ts';
import { HttpError, streamNotFound } from './network/HttpError.ts';
import { Network } from './network/Network.ts';
import { schedulerClock } from './durable-streams/VirtualClock.ts';
import { StreamsHttpFacade } from './durable-streams/http/StreamsHttpFacade.ts';
import { SimProcess } from './process/SimProcess.ts';


/** Scheme and host of stream URLs in a simulated world: never resolved, every request is answered in process. */
const HTTP_ORIGIN = 'http://durable-streams.sim';
/** A path prefix under which no stream exists: a read there gets the service's own 404. */
const NOT_YET_CREATED_PREFIX = '/not-yet-created';

/** Settings of the simulated world that do not vary between runs of a scenario. */
export interface WorldOptions {
  readonly faults: ReadonlySet<FaultKind>;
  readonly faultOptions: FaultOptions;
  readonly resumeOffsetSource: ResumeOffsetSource;
  readonly leaseTtlMs: number;
  /** How long the service holds a live read open with nothing to say. */
  readonly longPollTimeoutMs: number;
  /** Preload failures (of either kind) one run may inject at most; unlimited when absent. */
  readonly maxPreloadFaults?: number;
}

/**
 * The simulated environment: Durable Streams (with pull-wake subscriptions), the agents server, a chat service as
 * the outside world, and the network between them and the host processes. It hands each process a
 * {@link RuntimeEnvironment} whose clients pass through the fault points.
 */
export class World {
  readonly streams: DurableStreamsService;
  readonly subscriptions: PullWakeSubscriptions;
  readonly agentsServer: AgentsServer;
  readonly chat: ChatService;
  readonly network: Network;
  /** The same service over HTTP, for the real client libraries (library tier). */
  readonly http: StreamsHttpFacade;
  /** Shared streams each process has read at least once: its warm connections. */
  private readonly warmReads = new Map<string, Set<string>>();
  /** Whether a fault point may fire: false in the quiet period at the end of a run. */
  faultsActive = true;
  private preloadFaults = 0;

  constructor(
    readonly sim: SimContext,
    readonly options: WorldOptions,
  ) {
    this.streams = new DurableStreamsService(sim);
    this.subscriptions = new PullWakeSubscriptions(sim, this.streams, { leaseTtlMs: options.leaseTtlMs });
    this.agentsServer = new AgentsServer(sim, this.streams, this.subscriptions, options.resumeOffsetSource);
    this.chat = new ChatService(sim);
    this.network = new Network(sim, options.faultOptions.network, () => this.faultsActive && options.faults.has('delivery-reorder'));
    this.http = new StreamsHttpFacade({
      streams: this.streams,
      subscriptions: this.subscriptions.reference,
      clock: schedulerClock(sim.scheduler),
      longPollTimeoutMs: options.longPollTimeoutMs,
    });
  }

  newProcess(name: string): SimProcess {
    this.sim.trace.record(name, 'process-start');
    return new SimProcess(this.sim, name);
  }

  /** Fault points armed to fire next, by kind, whatever the choices say (scripted faults of model-based tests). */
  private readonly armed: FaultKind[] = [];

  /** Makes the next fault point of `kind` fire, once. */
  arm(kind: FaultKind): void {
    this.armed.push(kind);
  }

  /**
   * True when a fault of `kind` fires at this point: it was armed, or it is enabled, active, and the choice source says
   * it fires (with `percent` chance).
   */
  faultFires(kind: FaultKind, percent: number, label: string): boolean {
    const armedAt = this.armed.indexOf(kind);
    if (armedAt >= 0) {
      this.armed.splice(armedAt, 1);
      return true;
    }
    return this.faultsActive && this.options.faults.has(kind) && choosePercent(this.sim.choices, percent, label, kind);
  }

  environmentFor(process: SimProcess): RuntimeEnvironment {
    return {
      processName: process.name,
      nowMs: () => process.nowMs(),
      sleep: (delayMs, label) => process.sleep(delayMs, label),
      emit: (kind, detail) => {
        if (process.alive) this.sim.trace.record(process.name, kind, detail ?? {});
      },
      streams: this.streamsClientFor(process),
      agents: this.agentsClientFor(process),
      http: this.httpFor(process),
    };
  }

  /**
   * HTTP to the Durable Streams service from `process`: each request and each response is a network delivery (a
   * scheduler step), and catch-up reads of shared-state streams pass the same preload fault points as the fast tier's
   * reads, drawn in the same order: a 404 the facade gives for a stream that does not exist, or a non-state item
   * put in front of the batch.
   */
  private httpFor(process: SimProcess): HttpPort {
    const fetch: FetchFunction = async (input, init) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      return this.network.call(process, this.streams, `${request.method} ${url.pathname}`, () => this.serveHttp(process, request, url));
    };
    return { origin: HTTP_ORIGIN, fetch };
  }

  private async serveHttp(process: SimProcess, request: Request, url: URL): Promise<Response> {
    const catchUpRead = request.method === 'GET' && url.pathname.startsWith(SHARED_STREAM_PREFIX) && !url.searchParams.has('live');
    const fault = catchUpRead ? this.drawPreloadFault(process, url.pathname) : undefined;
    if (fault === 'preload-not-found') {
      // What the service answers for a stream that is not there yet.
      return this.http.handle(new Request(`${HTTP_ORIGIN}${NOT_YET_CREATED_PREFIX}${url.pathname}${url.search}`, { method: 'GET' }));
    }
    const response = await this.http.handle(request);
    if (fault !== 'preload-foreign-item' || !response.ok) return response;
    const items = (await response.json()) as unknown[];
    const foreign = this.foreignItem(url.pathname);
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    headers.delete('etag');
    return new Response(JSON.stringify([foreign, ...items]), { status: response.status, headers });
  }

  private streamsClientFor(process: SimProcess): StreamsClient {
    const ds = this.streams;
    return {
      read: (path, offset) => this.network.call(process, ds, `read ${path}`, () => this.serveRead(process, path, offset)),
      readLive: (path, offset) =>
        this.network.call(process, ds, `live read ${path}`, () => ds.readLive(path, offset, this.options.longPollTimeoutMs)),
      append: (path, value) => this.network.call(process, ds, `append ${path}`, () => ds.append(path, value)),
    };
  }

  /**
   * A catch-up read, with the transient failures of a cold shared-stream read: the stream answers 404 as if not yet
   * created, or a non-state item (a wake event of a subscription being registered) lands in the batch before
   * up-to-date. Whether either happens is a choice, likelier on the process's first read of that stream (cold).
   */
  private serveRead(process: SimProcess, path: string, offset: string): ReadResult {
    if (!path.startsWith(SHARED_STREAM_PREFIX)) return this.streams.read(path, offset);
    const fault = this.drawPreloadFault(process, path);
    if (fault === 'preload-not-found') throw streamNotFound();
    const result = this.streams.read(path, offset);
    if (fault === 'preload-foreign-item') {
      return { ...result, items: [{ offset: result.items[0]?.offset ?? result.nextOffset, value: this.foreignItem(path) }, ...result.items] };
    }
    return result;
  }

  /**
   * The fault points of a catch-up read of a shared stream by `process`: a 404, else a foreign item, each a choice,
   * likelier on the process's first read of that stream (cold). Whatever the outcome, the connection is warm after
   * it. Past the run's cap on preload faults a read cannot fail and asks no question.
   */
  private drawPreloadFault(process: SimProcess, path: string): 'preload-not-found' | 'preload-foreign-item' | undefined {
    const readers = this.warmReads.get(process.name) ?? new Set<string>();
    const warm = readers.has(path);
    readers.add(path);
    this.warmReads.set(process.name, readers);
    const { preloadFailureColdPercent, preloadFailureWarmPercent } = this.options.faultOptions;
    const percent = this.preloadFaults >= (this.options.maxPreloadFaults ?? Infinity) ? 0 : warm ? preloadFailureWarmPercent : preloadFailureColdPercent;
    for (const [kind, label] of [['preload-not-found', 'preload 404'], ['preload-foreign-item', 'preload foreign item']] as const) {
      if (this.faultFires(kind, percent, label)) {
        this.preloadFaults += 1;
        this.sim.trace.record('durable-streams', 'fault', { kind, path, reader: process.name });
        return kind;
      }
    }
    return undefined;
  }

  /** The non-state item of a `preload-foreign-item` fault: a wake event of a subscription being registered. */
  private foreignItem(path: string): { readonly [key: string]: TraceValue } {
    return { type: 'wake', subscription_id: 'sub:registering', stream: path, generation: 1, ts: this.sim.scheduler.nowMs };
  }

  private agentsClientFor(process: SimProcess): AgentsClient {
    const server = this.agentsServer;
    const call = <T>(label: string, handler: () => T): Promise<T> => this.network.call(process, server, label, handler);
    return {
      register: (runnerId, label, wakeStream) => call('register', () => server.register(runnerId, label, wakeStream)),
      heartbeat: (runnerId, offset) =>
        call('heartbeat', () => {
          const percent = this.options.faultOptions.heartbeatFailurePercent;
          if (this.faultFires('heartbeat-failure', percent, 'heartbeat failure')) {
            this.sim.trace.record('agents-server', 'fault', { kind: 'heartbeat-failure', runner: runnerId });
            throw new HttpError(503, 'HEARTBEAT_FAILED', 'heartbeat could not be stored');
          }
          server.heartbeat(runnerId, offset);
        }),
      claim: (subscriptionId) => call('claim', () => server.claim(subscriptionId)),
      ack: (subscriptionId, wakeId, generation, offsets) => call('ack', () => server.ack(subscriptionId, wakeId, generation, offsets)),
      readManifest: (entity) => call('read manifest', () => server.readManifest(entity)),
      commitManifest: (entity, rows) => call('commit manifest', () => server.commitManifest(entity, rows)),
    };
  }
}
