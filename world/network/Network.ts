import { chooseInRange } from '../../sim/choice/ChoiceSource.ts';
import type { SimContext } from '../../sim/run/SimContext.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';
import { abortReason } from '../http/abortReason.ts';
import { errorAnswer } from '../http/answers.ts';
import { sentAt, type SimRequest } from '../http/SimRequest.ts';
import type { SimResponse } from '../http/SimResponse.ts';
import type { SimProcess } from '../process/SimProcess.ts';

const NETWORK_ACTOR = 'network';

/** A simulated server the network can deliver requests to. */
export interface SimService {
  readonly name: string;
  /** False while the service is restarting: requests then get a 503 from its load balancer. */
  readonly up: boolean;
  /** Answers one request; every refusal is an answer with its status, never a rejection. */
  serve(request: SimRequest): SimResponse | Promise<SimResponse>;
}

/** Latency settings of the simulated network. */
export interface NetworkOptions {
  /** One-way delay of every message in milliseconds, before any extra delay. */
  readonly baseLatencyMs: number;
  /** Largest extra one-way delay, in milliseconds, drawn per message when deliveries may be reordered. */
  readonly maxExtraDelayMs: number;
}

/**
 * What becomes of one leg of an exchange (the request, or its answer): it arrives; it is `dropped` (the connection
 * breaks: the caller's `fetch` fails with a `TypeError`, as on a reset); or it is `hung` (it never arrives and nothing
 * ever fails: a half-open socket, or a connect that never completes; only the caller's own abort ends the wait).
 */
export type LegFate = 'delivered' | 'dropped' | 'hung';

/** What the network does to one exchange: decided by the world's wire faults when the request reaches the far end. */
export interface WireFate {
  /** A request that is not delivered never reaches the service. */
  readonly request: LegFate;
  /** An answer that is not delivered was still acted on: the service handled the request. */
  readonly answer: LegFate;
}

/** One exchange as the wire faults see it, when its request reaches the far end of the wire. */
export interface WireExchange {
  readonly caller: string;
  readonly service: string;
  readonly request: SimRequest;
  /**
   * True when the request opens a connection: the caller's first to this service, or its first since one of its
   * exchanges with the service broke (dropped, hung, or cut by a restart).
   */
  readonly connect: boolean;
}

/** Decides each exchange's fate; every answer but "both delivered" is a fault, drawn from the choice source. */
export type WireFaults = (exchange: WireExchange) => WireFate;

const DELIVERED: WireFate = { request: 'delivered', answer: 'delivered' };

/**
 * What a service rejects `serve` with when the connection of a request it holds breaks on its side (a restart cuts
 * held reads): the caller sees the connection drop, as for a lost answer. Any other rejection is a broken world.
 */
export class ConnectionDropped extends Error {
  override name = 'ConnectionDropped';
}

/**
 * HTTP exchanges between processes and services. Each direction is a scheduled delivery (a scheduler step). Without
 * reordering, every channel (caller to service, service to caller) delivers in send order at base latency; with
 * reordering, each message draws an extra delay from the choice source, so messages overtake each other.
 */
export class Network {
  private readonly channelLastDueAtMs = new Map<string, number>();
  /** `caller>service` pairs with an open connection (see {@link WireExchange.connect}). */
  private readonly openConnections = new Set<string>();
  /** What an exchange on its way uses of the network: made once, not per exchange. */
  private readonly wire: ExchangeWire = {
    fateOf: (exchange) => {
      const fate = this.wireFaults({ caller: exchange.caller.name, service: exchange.service.name, request: exchange.request, connect: !this.openConnections.has(exchange.connection) });
      if (fate.request === 'delivered' && fate.answer === 'delivered') this.openConnections.add(exchange.connection);
      return fate;
    },
    closeConnection: (connection) => void this.openConnections.delete(connection),
    record: (actor, kind, detail) => void this.sim.trace.record(actor, kind, detail),
    nowMs: () => this.sim.scheduler.nowMs,
    failWorld: (service, error) =>
      void this.sim.scheduler.schedule(0, NETWORK_ACTOR, `${service.name} failed`, () => {
        throw error;
      }),
    deliver: (channel, label, run) => this.deliver(channel, label, run),
  };

  constructor(
    private readonly sim: SimContext,
    private readonly options: NetworkOptions,
    /** Whether deliveries may be reordered now (off in the fault-free quiet period). */
    private readonly reorderDeliveries: () => boolean,
    /** The world's wire faults; every exchange is delivered both ways without them. */
    private readonly wireFaults: WireFaults = () => DELIVERED,
  ) {}

  /**
   * Sends `request` from `caller` to `service` and delivers the answer back. The promise never settles when the caller
   * dies first (a dead process sees nothing), nor when the wire faults hang a leg; it rejects with the signal's reason
   * as soon as the request's signal aborts (the service may still act on a request it already received), and with a
   * `TypeError` when a leg is dropped or the service cuts the connection ({@link ConnectionDropped}), as `fetch` does on
   * a dropped connection. A service that is down answers 503 (observed as the service's `request-refused`). A service
   * that throws anything else ends the run with its error: the world is broken, which is never a finding about the
   * runtime.
   */
  exchange(caller: SimProcess, service: SimService, outgoing: SimRequest, label: string): Promise<SimResponse> {
    // Stamped on the wire, not by the sender: the moment the network saw the request leave is an outside observation.
    const request: SimRequest = { ...outgoing, sentAtMs: this.sim.scheduler.nowMs };
    return new Promise<SimResponse>((resolve, reject) => {
      const exchange = new Exchange(this.wire, caller, service, request, label, resolve, reject);
      const signal = request.signal;
      if (signal?.aborted) return exchange.handleEvent();
      signal?.addEventListener('abort', exchange, { once: true });
      this.deliver(exchange.connection, `request ${label} from ${caller.name}`, () => exchange.arrive());
    });
  }

  private deliver(channel: string, label: string, run: () => void): void {
    const nowMs = this.sim.scheduler.nowMs;
    const reorder = this.reorderDeliveries();
    const extraMs = reorder
      ? chooseInRange(this.sim.choices, 0, this.options.maxExtraDelayMs, `delay ${label}`, { kind: 'range', fault: 'delivery-reorder' })
      : 0;
    let dueAtMs = nowMs + this.options.baseLatencyMs + extraMs;
    if (!reorder) {
      // In-order channels: never at or before the previous message's instant, so no tie can swap them.
      dueAtMs = Math.max(dueAtMs, (this.channelLastDueAtMs.get(channel) ?? -1) + 1);
      this.channelLastDueAtMs.set(channel, dueAtMs);
    }
    // Actor "network": a message already on the wire still arrives after its sender dies.
    this.sim.scheduler.schedule(dueAtMs - nowMs, NETWORK_ACTOR, label, run);
  }
}

/** The network as an exchange on its way uses it. */
interface ExchangeWire {
  /** What the wire does to the exchange's request as it reaches the far end; a delivered exchange keeps its connection open. */
  fateOf(exchange: Exchange): WireFate;
  /** Forgets a connection: one of its exchanges broke. */
  closeConnection(connection: string): void;
  /** Records a world observation. */
  record(actor: string, kind: string, detail: TraceEvent['detail']): void;
  nowMs(): number;
  /** Ends the run with a service's error, from a step of its own. */
  failWorld(service: SimService, error: unknown): void;
  /** Puts a message on a channel's wire: a scheduler step at its arrival. */
  deliver(channel: string, label: string, run: () => void): void;
}

/**
 * One exchange on its way: the request's leg, the service's answer, the answer's leg back. An object with methods, not
 * a handful of closures per request: the exchange is the hot path of every run. It is the abort listener of the
 * request's signal too (`handleEvent`).
 */
class Exchange {
  readonly connection: string;
  private settled = false;

  constructor(
    private readonly wire: ExchangeWire,
    readonly caller: SimProcess,
    readonly service: SimService,
    readonly request: SimRequest,
    private readonly label: string,
    private readonly resolve: (answer: SimResponse) => void,
    private readonly reject: (reason: unknown) => void,
  ) {
    this.connection = `${caller.name}>${service.name}`;
  }

  /** The request's signal aborted: the caller gives up (the service may still act on a request it received). */
  handleEvent(): void {
    if (this.settled) return;
    this.settle();
    this.reject(abortReason(this.request.signal!));
  }

  /** The request reaches the far end of the wire. */
  arrive(): void {
    const { wire, service, caller, request } = this;
    if (!service.up) {
      // Observed by the service's load balancer: the peer asked, and was turned away while the service was down.
      wire.record(service.name, 'request-refused', { peer: caller.name, method: request.method, path: request.url.pathname, status: 503, ...sentAt(request) });
      this.respond(errorAnswer(503, 'SERVICE_UNAVAILABLE', `${service.name} is unavailable`), 'delivered');
      return;
    }
    const fate = wire.fateOf(this);
    if (fate.request !== 'delivered') {
      this.respond(undefined, fate.request);
      return;
    }
    // A service answers every request, refusals included; one that throws is a broken world, and the run must
    // fail loudly rather than hand the runtime an error it might swallow: a synchronous throw leaves the step,
    // an asynchronous one is thrown from a step of its own.
    void Promise.resolve(service.serve(request)).then(
      (answer) => this.respond(answer, fate.answer),
      (error: unknown) => {
        // A held request whose caller aborted ends without an answer: the connection is gone, nothing broke.
        if (request.signal?.aborted) return;
        if (error instanceof ConnectionDropped) return this.respond(undefined, fate.answer === 'hung' ? 'hung' : 'dropped');
        wire.failWorld(service, error);
      },
    );
  }

  /** The service's answer leaves (`answer` is absent only for a leg that is not delivered). */
  private respond(answer: SimResponse | undefined, fate: LegFate): void {
    const { wire, service, caller, request } = this;
    const answeredAtMs = wire.nowMs();
    if (fate !== 'delivered') wire.closeConnection(this.connection);
    // A hung answer is never put on the wire: nothing ever reaches the caller.
    if (fate === 'hung') return;
    wire.deliver(`${service.name}>${caller.name}`, `response ${this.label} to ${caller.name}`, () => {
      if (!caller.alive) return;
      if (this.settled && fate === 'delivered') {
        // The caller gave up on the request while its answer was on the way (its connection was closed): the
        // service's observation of the request (recorded at `answeredAtMs`) says what it answered, and only this
        // one says the caller never read it.
        wire.record(NETWORK_ACTOR, 'answer-unclaimed', { peer: caller.name, service: service.name, method: request.method, path: request.url.pathname, status: answer!.status, answeredAtMs });
        return;
      }
      if (this.settled) return;
      this.settle();
      if (fate === 'dropped') this.reject(new TypeError('fetch failed', { cause: new Error(`connection to ${service.name} dropped`) }));
      else this.resolve(answer!);
    });
  }

  /** Marks the exchange settled and stops listening for the signal's abort. */
  private settle(): void {
    this.settled = true;
    this.request.signal?.removeEventListener('abort', this);
  }
}
