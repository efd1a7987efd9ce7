import type { SimContext } from '../../sim/run/SimContext.ts';
import type { TraceValue } from '../../sim/trace/Trace.ts';
import type { DurableStreamsService } from '../durable-streams/DurableStreamsService.ts';
import { BEGINNING_OFFSET } from '../durable-streams/offsets.ts';
import { SUBSCRIPTION_STREAM_ROOT, type ReferenceSubscriptions } from '../durable-streams/ReferenceSubscriptions.ts';
import { emptyAnswer, errorAnswer, jsonAnswer, jsonBodyOf } from '../http/answers.ts';
import { headerOf } from '../http/headerOf.ts';
import { sentAt, type SimRequest } from '../http/SimRequest.ts';
import type { SimResponse } from '../http/SimResponse.ts';
import type { SimService } from '../network/Network.ts';
import { worldInvariant } from '../WorldInvariantError.ts';
import type { ClaimReaper } from './ClaimReaper.ts';
import type { WriteTokenKeeping } from './WriteTokenKeeping.ts';
import type { DoneRelease } from './DoneRelease.ts';
import type { HeartbeatLease } from './HeartbeatLease.ts';
import type { ResumeOffsetSource } from './ResumeOffsetSource.ts';
import type { ClaimTokenKeying } from './ClaimTokenKeying.ts';
import type { SharedLinks } from './SharedStateLinks.ts';
import { chooseInRange } from '../../sim/choice/ChoiceSource.ts';
import type { RunFinishedDelivery } from './RunFinishedDelivery.ts';
import type { RunFinishedKey } from './RunFinishedKey.ts';
import type { SpawnOrder } from './SpawnOrder.ts';
import { manifestChildKey, RunFinishedWakes } from './RunFinishedWakes.ts';
import { WriteTokenStore, type WriteGrant } from './WriteTokenStore.ts';

/** The actor of the server's observations. */
export const AGENTS_SERVER = 'agents-server';

/** A runner as the server's database keeps it. */
interface RunnerRow {
  readonly id: string;
  readonly label: string;
  /** Name under the Durable Streams root. */
  readonly wakeStream: string;
}

/** An entity as the server's database keeps it: its subscription and streams. */
export interface EntityRow {
  readonly id: string;
  readonly type: string;
  readonly subscription: string;
  /** The runner whose wake stream the subscription wakes. */
  readonly runner: string;
  /** Name of the entity's inbox under the Durable Streams root. */
  readonly inbox: string;
}

/** A claim as the server's database keeps it (`consumer_claims` upstream): active until done releases it. */
interface ClaimRow {
  readonly wakeId: string;
  readonly subscription: string;
  readonly generation: number;
  readonly runner: string;
  /** When the claim was granted, in virtual milliseconds. */
  readonly claimedAtMs: number;
  /**
   * When the row's lease ends (`lease_expires_at`), in virtual milliseconds; null once a heartbeat erased it
   * (`heartbeat-lease=erase`, B10), after which the claim reaper never releases the row.
   */
  leaseExpiresAtMs: number | null;
  status: 'active' | 'released';
}

/** A manifest row: a shared-state DB an entity observed in a wake that completed. */
interface ManifestRow {
  readonly shared_id: string;
  readonly mode: 'connect' | 'create';
}

/** What the server needs of the Durable Streams service it fronts. */
export interface StreamsBackend {
  readonly streams: DurableStreamsService;
  readonly subscriptions: ReferenceSubscriptions;
  /** False while the service is down: the server's calls to it fail, and it answers 503. */
  readonly up: boolean;
}

/** Settings of the server that a run's switches choose. */
export interface AgentsServerOptions {
  readonly resumeOffsetSource: ResumeOffsetSource;
  /** The lease of every claim, in virtual milliseconds. */
  readonly leaseTtlMs: number;
  /**
   * The world's faults at the server's door: an answer for a request that fails before it is routed (a heartbeat the
   * server cannot store, say), or undefined to serve it.
   */
  readonly requestFault?: (request: SimRequest) => SimResponse | undefined;
  /** Whether the server releases claim rows whose Durable Streams lease ended without a done (none when absent). */
  readonly claimReaper?: ClaimReaper;
  /** Whether done releases a claim row without the in-memory write token (`independent`, the fix, when absent; B3). */
  readonly doneRelease?: DoneRelease;
  /** Whether a heartbeat erases the lease expiry of its runner's claim rows (`keep`, the fix, when absent; B10). */
  readonly heartbeatLease?: HeartbeatLease;
  /** How claim write tokens are keyed (`per-stream`, the fix, when absent; B1). */
  readonly claimTokens?: ClaimTokenKeying;
  /** When the creator's link to a shared state it created is inserted (`on-create`, the fix, when absent; B8). */
  readonly sharedLinks?: SharedLinks;
  /** Whether a spawn's `runFinished` registration carries the manifest child key (`manifest`, the fix, when absent; B11). */
  readonly runFinishedKey?: RunFinishedKey;
  /** Where a `runFinished` wake row goes (`runs-stream` when absent; the world of O1 is `wake-stream`). */
  readonly runFinishedDelivery?: RunFinishedDelivery;
  /** Whether a restart loses the claim write tokens (`memory`, upstream's store, when absent) or keeps them (`database`). */
  readonly writeTokens?: WriteTokenKeeping;
  /** Whether a spawn links the child's inbox before appending its initial message (`link-first`, the fix, when absent; B9). */
  readonly spawnOrder?: SpawnOrder;
}

/** A shared state the server created (`shared_states` upstream): who created it. */
interface SharedStateRow {
  readonly sharedId: string;
  /** The entity whose wake created it. */
  readonly creator: string;
}

/**
 * The longest the projection of a manifest's links may lag its commit, in virtual milliseconds: the delay is a choice
 * from 0 up to it (the projection is asynchronous upstream, a consumer of the manifest events).
 */
export const LINK_PROJECTION_MAX_DELAY_MS = 2_000;

/** The message of a read of a shared state by a principal with no link to it (upstream's wording). */
export const SHARED_READ_REFUSED = 'Principal is not allowed to read shared state';

/** Where shared states live under the Durable Streams root. */
const SHARED_ROOT = 'shared/';

/** A child entity to spawn: observed by `parent`, which is woken (`wake: runFinished`) when a run of the child finishes. */
export interface SpawnRequest {
  readonly parent: string;
  readonly child: string;
  readonly type: string;
  readonly runner: string;
  /** Appended to the child's inbox once it is linked: what the child is spawned to do. */
  readonly initialMessage: TraceValue;
}

/** A `runFinished` wake row, as the agents server appends it to the parent's runs stream. */
export interface RunFinishedRow {
  readonly type: 'wake';
  readonly kind: 'run-finished';
  readonly child: string;
  /** The child's run that finished: the wake id of its wake. */
  readonly run: string;
}

/** The stream (under the Durable Streams root) the `runFinished` wake rows of `parent` are appended to. */
export const RUNS_STREAM_OF = (parent: string): string => `entities/${parent}/runs`;

/** A claim the server's database still holds as active, and whether its wake still holds its lease. */
export interface ActiveClaim {
  readonly wakeId: string;
  readonly subscription: string;
  readonly runner: string;
  readonly generation: number;
  readonly claimedAtMs: number;
  /** True while the Durable Streams service still leases this claim's generation of the subscription. */
  readonly leaseHeld: boolean;
}

/** How often the claim reaper sweeps the claims table, when it runs. */
export const CLAIM_REAPER_SWEEP_MS = 30_000;

type Route = (request: SimRequest, match: RegExpExecArray) => SimResponse;

const PREFIX = '/_electric';
const WAKE_STREAM_OF = (runner: string): string => `runners/${runner}/wake`;

/**
 * The simulated agents server, answering the routes of `protocol/agents/agentsRoutes.ts` over HTTP. Runner records,
 * heartbeat diagnostics, entities, manifests, claim rows, shared states and their links live in its database and
 * survive a restart; claim write tokens live in memory and do not (they do under `write-tokens=database`). It fronts
 * the Durable Streams service's pull-wake subscriptions: its claim route claims the entity's subscription for the
 * runner and mints a write token; done acks the wake with the claim's Durable Streams token.
 *
 * Every request is recorded as an observation of what the server saw and answered (actor `agents-server`):
 * `runner-registered`, `heartbeat-received`, `claim-answered`, `done-received`, `renew-received`, `manifest-read`,
 * `manifest-stored`, `shared-write`, `shared-state-created`, `request-refused` (failed at the door); `shared-read-refused`
 * when it refuses the service a read of a shared state (B8's links), `shared-link-projected` when a manifest's link is
 * projected; and `entity-created` when an entity is provisioned, `server-down` / `server-up` around a restart,
 * `claim-reaped` when the reaper releases a claim.
 *
 * Its own invariants are asserted as it acts (a claim's generation only grows per subscription, an authorised write
 * has its claim row, a manifest lists a shared DB once, a sought resume offset lies within the wake stream): a broken server
 * throws a {@link WorldInvariantError} and fails the run.
 */
export class AgentsServer implements SimService {
  readonly name = AGENTS_SERVER;
  private running = true;
  private readonly runners = new Map<string, RunnerRow>();
  /** runner id -> last reported wake stream offset (the diagnostics table). */
  private readonly diagnostics = new Map<string, string>();
  private readonly entities = new Map<string, EntityRow>();
  private readonly entitiesBySubscription = new Map<string, EntityRow>();
  private readonly manifests = new Map<string, ManifestRow[]>();
  /** Shared states created through the create route (`shared_states`), by shared id. */
  private readonly sharedStates = new Map<string, SharedStateRow>();
  /** shared id -> the entities linked to it, which may read it (`shared_state_links`). */
  private readonly links = new Map<string, Set<string>>();
  private readonly claims = new Map<string, ClaimRow>();
  /** subscription -> the newest generation a claim was granted for (the generation that only grows). */
  private readonly grantedGenerations = new Map<string, number>();
  private readonly runFinished = new RunFinishedWakes();
  private readonly tokens: WriteTokenStore;
  private readonly delivery: RunFinishedDelivery;
  private readonly routes: ReadonlyArray<readonly [string, RegExp, Route]>;

  constructor(
    private readonly sim: SimContext,
    private readonly backend: StreamsBackend,
    private readonly options: AgentsServerOptions,
  ) {
    this.tokens = new WriteTokenStore(options.claimTokens ?? 'per-stream');
    this.delivery = options.runFinishedDelivery ?? 'runs-stream';
    this.routes = [
      ['POST', /^\/_electric\/runners$/, (request) => this.register(request)],
      ['POST', /^\/_electric\/runners\/([^/]+)\/heartbeat$/, (request, match) => this.heartbeat(request, decode(match[1]!))],
      ['POST', /^\/_electric\/runners\/([^/]+)\/claim$/, (request, match) => this.claim(request, decode(match[1]!))],
      ['POST', /^\/_electric\/wakes\/([^/]+)\/done$/, (request, match) => this.done(request, decode(match[1]!))],
      ['POST', /^\/_electric\/wakes\/([^/]+)\/renew$/, (request, match) => this.renew(request, decode(match[1]!))],
      ['GET', /^\/_electric\/entities\/([^/]+)\/manifest$/, (request, match) => this.readManifest(request, decode(match[1]!))],
      ['POST', /^\/_electric\/entities\/([^/]+)\/manifest$/, (request, match) => this.commitManifest(request, decode(match[1]!))],
      ['POST', /^\/_electric\/shared-state\/([^/]+)\/rows$/, (request, match) => this.writeSharedState(request, decode(match[1]!))],
      ['PUT', /^\/_electric\/shared-state\/([^/]+)$/, (request, match) => this.createSharedState(request, decode(match[1]!))],
    ];
    if (options.claimReaper === 'sweep') this.scheduleSweep();
  }

  get up(): boolean {
    return this.running;
  }

  serve(request: SimRequest): SimResponse {
    const failed = this.options.requestFault?.(request);
    if (failed) {
      this.observe('request-refused', { peer: request.peer, method: request.method, path: request.url.pathname, status: failed.status, ...sentAt(request) });
      return failed;
    }
    const path = request.url.pathname;
    if (!path.startsWith(PREFIX)) return errorAnswer(404, 'NOT_FOUND', `no route ${path}`);
    let pathKnown = false;
    for (const [method, pattern, route] of this.routes) {
      const match = pattern.exec(path);
      if (!match) continue;
      pathKnown = true;
      if (request.method === method) return route(request, match);
    }
    return pathKnown ? errorAnswer(405, 'METHOD_NOT_ALLOWED', `${request.method} ${path}`) : errorAnswer(404, 'NOT_FOUND', `no route ${path}`);
  }

  /**
   * Provisions an entity (what spawning it does upstream, outside the wake path): its inbox stream, and a pull-wake
   * subscription linking the inbox and `sources` to `runner`'s wake stream. Stream names are relative to the root.
   */
  createEntity(entity: { readonly id: string; readonly type: string; readonly runner: string; readonly sources: readonly string[] }): EntityRow {
    const inbox = `entities/${entity.id}/inbox`;
    const wakeStream = WAKE_STREAM_OF(entity.runner);
    for (const name of [inbox, wakeStream]) this.backend.streams.create(`${SUBSCRIPTION_STREAM_ROOT}${name}`);
    const subscription = `sub:${entity.id}`;
    const answer = this.backend.subscriptions.define(subscription, {
      type: 'pull-wake',
      pattern: undefined,
      streams: [inbox, ...entity.sources],
      webhookUrl: undefined,
      wakeStream,
      leaseTtlMs: this.options.leaseTtlMs,
      description: `entity ${entity.id}`,
    });
    if (!answer.ok) throw new Error(`cannot subscribe entity ${entity.id}: ${answer.failure.code}`);
    const row: EntityRow = { id: entity.id, type: entity.type, subscription, runner: entity.runner, inbox };
    this.entities.set(entity.id, row);
    this.entitiesBySubscription.set(subscription, row);
    this.observe('entity-created', { entity: entity.id, type: entity.type, subscription, runner: entity.runner, streams: [inbox, ...entity.sources], wakeStream });
    return row;
  }

  /**
   * Spawns an observed child of `parent` with `wake: runFinished` (what upstream's spawn route does; here the scenario
   * calls it, as it provisions entities): the parent's runs stream is created and linked to the parent's subscription
   * (so a `runFinished` row is work for the parent, given to its handler as a wake input like an inbox message), the
   * child entity is created on `runner`, the wake is registered twice as upstream does (by the spawn, with or without
   * the manifest child key per `run-finished-key`, and by the manifest side, which lists the observed child under its
   * key), and the initial message is appended to the child's inbox, after the link (`spawn-order=link-first`, the
   * default) or before it (`append-first`, B9). Observed as `child-spawned` and `run-finished-registered`.
   */
  spawn(request: SpawnRequest): EntityRow {
    const parent = this.entities.get(request.parent);
    if (!parent) throw new Error(`cannot spawn ${request.child}: no parent entity ${request.parent}`);
    const runs = RUNS_STREAM_OF(parent.id);
    const runsPath = `${SUBSCRIPTION_STREAM_ROOT}${runs}`;
    // Under `run-finished-delivery=wake-stream` the rows go to the runner's wake stream: no runs stream.
    if (this.delivery === 'runs-stream' && !this.backend.streams.has(runsPath)) {
      this.backend.streams.create(runsPath);
      this.backend.subscriptions.linkStreams(parent.subscription, [runs]);
    }
    // B9's defect (`spawn-order=append-first`): the initial message lands before the subscription links the inbox.
    const appendFirst = this.options.spawnOrder === 'append-first';
    const inboxPath = `${SUBSCRIPTION_STREAM_ROOT}entities/${request.child}/inbox`;
    if (appendFirst) {
      this.backend.streams.create(inboxPath);
      this.backend.streams.append(inboxPath, request.initialMessage);
    }
    const child = this.createEntity({ id: request.child, type: request.type, runner: request.runner, sources: [] });
    this.observe('child-spawned', { parent: parent.id, child: child.id, type: child.type, runsStream: this.delivery === 'runs-stream' ? runs : null });
    const key = manifestChildKey(child.type, child.id);
    const keyed = (this.options.runFinishedKey ?? 'manifest') === 'manifest';
    for (const registration of [
      { parent: parent.id, child: child.id, manifestKey: keyed ? key : undefined, by: 'spawn' as const },
      { parent: parent.id, child: child.id, manifestKey: key, by: 'manifest' as const },
    ]) {
      const added = this.runFinished.register(registration);
      this.observe('run-finished-registered', { parent: parent.id, child: child.id, by: registration.by, manifestKey: registration.manifestKey ?? null, added });
    }
    if (!appendFirst) this.backend.streams.append(inboxPath, request.initialMessage);
    return child;
  }

  /**
   * Goes down for `downtimeMs`: requests answer 503 meanwhile; in-memory write tokens are lost (kept, with the claim
   * rows, under `write-tokens=database`).
   */
  restart(downtimeMs: number): void {
    if (!this.running) return;
    this.running = false;
    const keepsTokens = this.options.writeTokens === 'database';
    const lost = keepsTokens ? [] : this.tokens.live().map((grant) => grant.wakeId);
    if (!keepsTokens) this.tokens.forgetAll();
    this.observe('server-down', { downtimeMs, tokensLost: lost });
    this.sim.scheduler.schedule(downtimeMs, this.name, 'server back up', () => {
      this.running = true;
      this.observe('server-up', {});
    });
  }

  /** Claim rows still active, each with whether its wake still holds its lease (for the stuck-claim property). */
  activeClaims(): ActiveClaim[] {
    return [...this.claims.values()]
      .filter((row) => row.status === 'active')
      .map(({ wakeId, subscription, runner, generation, claimedAtMs }) => ({ wakeId, subscription, runner, generation, claimedAtMs, leaseHeld: this.leaseHeld(subscription, generation) }));
  }

  private leaseHeld(subscription: string, generation: number): boolean {
    const lease = this.backend.subscriptions.leaseOf(subscription);
    return lease !== undefined && lease.generation === generation;
  }

  /**
   * The claim reaper (`claim-reaper=sweep`): every {@link CLAIM_REAPER_SWEEP_MS}, while the server runs, it releases
   * the claim rows whose Durable Streams lease ended without a done (expired, or the service issued a later wake), so
   * an entity whose wake was abandoned is not left running in the server's database.
   */
  private scheduleSweep(): void {
    this.sim.scheduler.schedule(CLAIM_REAPER_SWEEP_MS, this.name, 'claim reaper sweep', () => {
      if (this.running) {
        for (const row of this.claims.values()) {
          // A row whose lease expiry a heartbeat erased (B10) has no lease to end, so the sweep never sees it expire.
          if (row.status !== 'active' || row.leaseExpiresAtMs === null || this.leaseHeld(row.subscription, row.generation)) continue;
          row.status = 'released';
          this.observe('claim-reaped', { wakeId: row.wakeId, subscription: row.subscription, generation: row.generation });
        }
      }
      this.scheduleSweep();
    });
  }

  private register(request: SimRequest): SimResponse {
    const body = jsonBodyOf(request) as { id?: unknown; label?: unknown } | undefined;
    if (typeof body?.id !== 'string' || typeof body.label !== 'string') return errorAnswer(400, 'INVALID_REQUEST', 'id and label are required');
    const row: RunnerRow = { id: body.id, label: body.label, wakeStream: WAKE_STREAM_OF(body.id) };
    this.backend.streams.create(`${SUBSCRIPTION_STREAM_ROOT}${row.wakeStream}`);
    this.runners.set(row.id, row);
    const resumeOffset = this.resumeOffset(row);
    const tail = this.backend.streams.tailOffset(`${SUBSCRIPTION_STREAM_ROOT}${row.wakeStream}`);
    // A reported offset is whatever the runner said; a sought one is the server's own and must lie in the stream.
    const sought = this.options.resumeOffsetSource === 'acked-seek' || this.options.resumeOffsetSource === 'claimed-seek';
    worldInvariant(!sought || resumeOffset === BEGINNING_OFFSET || resumeOffset! <= tail, this.name, () => `registration of ${row.id} seeks to ${resumeOffset}, past the wake stream's tail ${tail}`);
    this.observe('runner-registered', { peer: request.peer, runner: row.id, wakeStream: row.wakeStream, resumeOffset: resumeOffset ?? null });
    const record = { id: row.id, label: row.label, wake_stream: row.wakeStream };
    return jsonAnswer(200, resumeOffset === undefined ? record : { ...record, wake_stream_offset: resumeOffset });
  }

  private heartbeat(request: SimRequest, runnerId: string): SimResponse {
    const body = jsonBodyOf(request) as { wake_stream_offset?: unknown } | undefined;
    const offset = body?.wake_stream_offset;
    const known = this.runners.has(runnerId);
    const status = !known ? 404 : typeof offset !== 'string' ? 400 : 204;
    this.observe('heartbeat-received', { peer: request.peer, runner: runnerId, offset: typeof offset === 'string' ? offset : null, status });
    if (status === 404) return errorAnswer(404, 'RUNNER_NOT_FOUND', `runner ${runnerId} is not registered`);
    if (status === 400) return errorAnswer(400, 'INVALID_REQUEST', 'wake_stream_offset is required');
    this.diagnostics.set(runnerId, offset as string);
    if (this.options.heartbeatLease === 'erase') this.eraseLeases(runnerId);
    return emptyAnswer(204);
  }

  private claim(request: SimRequest, runnerId: string): SimResponse {
    const body = jsonBodyOf(request) as { subscription_id?: unknown } | undefined;
    const subscription = typeof body?.subscription_id === 'string' ? body.subscription_id : '';
    const observe = (status: number, extra: { readonly [key: string]: TraceValue } = {}): void =>
      this.observe('claim-answered', { peer: request.peer, runner: runnerId, subscription, status, ...sentAt(request), ...extra });
    const entity = this.entitiesBySubscription.get(subscription);
    if (!entity) {
      observe(404);
      return errorAnswer(404, 'ENTITY_NOT_FOUND', `no entity for subscription "${subscription}"`);
    }
    if (!this.backend.up) {
      observe(503);
      return errorAnswer(503, 'STREAMS_UNAVAILABLE', 'the Durable Streams service is unavailable');
    }
    const answer = this.backend.subscriptions.claim(subscription, runnerId);
    if (!answer.ok) {
      const { code, status } = answer.failure;
      if (code === 'NO_PENDING_WORK') {
        observe(204);
        return emptyAnswer(204);
      }
      observe(status, { code });
      return errorAnswer(status, code, answer.failure.message ?? code);
    }
    const wake = answer.value;
    const previous = this.grantedGenerations.get(subscription) ?? 0;
    worldInvariant(wake.generation > previous, this.name, () => `claim of ${subscription} granted generation ${wake.generation} after ${previous}: a generation only grows`);
    this.grantedGenerations.set(subscription, wake.generation);
    const { grant, evicted } = this.tokens.mint({ wakeId: wake.wake_id, subscription, generation: wake.generation, entity: entity.id, consumer: runnerId, streamsToken: wake.token });
    // B1's defect (`claim-tokens=per-consumer`) only: the runner's other live tokens went with this mint.
    if (evicted.length > 0) this.observe('write-tokens-evicted', { runner: runnerId, by: wake.wake_id, wakeIds: evicted.map((gone) => gone.wakeId) });
    const claimedAtMs = this.sim.scheduler.nowMs;
    this.claims.set(wake.wake_id, { wakeId: wake.wake_id, subscription, generation: wake.generation, runner: runnerId, claimedAtMs, leaseExpiresAtMs: claimedAtMs + this.options.leaseTtlMs, status: 'active' });
    observe(200, { wakeId: wake.wake_id, generation: wake.generation, entity: entity.id });
    return jsonAnswer(200, {
      wake_id: wake.wake_id,
      subscription_id: subscription,
      generation: wake.generation,
      entity: { id: entity.id, type: entity.type },
      streams: wake.streams.map((stream) => ({ stream: stream.path, acked_offset: stream.acked_offset, tail_offset: stream.tail_offset, has_pending: stream.has_pending })),
      write_token: grant.token,
      lease_ttl_ms: wake.lease_ttl_ms,
    });
  }

  private done(request: SimRequest, wakeId: string): SimResponse {
    const body = jsonBodyOf(request) as { generation?: unknown; acks?: unknown; wake_rows_to?: unknown } | undefined;
    const acks = Array.isArray(body?.acks) ? (body.acks as Array<{ stream?: unknown; offset?: unknown }>) : [];
    const observe = (status: number, extra: { readonly [key: string]: TraceValue } = {}): void =>
      this.observe('done-received', {
        peer: request.peer,
        wakeId,
        generation: typeof body?.generation === 'number' ? body.generation : null,
        acks: acks.map((ack) => ({ stream: String(ack.stream), offset: String(ack.offset) })),
        status,
        ...extra,
      });
    const grant = this.authorised(request, wakeId);
    if (!grant) {
      const released = this.releaseWithoutToken(wakeId, body?.generation);
      observe(401, released === undefined ? {} : released === wakeId ? { claimReleased: true } : { claimReleased: true, releasedWakeId: released });
      return errorAnswer(401, 'INVALID_WRITE_TOKEN', 'Invalid write token');
    }
    if (!this.backend.up) {
      observe(503);
      return errorAnswer(503, 'STREAMS_UNAVAILABLE', 'the Durable Streams service is unavailable');
    }
    const answer = this.backend.subscriptions.acknowledge(grant.subscription, grant.streamsToken, {
      wake_id: grant.wakeId,
      generation: body?.generation,
      acks: acks.map((ack) => ({ stream: ack.stream, offset: ack.offset })),
      done: true,
      ...(body?.wake_rows_to === undefined ? {} : { wake_rows_to: body.wake_rows_to }),
    });
    if (!answer.ok) {
      observe(answer.failure.status, { code: answer.failure.code });
      return errorAnswer(answer.failure.status, answer.failure.code, answer.failure.message ?? answer.failure.code);
    }
    this.tokens.revoke(grant.token);
    const claim = this.claims.get(wakeId);
    worldInvariant(claim !== undefined, this.name, () => `done of ${wakeId} authorised by a token with no claim row`);
    claim.status = 'released';
    observe(200, { nextWake: answer.value.next_wake });
    this.runFinishedWakes(grant.entity, wakeId);
    return jsonAnswer(200, { next_wake: answer.value.next_wake });
  }

  /**
   * A run of `entity` finished (its done was accepted): one `runFinished` wake row per registration watching it, appended
   * to the parent's runs stream, or under `run-finished-delivery=wake-stream` to the parent's runner's wake stream as a
   * wake row with the row as payload (observed as `run-finished-wake`). A registration B11 duplicated appends a second.
   */
  private runFinishedWakes(entity: string, run: string): void {
    for (const registration of this.runFinished.watching(entity)) {
      const row: RunFinishedRow = { type: 'wake', kind: 'run-finished', child: entity, run };
      if (this.delivery === 'wake-stream') {
        const parent = this.entities.get(registration.parent);
        const appended = parent !== undefined && this.backend.subscriptions.appendWakeRow(parent.subscription, 'run-finished', { ...row });
        this.observe('run-finished-wake', { parent: registration.parent, child: entity, run, by: registration.by, wakeStream: appended });
        continue;
      }
      const offset = this.backend.streams.append(`${SUBSCRIPTION_STREAM_ROOT}${RUNS_STREAM_OF(registration.parent)}`, { ...row });
      this.observe('run-finished-wake', { parent: registration.parent, child: entity, run, by: registration.by, offset });
    }
  }

  private renew(request: SimRequest, wakeId: string): SimResponse {
    const body = jsonBodyOf(request) as { generation?: unknown } | undefined;
    const grant = this.authorised(request, wakeId);
    const answer = grant && this.backend.up
      ? this.backend.subscriptions.acknowledge(grant.subscription, grant.streamsToken, { wake_id: grant.wakeId, generation: body?.generation, acks: [], done: false })
      : undefined;
    const status = !grant ? 401 : !this.backend.up ? 503 : answer!.ok ? 200 : answer!.failure.status;
    this.observe('renew-received', { peer: request.peer, wakeId, status });
    const renewed = this.claims.get(wakeId);
    if (status === 200 && renewed?.status === 'active') renewed.leaseExpiresAtMs = this.sim.scheduler.nowMs + this.options.leaseTtlMs;
    if (!grant) return errorAnswer(401, 'INVALID_WRITE_TOKEN', 'Invalid write token');
    if (!answer) return errorAnswer(503, 'STREAMS_UNAVAILABLE', 'the Durable Streams service is unavailable');
    if (!answer.ok) return errorAnswer(answer.failure.status, answer.failure.code, answer.failure.message ?? answer.failure.code);
    return jsonAnswer(200, {});
  }

  private readManifest(request: SimRequest, entity: string): SimResponse {
    const rows = this.manifests.get(entity) ?? [];
    this.observe('manifest-read', { peer: request.peer, entity, sharedIds: rows.map((row) => row.shared_id) });
    return jsonAnswer(200, { rows });
  }

  private commitManifest(request: SimRequest, entity: string): SimResponse {
    const grant = this.tokens.find(bearerToken(request));
    if (!grant || grant.entity !== entity) {
      this.observe('manifest-stored', { peer: request.peer, entity, sharedIds: [], status: 401 });
      return errorAnswer(401, 'INVALID_WRITE_TOKEN', 'Invalid write token');
    }
    const body = jsonBodyOf(request) as { rows?: unknown } | undefined;
    const rows = Array.isArray(body?.rows) ? (body.rows as ManifestRow[]).filter((row) => typeof row?.shared_id === 'string') : [];
    const current = this.manifests.get(entity) ?? [];
    // An upsert: rows already stored, or named twice in one commit, are stored once.
    const added = rows.filter((row, index) => !current.some((existing) => existing.shared_id === row.shared_id) && rows.findIndex((other) => other.shared_id === row.shared_id) === index);
    const stored = [...current, ...added.map((row) => ({ shared_id: row.shared_id, mode: row.mode === 'create' ? 'create' : 'connect' }) as const)];
    worldInvariant(new Set(stored.map((row) => row.shared_id)).size === stored.length, this.name, () => `the manifest of ${entity} lists a shared DB twice`);
    this.manifests.set(entity, stored);
    this.observe('manifest-stored', { peer: request.peer, entity, sharedIds: added.map((row) => row.shared_id), status: 204 });
    for (const row of added) this.projectLink(entity, row.shared_id);
    return emptyAnswer(204);
  }

  /**
   * The create route (`PUT /_electric/shared-state/:id`, what `mkdb` issues): authorised by a wake's write token, it
   * creates the shared stream and records the state as the wake's entity's. Creating it again is answered 200 for an
   * entity linked to it or its creator (a wake that failed retries its `mkdb`), 409 for any other. Under
   * `shared-links=on-create` (the fix) it inserts the creator's link at once; under `on-manifest` (B8) it leaves that
   * to the projection of a manifest that names the state.
   */
  private createSharedState(request: SimRequest, sharedId: string): SimResponse {
    const grant = this.tokens.find(bearerToken(request));
    const observe = (status: number, extra: { readonly [key: string]: TraceValue } = {}): void =>
      this.observe('shared-state-created', { peer: request.peer, sharedId, entity: grant?.entity ?? null, status, ...extra });
    if (!grant) {
      observe(401);
      return errorAnswer(401, 'INVALID_WRITE_TOKEN', 'Invalid write token');
    }
    if (!this.backend.up) {
      observe(503);
      return errorAnswer(503, 'STREAMS_UNAVAILABLE', 'the Durable Streams service is unavailable');
    }
    const existing = this.sharedStates.get(sharedId);
    if (existing && existing.creator !== grant.entity && !this.isLinked(sharedId, grant.entity)) {
      observe(409);
      return errorAnswer(409, 'SHARED_STATE_EXISTS', `shared state "${sharedId}" exists`);
    }
    const path = `${SUBSCRIPTION_STREAM_ROOT}${SHARED_ROOT}${sharedId}`;
    const created = !this.backend.streams.has(path);
    this.backend.streams.create(path);
    if (!existing) this.sharedStates.set(sharedId, { sharedId, creator: grant.entity });
    const linked = (this.options.sharedLinks ?? 'on-create') === 'on-create';
    if (linked) this.link(sharedId, grant.entity);
    observe(created ? 201 : 200, { linked });
    return jsonAnswer(created ? 201 : 200, { shared_id: sharedId });
  }

  /**
   * Whether a read of `stream` (a name under the Durable Streams root) may be served: the service asks before it
   * answers a read. A shared state this server created may be read only by an entity linked to it, named by a wake's
   * write token (`authorization: Bearer`); anything else, shared streams a scenario set up beside the server
   * included, is not the server's to guard. Returns the refusal, or undefined to serve the read.
   */
  refuseStreamRead(request: SimRequest, stream: string): SimResponse | undefined {
    if (!stream.startsWith(SHARED_ROOT)) return undefined;
    const sharedId = stream.slice(SHARED_ROOT.length);
    if (!this.sharedStates.has(sharedId)) return undefined;
    const principal = this.tokens.find(bearerToken(request))?.entity;
    if (principal !== undefined && this.isLinked(sharedId, principal)) return undefined;
    this.observe('shared-read-refused', { peer: request.peer, sharedId, entity: principal ?? null, status: 401 });
    return errorAnswer(401, 'UNAUTHORIZED', SHARED_READ_REFUSED);
  }

  /**
   * The asynchronous projection of a committed manifest row into `shared_state_links`: after a delay (a choice up to
   * {@link LINK_PROJECTION_MAX_DELAY_MS}), `entity` is linked to the shared state the row names, when the server
   * created that state and the link is still missing. It runs in the database, whether the server is up or not.
   */
  private projectLink(entity: string, sharedId: string): void {
    if (!this.sharedStates.has(sharedId) || this.isLinked(sharedId, entity)) return;
    const delayMs = chooseInRange(this.sim.choices, 0, LINK_PROJECTION_MAX_DELAY_MS, 'link projection delay');
    this.sim.scheduler.schedule(delayMs, this.name, `link ${entity} to ${sharedId}`, () => {
      this.link(sharedId, entity);
      this.observe('shared-link-projected', { entity, sharedId, delayMs });
    });
  }

  /** Inserts the link of `entity` to `sharedId` (an upsert). */
  private link(sharedId: string, entity: string): void {
    const linked = this.links.get(sharedId) ?? new Set<string>();
    linked.add(entity);
    this.links.set(sharedId, linked);
  }

  private isLinked(sharedId: string, entity: string): boolean {
    return this.links.get(sharedId)?.has(entity) === true;
  }

  private writeSharedState(request: SimRequest, sharedId: string): SimResponse {
    const grant = this.tokens.find(bearerToken(request));
    const event = jsonBodyOf(request);
    const key = (event as { key?: unknown } | undefined)?.key;
    const observe = (status: number, offset?: string): void =>
      this.observe('shared-write', { peer: request.peer, sharedId, key: typeof key === 'string' ? key : null, status, offset: offset ?? null, wakeId: grant?.wakeId ?? null });
    if (!grant) {
      observe(401);
      return errorAnswer(401, 'INVALID_WRITE_TOKEN', 'Invalid write token');
    }
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      observe(400);
      return errorAnswer(400, 'INVALID_REQUEST', 'a state event object is required');
    }
    const path = `${SUBSCRIPTION_STREAM_ROOT}${SHARED_ROOT}${sharedId}`;
    if (!this.backend.up) {
      observe(503);
      return errorAnswer(503, 'STREAMS_UNAVAILABLE', 'the Durable Streams service is unavailable');
    }
    if (!this.backend.streams.has(path)) {
      observe(404);
      return errorAnswer(404, 'SHARED_STATE_NOT_FOUND', `no shared state "${sharedId}"`);
    }
    const offset = this.backend.streams.append(path, event as TraceValue);
    observe(200, offset);
    return jsonAnswer(200, { offset });
  }

  /**
   * B3's fix (`done-release=independent`): a done whose write token the server no longer holds still releases the
   * active claim row it names by wake id and generation, as the row lives in the database; `token-gated` (the defect)
   * releases nothing. Returns the wake id of the row released, if any: the named one, unless B1's defect
   * (`claim-tokens=per-consumer`) took the stream from the runner's primary stream, which a later claim of another
   * entity moved to its own: then it is that entity's active row of the same generation, released under its wake.
   */
  private releaseWithoutToken(wakeId: string, generation: unknown): string | undefined {
    if ((this.options.doneRelease ?? 'independent') === 'token-gated') return undefined;
    const named = this.claims.get(wakeId);
    if (!named) return undefined;
    const subscription = this.tokens.releasedStream(named.runner, named.subscription);
    const row = subscription === named.subscription ? named : [...this.claims.values()].find((other) => other.subscription === subscription && other.runner === named.runner && other.status === 'active');
    if (row?.status !== 'active' || row.generation !== generation) return undefined;
    row.status = 'released';
    return row.wakeId;
  }

  /** B10's defect (`heartbeat-lease=erase`): the heartbeat of `runnerId` erases the lease expiry of its active claim rows. */
  private eraseLeases(runnerId: string): void {
    const erased: string[] = [];
    for (const row of this.claims.values()) {
      if (row.status !== 'active' || row.runner !== runnerId || row.leaseExpiresAtMs === null) continue;
      row.leaseExpiresAtMs = null;
      erased.push(row.wakeId);
    }
    if (erased.length > 0) this.observe('claim-lease-erased', { runner: runnerId, wakeIds: erased });
  }

  /** The live grant a request's bearer token names, when it is the grant of `wakeId`. */
  private authorised(request: SimRequest, wakeId: string): WriteGrant | undefined {
    const grant = this.tokens.find(bearerToken(request));
    return grant && grant.wakeId === wakeId ? grant : undefined;
  }

  private resumeOffset(runner: RunnerRow): string | undefined {
    switch (this.options.resumeOffsetSource) {
      case 'none':
        return undefined;
      case 'reported':
        return this.diagnostics.get(runner.id);
      case 'acked-seek':
        return this.prefixEnd(runner.wakeStream, (subscription, generation) => this.backend.subscriptions.isSettled(subscription, generation));
      case 'claimed-seek':
        return this.prefixEnd(runner.wakeStream, (subscription, generation) => this.backend.subscriptions.wasClaimed(subscription, generation));
    }
  }

  /**
   * End offset of the longest prefix of the wake stream whose wake events all pass `done` and whose wake rows were all
   * acknowledged (`-1` when the first fails).
   */
  private prefixEnd(wakeStream: string, done: (subscription: string, generation: number) => boolean): string {
    let end = BEGINNING_OFFSET;
    for (const item of this.backend.streams.read(`${SUBSCRIPTION_STREAM_ROOT}${wakeStream}`, BEGINNING_OFFSET).items) {
      const event = item.value as { type?: unknown; subscription_id?: unknown; generation?: unknown; payload?: unknown };
      if (event.type === 'wake' && typeof event.subscription_id === 'string' && typeof event.generation === 'number') {
        if (!done(event.subscription_id, event.generation)) break;
        // A wake row's payload is in that row alone: a row no done acknowledged yet must be read again.
        if (event.payload !== undefined && this.backend.subscriptions.isRowOwed(event.subscription_id, item.offset)) break;
      }
      end = item.offset;
    }
    return end;
  }

  private observe(kind: string, detail: { readonly [key: string]: TraceValue }): void {
    this.sim.trace.record(this.name, kind, detail);
  }
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The token of an `authorization: Bearer <token>` header. */
function bearerToken(request: SimRequest): string | undefined {
  const header = headerOf(request, 'authorization');
  const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : undefined;
}
