import { choosePercent } from '../sim/choice/ChoiceSource.ts';
import type { SimContext } from '../sim/run/SimContext.ts';
import type { AgentsClient, RuntimeEnvironment, StreamsClient } from '../runtime/ports.ts';
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
import { SimProcess } from './process/SimProcess.ts';


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
    };
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
    // The first read of a stream by a process is the cold one; whatever its outcome, the connection is warm after it.
    const readers = this.warmReads.get(process.name) ?? new Set<string>();
    const warm = readers.has(path);
    readers.add(path);
    this.warmReads.set(process.name, readers);
    const { preloadFailureColdPercent, preloadFailureWarmPercent } = this.options.faultOptions;
    // Past the cap a read cannot fail, and asks no question: the choice tree stays as small as the scenario says.
    const percent = this.preloadFaults >= (this.options.maxPreloadFaults ?? Infinity) ? 0 : warm ? preloadFailureWarmPercent : preloadFailureColdPercent;
    if (this.faultFires('preload-not-found', percent, 'preload 404')) {
      this.preloadFaults += 1;
      this.sim.trace.record('durable-streams', 'fault', { kind: 'preload-not-found', path, reader: process.name });
      throw streamNotFound();
    }
    const result = this.streams.read(path, offset);
    if (this.faultFires('preload-foreign-item', percent, 'preload foreign item')) {
      this.preloadFaults += 1;
      this.sim.trace.record('durable-streams', 'fault', { kind: 'preload-foreign-item', path, reader: process.name });
      const foreign = { type: 'wake', subscription_id: 'sub:registering', stream: path, generation: 1, ts: this.sim.scheduler.nowMs };
      return { ...result, items: [{ offset: result.items[0]?.offset ?? result.nextOffset, value: foreign }, ...result.items] };
    }
    return result;
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
