import { chooseInRange } from '../../sim/choice/ChoiceSource.ts';
import type { SimContext } from '../../sim/run/SimContext.ts';
import type { SimProcess } from '../process/SimProcess.ts';
import { serviceUnavailable } from './HttpError.ts';

const NETWORK_ACTOR = 'network';

/** A simulated server process the network can deliver to. */
export interface ServiceEndpoint {
  readonly name: string;
  /** False while the service is restarting: requests then fail with 503. */
  readonly up: boolean;
}

/** Latency settings of the simulated network. */
export interface NetworkOptions {
  /** One-way delay of every message in milliseconds, before any extra delay. */
  readonly baseLatencyMs: number;
  /** Largest extra one-way delay, in milliseconds, drawn per message when deliveries may be reordered. */
  readonly maxExtraDelayMs: number;
}

/**
 * Request/response messaging between processes and services. Each direction of a call is a scheduled delivery.
 * Without reordering, every channel (caller to service, service to caller) delivers in send order at base latency;
 * with reordering, each message draws an extra delay from the choice source, so messages overtake each other.
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
   * Sends a request from `caller` to `service`, runs `handler` on delivery, and delivers its outcome back. The
   * promise never settles when the caller dies first: a dead process sees nothing.
   */
  call<T>(caller: SimProcess, service: ServiceEndpoint, label: string, handler: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const respond = (outcome: { ok: true; value: T } | { ok: false; error: unknown }): void => {
        this.deliver(`${service.name}>${caller.name}`, `response ${label} to ${caller.name}`, () => {
          if (!caller.alive) return;
          if (outcome.ok) resolve(outcome.value);
          else reject(outcome.error);
        });
      };
      this.deliver(`${caller.name}>${service.name}`, `request ${label} from ${caller.name}`, () => {
        if (!service.up) {
          respond({ ok: false, error: serviceUnavailable(service.name) });
          return;
        }
        let pending: T | Promise<T>;
        try {
          pending = handler();
        } catch (error) {
          respond({ ok: false, error });
          return;
        }
        Promise.resolve(pending).then(
          (value) => respond({ ok: true, value }),
          (error: unknown) => respond({ ok: false, error }),
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
