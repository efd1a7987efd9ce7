import { choosePercent } from '../sim/choice/ChoiceSource.ts';
import type { SimContext } from '../sim/run/SimContext.ts';
import type { TraceEvent } from '../sim/trace/Trace.ts';
import { AgentsServer } from './agents-server/AgentsServer.ts';
import type { ClaimReaper } from './agents-server/ClaimReaper.ts';
import type { DoneRelease } from './agents-server/DoneRelease.ts';
import type { ClaimTokenKeying } from './agents-server/ClaimTokenKeying.ts';
import type { SharedLinks } from './agents-server/SharedStateLinks.ts';
import type { RunFinishedDelivery } from './agents-server/RunFinishedDelivery.ts';
import type { RunFinishedKey } from './agents-server/RunFinishedKey.ts';
import type { SpawnOrder } from './agents-server/SpawnOrder.ts';
import type { HeartbeatLease } from './agents-server/HeartbeatLease.ts';
import type { LeaseStore } from './durable-streams/LeaseStore.ts';
import type { WriteTokenKeeping } from './agents-server/WriteTokenKeeping.ts';
import type { PendingWake } from './durable-streams/PendingWake.ts';
import type { ResumeOffsetSource } from './agents-server/ResumeOffsetSource.ts';
import { ChatService, type ChatOptions } from './chat/ChatService.ts';
import { DurableStreamsService } from './durable-streams/DurableStreamsService.ts';
import { StreamsHttpFacade } from './durable-streams/http/StreamsHttpFacade.ts';
import { ReferenceSubscriptions } from './durable-streams/ReferenceSubscriptions.ts';
import { DURABLE_STREAMS, StreamsFrontEnd } from './durable-streams/StreamsFrontEnd.ts';
import { schedulerClock } from './durable-streams/VirtualClock.ts';
import type { FaultKind } from './faults/FaultKind.ts';
import type { FaultOptions } from './faults/FaultOptions.ts';
import type { FaultMoment } from './faults/FaultPointOptions.ts';
import { FaultPoints, type StrikePlatformFault } from './faults/FaultPoints.ts';
import { HandlerStalls } from './faults/HandlerStalls.ts';
import { NetworkOutage } from './faults/NetworkOutage.ts';
import { PLATFORM_FAULT_KINDS } from './faults/PlatformFaults.ts';
import { PreloadFaults } from './faults/PreloadFaults.ts';
import { StreamOutages } from './faults/StreamOutages.ts';
import { StreamsRequestFaults } from './faults/StreamsRequestFaults.ts';
import { wireFaultPolicy } from './faults/WireFaultPolicy.ts';
import { HostNetwork, type ServiceDirectory } from './network/HostNetwork.ts';
import { errorAnswer } from './http/answers.ts';
import type { SimRequest } from './http/SimRequest.ts';
import type { SimResponse } from './http/SimResponse.ts';
import { ConnectionDropped, Network, type SimService } from './network/Network.ts';
import { SimProcess } from './process/SimProcess.ts';
import { observeSubscriptions } from './durable-streams/observeSubscriptions.ts';

/** The agents server's heartbeat route, where `heartbeat-failure` strikes. */
const HEARTBEAT_ROUTE = /^\/_electric\/runners\/[^/]+\/heartbeat$/;

/** Base URLs of the simulated services: never resolved, every request is answered in process. */
export const SERVICE_ORIGINS = {
  durableStreams: 'http://durable-streams.sim',
  agentsServer: 'http://agents.sim',
  chat: 'http://chat.sim',
} as const;

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
  readonly chat: ChatOptions;
  /** Whether the agents server reaps claims whose lease ended without a done (`none` when absent). */
  readonly claimReaper?: ClaimReaper;
  /** Whether done releases a claim row whose write token the server lost (`independent`, the fix, when absent; B3). */
  readonly doneRelease?: DoneRelease;
  /** Whether a runner heartbeat erases its claim rows' lease expiry (`keep`, the fix, when absent; B10). */
  readonly heartbeatLease?: HeartbeatLease;
  /** How the agents server keys claim write tokens (`per-stream`, the fix, when absent; B1). */
  readonly claimTokens?: ClaimTokenKeying;
  /** How the wake a done leaves pending is announced (`event`, the reference's way, when absent; O2). */
  readonly pendingWake?: PendingWake;
  /** When the agents server links a shared state to the entity that created it (`on-create`, the fix, when absent; B8). */
  readonly sharedLinks?: SharedLinks;
  /** Whether a spawn's `runFinished` registration carries the manifest child key (`manifest`, the fix, when absent; B11). */
  readonly runFinishedKey?: RunFinishedKey;
  /** Where a `runFinished` wake row goes (`runs-stream` when absent; O1's world is `wake-stream`). */
  readonly runFinishedDelivery?: RunFinishedDelivery;
  /** Whether a spawn links the child's inbox before appending its initial message (`link-first`, the fix, when absent; B9). */
  readonly spawnOrder?: SpawnOrder;
  /** Whether a restart of Durable Streams forgets its leases (`memory`, the reference's way, when absent) or keeps them. */
  readonly leaseStore?: LeaseStore;
  /** Whether a restart of the agents server loses its claim write tokens (`memory`, upstream's, when absent) or keeps them. */
  readonly writeTokens?: WriteTokenKeeping;
}

/** The actor of the world's own record of how it is set up. */
export const WORLD_ACTOR = 'world';

/**
 * The simulated environment: Durable Streams (with the reference server's pull-wake subscriptions), the agents server,
 * a chat service as the outside world, and the network between them and the host processes. Every service answers
 * HTTP and records what it saw as observations in the trace; a process reaches them only over its {@link HostNetwork}.
 * The first observation is `world-configured`: the lease, the long-poll timeout and the network's delays, which
 * properties that judge timing from the servers' side need (a request observed at a service left its sender up to one
 * delivery earlier).
 */
export class World {
  readonly streams: DurableStreamsService;
  readonly subscriptions: ReferenceSubscriptions;
  readonly streamsFront: StreamsFrontEnd;
  readonly agentsServer: AgentsServer;
  readonly chat: ChatService;
  readonly network: Network;
  /** The host's network outages (`network-outage`), started by the scenario's platform faults. */
  readonly networkOutage: NetworkOutage;
  /** Where a scenario lets its handlers' processes stall (`slow-handler`). */
  readonly handlerStalls: HandlerStalls;
  /** Whether a fault point may fire: false in the quiet period at the end of a run. */
  faultsActive = true;
  /** Fault points armed to fire next, by kind, whatever the choices say (scripted faults of model-based tests). */
  private readonly armed: FaultKind[] = [];
  private readonly services: ServiceDirectory;
  /** Every process started in the run, by name: an error its code never handled ends it. */
  private readonly processes = new Map<string, SimProcess>();

  constructor(
    readonly sim: SimContext,
    readonly options: WorldOptions,
  ) {
    const clock = schedulerClock(sim.scheduler);
    // An error a process's code let go ends that process; one from an actor that is no process of this world is not its own.
    sim.hermetic?.handleActorErrors((error) => {
      const process = this.processes.get(error.actor);
      process?.fail(error);
      return process !== undefined;
    });
    const reorder = options.faults.has('delivery-reorder');
    sim.trace.record(WORLD_ACTOR, 'world-configured', {
      leaseTtlMs: options.leaseTtlMs,
      longPollTimeoutMs: options.longPollTimeoutMs,
      baseLatencyMs: options.faultOptions.network.baseLatencyMs,
      maxExtraDelayMs: reorder ? options.faultOptions.network.maxExtraDelayMs : 0,
    });
    this.streams = new DurableStreamsService(sim);
    this.subscriptions = new ReferenceSubscriptions(this.streams, clock, observeSubscriptions(sim.trace, DURABLE_STREAMS), {
      pendingWake: options.pendingWake ?? 'event',
      leaseStore: options.leaseStore ?? 'memory',
    });
    const facade = new StreamsHttpFacade({ streams: this.streams, subscriptions: this.subscriptions, clock, longPollTimeoutMs: options.longPollTimeoutMs });
    const fires = (kind: FaultKind, percent: number, label: string): boolean => this.faultFires(kind, percent, label);
    this.handlerStalls = new HandlerStalls(sim, options.faultOptions, fires);
    const preloadFaults = new PreloadFaults(sim, options.faultOptions, fires, options.maxPreloadFaults);
    const outages = new StreamOutages(sim, options.faultOptions, fires, () => this.faultsActive);
    const readFaults = {
      // An outage answers first: its 404 is not a read of the stream, so a cold connection stays cold.
      draw: (peer: string, stream: string) => (outages.strikes(peer, stream) ? ('not-found' as const) : preloadFaults.draw(peer, stream)),
      foreignItem: (stream: string) => preloadFaults.foreignItem(stream),
    };
    const requestFaults = new StreamsRequestFaults(sim, options.faultOptions, fires);
    // Reads of the shared states the agents server created are its to authorise (its links, B8).
    const readAccess = (request: SimRequest, stream: string): SimResponse | undefined => this.agentsServer.refuseStreamRead(request, stream);
    const front = new StreamsFrontEnd(sim, facade, readFaults, this.subscriptions, (request) => requestFaults.refuse(request), readAccess);
    this.streamsFront = front;
    this.agentsServer = new AgentsServer(
      sim,
      { streams: this.streams, subscriptions: this.subscriptions, get up() { return front.up; } },
      {
        resumeOffsetSource: options.resumeOffsetSource,
        leaseTtlMs: options.leaseTtlMs,
        requestFault: (request) => this.heartbeatFault(request),
        claimReaper: options.claimReaper ?? 'none',
        doneRelease: options.doneRelease ?? 'independent',
        heartbeatLease: options.heartbeatLease ?? 'keep',
        claimTokens: options.claimTokens ?? 'per-stream',
        sharedLinks: options.sharedLinks ?? 'on-create',
        runFinishedKey: options.runFinishedKey ?? 'manifest',
        runFinishedDelivery: options.runFinishedDelivery ?? 'runs-stream',
        spawnOrder: options.spawnOrder ?? 'link-first',
        writeTokens: options.writeTokens ?? 'memory',
      },
    );
    this.chat = new ChatService(sim, options.chat);
    this.networkOutage = new NetworkOutage(sim, () => front.cutRequestsInProgress(new ConnectionDropped("the host's network is out")), () => this.faultsActive);
    const wireFaults = wireFaultPolicy(sim, options.faultOptions, fires, { durableStreams: front.name, agentsServer: this.agentsServer.name, chat: this.chat.name }, this.networkOutage);
    this.network = new Network(sim, options.faultOptions.network, () => this.faultsActive && options.faults.has('delivery-reorder'), wireFaults);
    this.services = new Map<string, SimService>([
      [SERVICE_ORIGINS.durableStreams, this.streamsFront],
      [SERVICE_ORIGINS.agentsServer, this.agentsServer],
      [SERVICE_ORIGINS.chat, this.chat],
    ]);
  }

  /**
   * Starts a process named `name` (unique for the run), observed as `process-start` with `detail`: what the platform
   * knows of the process it started (the runner it deploys it as, in a world of several runners), nothing otherwise.
   */
  newProcess(name: string, detail?: TraceEvent['detail']): SimProcess {
    this.sim.trace.record(name, 'process-start', detail);
    const process = new SimProcess(this.sim, name);
    this.processes.set(name, process);
    return process;
  }

  /** What `process` reaches the services with: its `fetch`, the same without WHATWG objects, and the base URLs. */
  networkFor(process: SimProcess): HostNetwork {
    return new HostNetwork(process, this.network, this.services);
  }

  /**
   * Lets the run's enabled platform faults strike at the moments the world's services see (issue 15), carried out by
   * `strike` (a scenario's `PlatformFaults`), at the `moments` of the run's revision (`faultMomentsOf`). Without
   * this call no moment asks a question: a scenario that plans its faults itself (the minimal one, for exhaustive
   * search) keeps its space small.
   */
  enableFaultPoints(strike: StrikePlatformFault, moments: readonly FaultMoment[]): void {
    const kinds = PLATFORM_FAULT_KINDS.filter((kind) => this.options.faults.has(kind));
    new FaultPoints(this.sim, this.options.faultOptions.faultPoints, new Set(moments), kinds, () => this.faultsActive, strike);
  }

  /** A heartbeat the agents server fails to store (`heartbeat-failure`): answered 503 before it is routed. */
  private heartbeatFault(request: SimRequest): SimResponse | undefined {
    if (request.method !== 'POST' || !HEARTBEAT_ROUTE.test(request.url.pathname)) return undefined;
    if (!this.faultFires('heartbeat-failure', this.options.faultOptions.heartbeatFailurePercent, 'heartbeat failure')) return undefined;
    this.sim.trace.record('agents-server', 'fault', { kind: 'heartbeat-failure', peer: request.peer });
    return errorAnswer(503, 'HEARTBEAT_FAILED', 'heartbeat could not be stored');
  }

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
}
