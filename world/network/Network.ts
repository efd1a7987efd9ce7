import { chooseInRange } from '../../sim/choice/ChoiceSource.ts';
import type { SimContext } from '../../sim/run/SimContext.ts';
import { errorAnswer } from '../http/answers.ts';
import type { SimRequest } from '../http/SimRequest.ts';
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

/** What the network does to one exchange beyond delivering it: decided by the world's wire faults. */
export interface WireFate {
  /** The service handles the request, but its answer never reaches the caller: the connection drops. */
  readonly answerLost: boolean;
}

/**
 * HTTP exchanges between processes and services. Each direction is a scheduled delivery (a scheduler step). Without
 * reordering, every channel (caller to service, service to caller) delivers in send order at base latency; with
 * reordering, each message draws an extra delay from the choice source, so messages overtake each other.
 */
export class Network {
  private readonly channelLastDueAtMs = new Map<string, number>();

  constructor(
    private readonly sim: SimContext,
    private readonly options: NetworkOptions,
    /** Whether deliveries may be reordered now (off in the fault-free quiet period). */
    private readonly reorderDeliveries: () => boolean,
  ) {}

  /**
   * Sends `request` from `caller` to `service` and delivers the answer back. The promise never settles when the caller
   * dies first (a dead process sees nothing); it rejects with the signal's reason as soon as the request's signal
   * aborts (the service may still act on a request it already received), and with a `TypeError` when the answer is
   * lost on the way back, as `fetch` does on a dropped connection. A service that is down answers 503 (observed as the
 * service's `request-refused`). A service
   * that throws ends the run with its error: the world is broken, which is never a finding about the runtime.
   */
  exchange(caller: SimProcess, service: SimService, request: SimRequest, label: string, fate?: () => WireFate): Promise<SimResponse> {
    return new Promise<SimResponse>((resolve, reject) => {
      const signal = request.signal;
      let settled = false;
      const settle = (body: () => void): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        body();
      };
      const onAbort = (): void => settle(() => reject(signal!.reason ?? new DOMException('This operation was aborted', 'AbortError')));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const respond = (answer: SimResponse, lost: boolean): void => {
        this.deliver(`${service.name}>${caller.name}`, `response ${label} to ${caller.name}`, () => {
          if (!caller.alive) return;
          if (lost) settle(() => reject(new TypeError('fetch failed', { cause: new Error(`connection to ${service.name} dropped`) })));
          else settle(() => resolve(answer));
        });
      };
      this.deliver(`${caller.name}>${service.name}`, `request ${label} from ${caller.name}`, () => {
        if (!service.up) {
          // Observed by the service's load balancer: the peer asked, and was turned away while the service was down.
          this.sim.trace.record(service.name, 'request-refused', { peer: caller.name, method: request.method, path: request.url.pathname, status: 503 });
          respond(errorAnswer(503, 'SERVICE_UNAVAILABLE', `${service.name} is unavailable`), false);
          return;
        }
        const lost = fate?.().answerLost ?? false;
        // A service answers every request, refusals included; one that throws is a broken world, and the run must
        // fail loudly rather than hand the runtime an error it might swallow: a synchronous throw leaves the step,
        // an asynchronous one is thrown from a step of its own.
        void Promise.resolve(service.serve(request)).then(
          (answer) => respond(answer, lost),
          (error: unknown) => {
            // A held request whose caller aborted ends without an answer: the connection is gone, nothing broke.
            if (signal?.aborted) return;
            this.sim.scheduler.schedule(0, NETWORK_ACTOR, `${service.name} failed`, () => {
              throw error;
            });
          },
        );
      });
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
