import type { SimContext } from '../../sim/run/SimContext.ts';
import type { TraceValue } from '../../sim/trace/Trace.ts';
import { bodyText } from '../http/messageBody.ts';
import type { SimRequest } from '../http/SimRequest.ts';
import type { SimResponse } from '../http/SimResponse.ts';
import { ConnectionDropped, type SimService } from '../network/Network.ts';
import type { StreamsHttpFacade } from './http/StreamsHttpFacade.ts';
import { followAbort } from '../http/followAbort.ts';
import { SUBSCRIPTION_STREAM_ROOT, type ReferenceSubscriptions } from './ReferenceSubscriptions.ts';

/** The actor of the Durable Streams service's observations. */
export const DURABLE_STREAMS = 'durable-streams';

/** A change the front end may make to one request on its way in: the transient failures of cold reads. */
export interface ReadFaults {
  /** Decides, for a catch-up read of `stream` by `peer`, whether it fails and how; undefined: it does not. */
  draw(peer: string, stream: string): 'not-found' | 'foreign-item' | undefined;
  /** The non-state item a `foreign-item` fault puts in front of the batch. */
  foreignItem(stream: string): TraceValue;
}

/** Faults at the service's door: an answer for a request that fails before it is served, or undefined to serve it. */
export type DoorFaults = (request: SimRequest) => SimResponse | undefined;

/**
 * Who may read what: asked for each read of `stream` (a name under the root) that passed the door, it returns the
 * refusal (a 401), or undefined to serve the read. The service itself knows no principals; the world decides.
 */
export type ReadAccess = (request: SimRequest, stream: string) => SimResponse | undefined;

/**
 * The Durable Streams service as processes reach it over the network: the HTTP facade (the reference server's
 * protocol), with the world's faults applied in front of it (at the door, then on catch-up reads), and an observation
 * of every request it answers (actor `durable-streams`):
 * - `stream-read` — a read, observed when answered: peer, stream (name under the root), offset asked, live or not,
 *   status, next offset, how many items, for a runner's wake stream the wakes served (subscription and generation of
 *   each), and `heldMs` when the service held the read before answering (a long-poll), so its arrival is known;
 * - `stream-append` — a write: peer, stream, status, offset;
 * - `streams-request` — anything else: peer, method, path, status;
 * - `streams-down` / `streams-up` around a restart ({@link restart}).
 */
export class StreamsFrontEnd implements SimService {
  readonly name = DURABLE_STREAMS;
  private running = true;
  /**
   * One controller per held read, in arrival order: a restart aborts each with a {@link ConnectionDropped} (every
   * request the service holds is cut), as a shared signal's dependants would be, without listeners on one.
   */
  private readonly inProgress = new Set<AbortController>();
  /**
   * Controllers of held reads that ended without an abort, free for the next: nothing holds a read's signal once it is
   * answered (its waiter took its listener off), and an `AbortSignal` costs more to make than the read to serve.
   */
  private readonly idleConnections: AbortController[] = [];

  constructor(
    private readonly sim: SimContext,
    private readonly facade: StreamsHttpFacade,
    private readonly faults: ReadFaults,
    /** The pull-wake subscriptions behind the facade, whose in-memory state a restart loses. */
    private readonly subscriptions?: ReferenceSubscriptions,
    private readonly door: DoorFaults = () => undefined,
    private readonly readAccess: ReadAccess = () => undefined,
  ) {}

  get up(): boolean {
    return this.running;
  }

  /**
   * Goes down for `downtimeMs` (`ds-restart`): requests meanwhile answer 503 (the network's answer for a service that
   * is down), held reads are cut (their callers see the connection drop), and the subscriptions lose their leases and
   * outstanding wakes; streams, offsets and subscription cursors survive. Back up, every subscription with pending
   * work is woken again. A restart while down is a no-op.
   */
  restart(downtimeMs: number): void {
    if (!this.running) return;
    this.running = false;
    const leasesLost = this.subscriptions?.suspend() ?? [];
    this.record('streams-down', { downtimeMs, leasesLost });
    this.cutRequestsInProgress(new ConnectionDropped('Durable Streams restarted'));
    this.sim.scheduler.schedule(downtimeMs, this.name, 'durable streams back up', () => {
      this.running = true;
      this.record('streams-up', {});
      this.subscriptions?.resume();
    });
  }

  /**
   * Cuts every request in progress with `cut` (their callers see the connection drop): a restart's, or the host's
   * network outage (`network-outage`: every request that reaches this service over the network is a host's).
   */
  cutRequestsInProgress(cut: ConnectionDropped): void {
    const held = [...this.inProgress];
    this.inProgress.clear();
    for (const connection of held) connection.abort(cut);
  }

  async serve(request: SimRequest): Promise<SimResponse> {
    const path = request.url.pathname;
    const stream = path.startsWith(SUBSCRIPTION_STREAM_ROOT) ? path.slice(SUBSCRIPTION_STREAM_ROOT.length) : undefined;
    const live = request.url.searchParams.get('live');
    const isRead = request.method === 'GET' && stream !== undefined && !stream.startsWith('__ds');
    const arrivedAtMs = this.sim.scheduler.nowMs;
    let answer: SimResponse | undefined = this.door(request);
    // A refused read draws no read fault: it never reaches the stream.
    if (answer === undefined && isRead) answer = this.readAccess(request, stream);
    if (answer === undefined) {
      const fault = isRead && live === null ? this.faults.draw(request.peer, stream) : undefined;
      const held = request.method === 'GET' && live === 'long-poll' ? this.hold(request) : undefined;
      try {
        answer = await this.answer(held ? withSignal(request, held.connection.signal) : request, fault, stream);
      } catch (error) {
        // Only an abort rejects.
        if (isRead) this.observeRead(request, stream, live !== null, { status: 0, headers: {}, body: null }, true, arrivedAtMs);
        throw error;
      } finally {
        if (held) this.release(held);
      }
    }
    if (isRead) this.observeRead(request, stream, live !== null, answer, false, arrivedAtMs);
    else if (request.method === 'POST' && stream !== undefined && !stream.startsWith('__ds')) {
      this.record('stream-append', { peer: request.peer, stream, status: answer.status, offset: answer.headers['stream-next-offset'] ?? null });
    } else {
      this.record('streams-request', { peer: request.peer, method: request.method, path, status: answer.status });
    }
    return answer;
  }

  /**
   * The connection of a long-poll (any GET with `live=long-poll`), the one request the service may hold: a signal of
   * its own, aborted by the caller's (it dropped the connection) or by a restart (which cuts it). Every other request
   * is answered in the turn it arrives in, so a restart, which comes in a step of its own, never finds one in progress:
   * the caller's signal is all it needs (the routes read whether it aborted before they began), and a controller per
   * request cost more than the routes themselves.
   */
  private hold(request: SimRequest): HeldRead {
    const connection = this.idleConnections.pop() ?? new AbortController();
    const unfollow = request.signal ? followAbort(request.signal, connection) : () => {};
    this.inProgress.add(connection);
    return { connection, unfollow };
  }

  /** The held read is answered (or was cut): its controller goes back for the next one, unless it aborted. */
  private release(held: HeldRead): void {
    this.inProgress.delete(held.connection);
    held.unfollow();
    if (!held.connection.signal.aborted) this.idleConnections.push(held.connection);
  }

  private async answer(request: SimRequest, fault: 'not-found' | 'foreign-item' | undefined, stream: string | undefined): Promise<SimResponse> {
    if (fault === 'not-found') {
      // What the service answers for a stream that is not there yet.
      return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Stream not found' };
    }
    const answer = await this.facade.serve(request);
    if (fault !== 'foreign-item' || answer.status !== 200) return answer;
    const items = JSON.parse(bodyText(answer)) as unknown[];
    const { etag: _etag, 'content-length': _length, ...headers } = answer.headers;
    return { status: 200, headers, body: JSON.stringify([this.faults.foreignItem(stream!), ...items]) };
  }

  private observeRead(request: SimRequest, stream: string, live: boolean, answer: SimResponse, aborted: boolean, arrivedAtMs: number): void {
    const detail: Record<string, TraceValue> = {
      peer: request.peer,
      stream,
      offset: request.url.searchParams.get('offset') ?? '-1',
      live,
      status: answer.status,
      next: answer.headers['stream-next-offset'] ?? null,
    };
    const heldMs = this.sim.scheduler.nowMs - arrivedAtMs;
    if (heldMs > 0) detail['heldMs'] = heldMs;
    if (aborted) detail['aborted'] = true;
    if (answer.status === 200) {
      const items = parseItems(answer);
      detail['count'] = items.length;
      const wakes = items.flatMap((item) => wakeOf(item));
      if (wakes.length > 0) detail['wakes'] = wakes;
    }
    this.record('stream-read', detail);
  }

  private record(kind: string, detail: { readonly [key: string]: TraceValue }): void {
    this.sim.trace.record(this.name, kind, detail);
  }
}

/** A held read's connection, and how to stop following its caller's signal. */
interface HeldRead {
  readonly connection: AbortController;
  readonly unfollow: () => void;
}

/** `request` with `signal` instead of its own (written out: V8 makes a spread copy given a property slow). */
function withSignal(request: SimRequest, signal: AbortSignal): SimRequest {
  return { method: request.method, url: request.url, headers: request.headers, body: request.body, signal, peer: request.peer };
}

function parseItems(answer: SimResponse): unknown[] {
  const contentType = answer.headers['content-type'] ?? '';
  if (!contentType.includes('json')) return [];
  try {
    const parsed = JSON.parse(bodyText(answer)) as unknown;
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

function wakeOf(item: unknown): TraceValue[] {
  const event = item as { type?: unknown; subscription_id?: unknown; generation?: unknown } | null;
  if (event === null || typeof event !== 'object' || event.type !== 'wake' || typeof event.subscription_id !== 'string') return [];
  return [{ subscription: event.subscription_id, generation: Number(event.generation) }];
}
