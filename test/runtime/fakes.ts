import type { TraceValue } from '../../sim/trace/Trace.ts';
import type { ManifestRow } from '../../world/agents-server/AgentsServer.ts';
import type { ReadResult, StreamItem } from '../../world/durable-streams/DurableStreamsService.ts';
import { formatOffset } from '../../world/durable-streams/offsets.ts';
import type { Claim } from '../../world/durable-streams/PullWakeSubscriptions.ts';
import { streamNotFound } from '../../world/network/HttpError.ts';
import type { AgentsClient, RuntimeEnvironment, StreamsClient } from '../../runtime/ports.ts';

/** A state-protocol insert event as a stream item. */
export const insertItem = (n: number, key: string, value: TraceValue): StreamItem => ({
  offset: formatOffset(n),
  value: { headers: { operation: 'insert' }, key, value },
});

export const result = (items: readonly StreamItem[]): ReadResult => ({
  items,
  nextOffset: items.at(-1)?.offset ?? formatOffset(0),
  upToDate: true,
});

/**
 * A StreamsClient whose catch-up reads answer from a script (an Error entry rejects), then with `fallback` once
 * the script is used up. Every call is recorded.
 */
export class FakeStreams implements StreamsClient {
  readonly reads: Array<{ path: string; offset: string }> = [];
  readonly appends: Array<{ path: string; value: TraceValue }> = [];
  appendError: Error | undefined;

  constructor(
    private readonly script: Array<ReadResult | Error> = [],
    private readonly fallback: ReadResult = result([]),
  ) {}

  read(path: string, offset: string): Promise<ReadResult> {
    this.reads.push({ path, offset });
    const next = this.script.shift() ?? this.fallback;
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  }

  readLive(): Promise<ReadResult> {
    return Promise.reject(new Error('readLive is not used by these tests'));
  }

  append(path: string, value: TraceValue): Promise<string> {
    if (this.appendError) return Promise.reject(this.appendError);
    this.appends.push({ path, value });
    return Promise.resolve(formatOffset(1_000 + this.appends.length));
  }
}

/** Streams whose first `failures` reads fail with 404 and whose later reads return one row `k = 1`. */
export const flakyStreams = (failures: number): FakeStreams =>
  new FakeStreams(Array.from({ length: failures }, () => streamNotFound()), result([insertItem(10, 'k', 1)]));

/** An AgentsClient that records the calls processWake makes. */
export class FakeAgents implements AgentsClient {
  readonly calls: string[] = [];
  readonly acks: Array<{ subscriptionId: string; wakeId: string; generation: number; offsets: Readonly<Record<string, string>> }> = [];
  readonly commits: Array<{ entity: string; rows: ManifestRow[] }> = [];
  ackError: Error | undefined;

  constructor(private readonly manifest: readonly ManifestRow[] = []) {}

  register(): Promise<never> {
    return Promise.reject(new Error('not used'));
  }
  heartbeat(): Promise<void> {
    return Promise.reject(new Error('not used'));
  }
  claim(): Promise<never> {
    return Promise.reject(new Error('not used'));
  }
  async ack(subscriptionId: string, wakeId: string, generation: number, offsets: Readonly<Record<string, string>>): Promise<void> {
    this.calls.push('ack');
    if (this.ackError) throw this.ackError;
    this.acks.push({ subscriptionId, wakeId, generation, offsets });
  }
  async readManifest(): Promise<readonly ManifestRow[]> {
    this.calls.push('readManifest');
    return this.manifest;
  }
  async commitManifest(entity: string, rows: readonly ManifestRow[]): Promise<void> {
    this.calls.push('commitManifest');
    this.commits.push({ entity, rows: [...rows] });
  }
}

/** A RuntimeEnvironment with instant sleeps (recorded) and emitted events collected in order. */
export function fakeEnv(streams: StreamsClient, agents: AgentsClient = new FakeAgents()) {
  const events: Array<{ kind: string; detail: { readonly [key: string]: TraceValue } }> = [];
  const sleeps: number[] = [];
  const env: RuntimeEnvironment = {
    processName: 'host#1',
    nowMs: () => 0,
    sleep: (delayMs) => {
      sleeps.push(delayMs);
      return Promise.resolve();
    },
    http: {
      origin: 'http://durable-streams.fake',
      fetch: () => Promise.reject(new Error('the unit-test environment has no HTTP service (library tier)')),
    },
    emit: (kind, detail = {}) => {
      events.push({ kind, detail });
    },
    streams,
    agents,
  };
  const kinds = () => events.map((event) => event.kind);
  return { env, events, sleeps, kinds };
}

export const INBOX = '/inbox/e1';

export const claimFor = (entity = 'e1'): Claim => ({
  wake_id: `sub:${entity}/1`,
  subscription_id: `sub:${entity}`,
  generation: 1,
  token: 'lease-1',
  streams: [{ path: INBOX, acked_offset: '-1', tail_offset: formatOffset(42), has_pending: true }],
  lease_ttl_ms: 5_000,
});

/** Several macrotask hops: enough for any promise that was going to settle to have settled. */
export async function hops(count = 5): Promise<void> {
  for (let i = 0; i < count; i += 1) await new Promise((resolve) => setImmediate(resolve));
}
