/**
 * The agents server's HTTP routes that the wake path uses, as a runtime calls them (semantics.md §1). Bodies are
 * JSON; errors answer `{ "error": { "code": ..., "message": ... } }`. Paths are relative to the agents server's base
 * URL. `:id` parts are URI-encoded.
 *
 * | route | body | answers |
 * |---|---|---|
 * | `POST /_electric/runners` | {@link RegisterRunnerRequest} | 200 {@link RunnerRecord} |
 * | `POST /_electric/runners/:id/heartbeat` | {@link HeartbeatRequest} | 204; 404 `RUNNER_NOT_FOUND` |
 * | `POST /_electric/runners/:id/claim` | {@link ClaimRequest} | 200 {@link WakeNotification}; 204 nothing pending; 409 `ALREADY_CLAIMED` |
 * | `POST /_electric/wakes/:wakeId/done` | {@link DoneRequest}, bearer write token | 200 {@link DoneResponse}; 401 `INVALID_WRITE_TOKEN`; 409 `FENCED` |
 * | `POST /_electric/wakes/:wakeId/renew` | {@link RenewRequest}, bearer write token | 200; 401; 409 `FENCED` |
 * | `GET /_electric/entities/:id/manifest` | | 200 {@link ManifestResponse} |
 * | `POST /_electric/entities/:id/manifest` | {@link ManifestCommitRequest}, bearer write token | 204; 401 |
 * | `POST /_electric/shared-state/:id/rows` | {@link SharedStateWriteRequest}, bearer write token | 200 {@link SharedStateWriteResponse}; 401; 404 |
 * | `PUT /_electric/shared-state/:id` | bearer write token | 201 created, 200 exists ({@link SharedStateCreateResponse}); 401; 409 `SHARED_STATE_EXISTS` |
 *
 * A shared state created with `PUT` is read from the Durable Streams service like any stream, with the wake's write
 * token as `authorization: Bearer`: the read is refused 401 (`Principal is not allowed to read shared state`) unless
 * the token's entity is linked to the state (historical B8: when that link is made is the world's `shared-links`).
 *
 * Every route answers 503 `SERVICE_UNAVAILABLE` while the server restarts.
 */
export const AGENTS_ROUTES = {
  register: () => '/_electric/runners',
  heartbeat: (runnerId: string) => `/_electric/runners/${encodeURIComponent(runnerId)}/heartbeat`,
  claim: (runnerId: string) => `/_electric/runners/${encodeURIComponent(runnerId)}/claim`,
  done: (wakeId: string) => `/_electric/wakes/${encodeURIComponent(wakeId)}/done`,
  renew: (wakeId: string) => `/_electric/wakes/${encodeURIComponent(wakeId)}/renew`,
  manifest: (entity: string) => `/_electric/entities/${encodeURIComponent(entity)}/manifest`,
  sharedStateRows: (sharedId: string) => `/_electric/shared-state/${encodeURIComponent(sharedId)}/rows`,
  sharedState: (sharedId: string) => `/_electric/shared-state/${encodeURIComponent(sharedId)}`,
} as const;

export interface RegisterRunnerRequest {
  readonly id: string;
  readonly label: string;
}

/** What registration hands back to a starting runner. */
export interface RunnerRecord {
  readonly id: string;
  readonly label: string;
  /** The runner's wake stream, as a name under the Durable Streams root (`runners/runner-1/wake`). */
  readonly wake_stream: string;
  /** Where to resume reading; absent in 0.4.x and up to the newest version (defect A's plumbing gap). */
  readonly wake_stream_offset?: string;
}

export interface HeartbeatRequest {
  /** The offset the runner reports: its read position, or a settled low-water mark. */
  readonly wake_stream_offset: string;
}

export interface ClaimRequest {
  /** The subscription a wake event named. */
  readonly subscription_id: string;
}

/** One linked stream of a claimed wake, as the claim lists it. */
export interface ClaimedStream {
  /** Name under the Durable Streams root, e.g. `entities/digest-1/inbox`. */
  readonly stream: string;
  readonly acked_offset: string;
  readonly tail_offset: string;
  readonly has_pending: boolean;
}

/** A claimed wake to dispatch. */
export interface WakeNotification {
  readonly wake_id: string;
  readonly subscription_id: string;
  readonly generation: number;
  /** The entity to run: its id and its type (which handler). */
  readonly entity: { readonly id: string; readonly type: string };
  readonly streams: readonly ClaimedStream[];
  /** Authorises this wake's writes (done, manifest, shared state); lost when the server restarts. */
  readonly write_token: string;
  readonly lease_ttl_ms: number;
}

export interface StreamAck {
  readonly stream: string;
  readonly offset: string;
}

export interface DoneRequest {
  readonly subscription_id: string;
  readonly generation: number;
  readonly acks: readonly StreamAck[];
  /**
   * The wake-row cursor: the wake stream offset of the last wake row (a row with a payload, such as a child's
   * `runFinished`) the wake consumed; every such row of the entity at or before it is acknowledged. Absent when the
   * wake was given no wake row.
   */
  readonly wake_rows_to?: string;
}

export interface DoneResponse {
  /** True when work arrived during the wake and the server issued the next wake at once. */
  readonly next_wake: boolean;
}

export interface RenewRequest {
  readonly subscription_id: string;
  readonly generation: number;
}

/** A shared-state DB an entity observed in a wake that completed: restored before the next wake's handler. */
export interface ManifestRow {
  readonly shared_id: string;
  readonly mode: 'connect' | 'create';
}

export interface ManifestResponse {
  readonly rows: readonly ManifestRow[];
}

export interface ManifestCommitRequest {
  readonly rows: readonly ManifestRow[];
}

/** A state-protocol change to append to a shared-state stream. */
export interface SharedStateWriteRequest {
  readonly type: string;
  readonly key: string;
  readonly value: unknown;
  readonly headers: { readonly operation: 'insert' | 'update' | 'delete' };
}

export interface SharedStateWriteResponse {
  readonly offset: string;
}

/** The answer of the create route (`mkdb`). */
export interface SharedStateCreateResponse {
  readonly shared_id: string;
}

/** The error body of every route. */
export interface AgentsErrorBody {
  readonly error: { readonly code: string; readonly message?: string };
}

/** The header that carries a wake's write token: `authorization: Bearer <token>`. */
export const WRITE_TOKEN_HEADER = 'authorization';
export const bearer = (token: string): string => `Bearer ${token}`;
