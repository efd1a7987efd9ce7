import type { SimContext } from '../../sim/run/SimContext.ts';
import type { LegFate, WireExchange, WireFate, WireFaults } from '../network/Network.ts';
import type { FaultOptions } from './FaultOptions.ts';
import type { FaultDecision } from './PreloadFaults.ts';
import type { NetworkOutage } from './NetworkOutage.ts';

/** Whether the host's network is out now (`network-outage`; see {@link NetworkOutage}). */
export interface OutageState {
  readonly underWay: boolean;
  /** True once per outage: for the request that takes its half-open connect. */
  takeHalfOpenConnect(): boolean;
}

/** The services whose exchanges some wire faults single out. */
export interface WireFaultTargets {
  /** Durable Streams: its held reads can go stale, and new connections to it can hang. */
  readonly durableStreams: string;
  /** The agents server: a request to it can stall on the way (a proxy that takes it and never forwards it). */
  readonly agentsServer: string;
  /** The outside world: a post whose answer is lost is a side effect whose outcome the poster cannot know. */
  readonly chat: string;
}

const DELIVERED: LegFate = 'delivered';

/**
 * The world's wire faults, decided per exchange when its request reaches the far end of the wire:
 * - `connection-drop`: the request never reaches the service, and the caller's `fetch` fails;
 * - `hung-connect`: a request opening a connection to Durable Streams never completes, and never fails (B5);
 * - `hung-request`: a request to the agents server never reaches it, and never fails: a proxy or load balancer in
 *   front of it that accepted the request and stalls; only the caller's own deadline ends the wait;
 * - `stale-connection`: a held read (a long-poll) is served, but its answer never comes and never fails: a half-open
 *   socket after the host slept (O4);
 * - `lost-answer`: the service acts on the request, but its answer is lost and the caller's `fetch` fails; likelier on
 *   a post to the chat, the side effect whose outcome then becomes unknown.
 * Each is recorded as a `fault` of the network (peer, service, method, path). While the host's network is out
 * (`network-outage`, {@link NetworkOutage}) every exchange of the host meets the outage instead, without a choice: the
 * outage's first request opening a connection to Durable Streams hangs (recorded as `hung-connect`), any other fails
 * (recorded as `connection-drop`), each with `cause: network-outage`.
 */
export function wireFaultPolicy(sim: SimContext, options: FaultOptions, fires: FaultDecision, targets: WireFaultTargets, outage?: OutageState): WireFaults {
  return (exchange: WireExchange): WireFate => {
    const { request, service } = exchange;
    if (outage?.underWay) {
      const cause = { cause: 'network-outage' };
      if (exchange.connect && service === targets.durableStreams && outage.takeHalfOpenConnect()) return strike(sim, exchange, 'hung-connect', { request: 'hung', answer: DELIVERED }, cause);
      return strike(sim, exchange, 'connection-drop', { request: 'dropped', answer: DELIVERED }, cause);
    }
    if (fires('connection-drop', options.connectionDropPercent, 'connection drop')) return strike(sim, exchange, 'connection-drop', { request: 'dropped', answer: DELIVERED });
    if (service === targets.agentsServer && fires('hung-request', options.hungRequestPercent, 'hung request')) return strike(sim, exchange, 'hung-request', { request: 'hung', answer: DELIVERED });
    if (exchange.connect && service === targets.durableStreams && fires('hung-connect', options.hungConnectPercent, 'hung connect')) {
      return strike(sim, exchange, 'hung-connect', { request: 'hung', answer: DELIVERED });
    }
    if (service === targets.durableStreams && request.url.searchParams.has('live') && fires('stale-connection', options.staleConnectionPercent, 'stale connection')) {
      return strike(sim, exchange, 'stale-connection', { request: DELIVERED, answer: 'hung' });
    }
    const lostPercent = service === targets.chat ? options.lostPostAnswerPercent : options.lostAnswerPercent;
    if (fires('lost-answer', lostPercent, 'lost answer')) return strike(sim, exchange, 'lost-answer', { request: DELIVERED, answer: 'dropped' });
    return { request: DELIVERED, answer: DELIVERED };
  };
}

/**
 * Records a wire fault of `exchange` and returns its fate. A function the policy calls with the exchange, not a closure
 * made for each: the policy sees every request of a run.
 */
function strike(sim: SimContext, exchange: WireExchange, kind: string, fate: WireFate, cause: Readonly<Record<string, string>> = {}): WireFate {
  const { request, service } = exchange;
  sim.trace.record('network', 'fault', { kind, peer: exchange.caller, service, method: request.method, path: request.url.pathname, ...cause });
  return fate;
}
