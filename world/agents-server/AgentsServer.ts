import type { SimContext } from '../../sim/run/SimContext.ts';
import type { DurableStreamsService } from '../durable-streams/DurableStreamsService.ts';
import { BEGINNING_OFFSET } from '../durable-streams/offsets.ts';
import type { Claim, PullWakeSubscriptions } from '../durable-streams/PullWakeSubscriptions.ts';
import { HttpError } from '../network/HttpError.ts';
import type { ServiceEndpoint } from '../network/Network.ts';

/** What registration hands back to a starting runner. */
export interface RunnerRecord {
  readonly id: string;
  readonly label: string;
  readonly wake_stream: string;
  /** Absent in 0.4.x and up to the newest version: the defect A plumbing gap. */
  readonly wake_stream_offset?: string;
}

/**
 * Where registration gets a resume offset from (semantics.md §4, runner offset):
 * `none` returns no offset (0.4.x); `reported` returns the offset the runner last reported on a heartbeat;
 * `acked-seek` computes the end of the longest prefix of the wake stream whose wakes are all settled.
 */
export type ResumeOffsetSource = 'none' | 'reported' | 'acked-seek';

/** A shared-state DB an entity observed in a wake that completed: restored before the next wake's handler. */
export interface ManifestRow {
  readonly sharedId: string;
  readonly mode: 'connect' | 'create';
}

/** The answer of the claim route: a wake to dispatch, or why there is none. */
export type ClaimOutcome =
  | { readonly kind: 'wake'; readonly claim: Claim; readonly entity: string }
  | { readonly kind: 'skip'; readonly reason: 'NO_PENDING_WORK' | 'ALREADY_CLAIMED' };

interface EntityRecord {
  readonly entity: string;
  readonly subscriptionId: string;
}

/**
 * The agents server: runner records, heartbeat diagnostics and entity manifests live in its database and survive a
 * restart; claim write tokens live in memory and do not.
 */
export class AgentsServer implements ServiceEndpoint {
  readonly name = 'agents-server';
  private running = true;
  private readonly runners = new Map<string, RunnerRecord>();
  /** runner id -> last reported wake stream offset (the diagnostics table). */
  private readonly diagnostics = new Map<string, string>();
  private readonly manifests = new Map<string, ManifestRow[]>();
  private readonly entitiesBySubscription = new Map<string, EntityRecord>();
  /** wake id -> DS lease token; in memory only. */
  private claimTokens = new Map<string, string>();

  constructor(
    private readonly sim: SimContext,
    private readonly streams: DurableStreamsService,
    private readonly subscriptions: PullWakeSubscriptions,
    private readonly resumeOffsetSource: ResumeOffsetSource,
  ) {}

  get up(): boolean {
    return this.running;
  }

  /** Creates an entity with its inbox and links it (and its extra sources) to a runner's wake stream. */
  createEntity(entity: string, inbox: string, sources: readonly string[], wakeStream: string): void {
    const subscriptionId = `sub:${entity}`;
    this.streams.create(inbox);
    this.streams.create(wakeStream);
    this.subscriptions.subscribe(subscriptionId, [inbox, ...sources], wakeStream);
    this.entitiesBySubscription.set(subscriptionId, { entity, subscriptionId });
  }

  register(runnerId: string, label: string, wakeStream: string): RunnerRecord {
    this.streams.create(wakeStream);
    const record: RunnerRecord = { id: runnerId, label, wake_stream: wakeStream };
    this.runners.set(runnerId, record);
    const offset = this.resumeOffset(runnerId, wakeStream);
    this.sim.trace.record(this.name, 'runner-registered', { runner: runnerId, resumeOffset: offset ?? null });
    return offset === undefined ? record : { ...record, wake_stream_offset: offset };
  }

  heartbeat(runnerId: string, wakeStreamOffset: string): void {
    if (!this.runners.has(runnerId)) throw new HttpError(404, 'RUNNER_NOT_FOUND', `runner ${runnerId} not registered`);
    this.diagnostics.set(runnerId, wakeStreamOffset);
    this.sim.trace.record(this.name, 'heartbeat-stored', { runner: runnerId, offset: wakeStreamOffset });
  }

  claim(subscriptionId: string): ClaimOutcome {
    const entity = this.entitiesBySubscription.get(subscriptionId);
    if (!entity) throw new HttpError(404, 'ENTITY_NOT_FOUND', `no entity for ${subscriptionId}`);
    try {
      const claim = this.subscriptions.claim(subscriptionId);
      this.claimTokens.set(claim.wake_id, claim.token);
      return { kind: 'wake', claim, entity: entity.entity };
    } catch (error) {
      if (error instanceof HttpError && (error.code === 'NO_PENDING_WORK' || error.code === 'ALREADY_CLAIMED')) {
        return { kind: 'skip', reason: error.code };
      }
      throw error;
    }
  }

  ack(subscriptionId: string, wakeId: string, generation: number, offsets: Readonly<Record<string, string>>): void {
    const token = this.claimTokens.get(wakeId);
    if (token === undefined) throw new HttpError(409, 'CLAIM_UNKNOWN', `no claim token for ${wakeId}`);
    this.subscriptions.ack(subscriptionId, token, generation, offsets, true);
    this.claimTokens.delete(wakeId);
  }

  readManifest(entity: string): readonly ManifestRow[] {
    return this.manifests.get(entity) ?? [];
  }

  commitManifest(entity: string, rows: readonly ManifestRow[]): void {
    const current = this.manifests.get(entity) ?? [];
    const added = rows.filter((row) => !current.some((existing) => existing.sharedId === row.sharedId));
    this.manifests.set(entity, [...current, ...added]);
    // Traced where the server acts: a committer that dies before the answer still left the rows behind.
    if (added.length > 0) this.sim.trace.record(this.name, 'manifest-stored', { entity, sharedIds: added.map((row) => row.sharedId) });
  }

  /** Goes down for `downtimeMs`: requests fail with 503 meanwhile; in-memory claim tokens are lost. */
  restart(downtimeMs: number): void {
    if (!this.running) return;
    this.running = false;
    this.claimTokens = new Map();
    this.sim.trace.record(this.name, 'server-down', { downtimeMs });
    this.sim.scheduler.schedule(downtimeMs, this.name, 'server back up', () => {
      this.running = true;
      this.sim.trace.record(this.name, 'server-up');
    });
  }

  private resumeOffset(runnerId: string, wakeStream: string): string | undefined {
    switch (this.resumeOffsetSource) {
      case 'none':
        return undefined;
      case 'reported':
        return this.diagnostics.get(runnerId);
      case 'acked-seek':
        return this.settledPrefixEnd(wakeStream);
    }
  }

  /** End offset of the longest prefix of wake events that need no further work (`-1` when the first one does). */
  private settledPrefixEnd(wakeStream: string): string {
    let end = BEGINNING_OFFSET;
    for (const item of this.streams.read(wakeStream, BEGINNING_OFFSET).items) {
      const event = item.value as { type?: unknown; subscription_id?: unknown; generation?: unknown };
      if (event.type === 'wake' && typeof event.subscription_id === 'string' && typeof event.generation === 'number') {
        if (!this.subscriptions.isSettled(event.subscription_id, event.generation)) break;
      }
      end = item.offset;
    }
    return end;
  }
}
