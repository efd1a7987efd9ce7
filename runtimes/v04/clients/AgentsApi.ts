import {
  AGENTS_ROUTES,
  bearer,
  type DoneRequest,
  type DoneResponse,
  type ManifestResponse,
  type ManifestRow,
  type RenewRequest,
  type RunnerRecord,
  type SharedStateWriteResponse,
  type WakeNotification,
} from '../../../protocol/agents/agentsRoutes.ts';
import { nowMs } from '../time.ts';
import { answerError, jsonOf, type HttpClient } from './HttpClient.ts';

/** The answer of the claim route: a wake to dispatch, or why there is none. */
export type ClaimOutcome =
  /** `sentAtMs`: when the claim went out, on the process's clock; its lease began no earlier. */
  | { readonly kind: 'wake'; readonly notification: WakeNotification; readonly sentAtMs: number }
  | { readonly kind: 'skip'; readonly reason: 'NO_PENDING_WORK' | 'ALREADY_CLAIMED' };

/** The agents server's routes the wake path uses; every refusal rejects with an `HttpStatusError`. */
export class AgentsApi {
  constructor(
    private readonly http: HttpClient,
    private readonly baseUrl: string,
  ) {}

  async register(id: string, label: string): Promise<RunnerRecord> {
    const answer = await this.http.request('POST', this.url(AGENTS_ROUTES.register()), { json: { id, label } });
    if (answer.status !== 200) throw answerError(answer, 'REGISTER_FAILED');
    return jsonOf<RunnerRecord>(answer);
  }

  async heartbeat(runnerId: string, wakeStreamOffset: string): Promise<void> {
    const answer = await this.http.request('POST', this.url(AGENTS_ROUTES.heartbeat(runnerId)), { json: { wake_stream_offset: wakeStreamOffset } });
    if (answer.status >= 300) throw answerError(answer, 'HEARTBEAT_FAILED');
  }

  async claim(runnerId: string, subscriptionId: string): Promise<ClaimOutcome> {
    const sentAtMs = nowMs();
    const answer = await this.http.request('POST', this.url(AGENTS_ROUTES.claim(runnerId)), { json: { subscription_id: subscriptionId } });
    if (answer.status === 200) return { kind: 'wake', notification: jsonOf<WakeNotification>(answer), sentAtMs };
    if (answer.status === 204) return { kind: 'skip', reason: 'NO_PENDING_WORK' };
    const error = answerError(answer, 'CLAIM_FAILED');
    if (error.code === 'ALREADY_CLAIMED') return { kind: 'skip', reason: 'ALREADY_CLAIMED' };
    throw error;
  }

  async done(wakeId: string, writeToken: string, body: DoneRequest): Promise<DoneResponse> {
    const answer = await this.http.request('POST', this.url(AGENTS_ROUTES.done(wakeId)), { json: body, headers: { authorization: bearer(writeToken) } });
    if (answer.status !== 200) throw answerError(answer, 'DONE_FAILED');
    return jsonOf<DoneResponse>(answer);
  }

  /**
   * Extends the lease of a claimed wake; a refusal (401, 409 `FENCED`) means the claim is no longer this wake's.
   * `signal` gives the renewal up (`renewal-timeout`).
   */
  async renew(wakeId: string, writeToken: string, body: RenewRequest, signal?: AbortSignal): Promise<void> {
    const options = { json: body, headers: { authorization: bearer(writeToken) } };
    const answer = await this.http.request('POST', this.url(AGENTS_ROUTES.renew(wakeId)), signal ? { ...options, signal } : options);
    if (answer.status !== 200) throw answerError(answer, 'RENEW_FAILED');
  }

  async readManifest(entity: string): Promise<readonly ManifestRow[]> {
    const answer = await this.http.request('GET', this.url(AGENTS_ROUTES.manifest(entity)));
    if (answer.status !== 200) throw answerError(answer, 'MANIFEST_READ_FAILED');
    return jsonOf<ManifestResponse>(answer).rows;
  }

  async commitManifest(entity: string, writeToken: string, rows: readonly ManifestRow[]): Promise<void> {
    const answer = await this.http.request('POST', this.url(AGENTS_ROUTES.manifest(entity)), { json: { rows }, headers: { authorization: bearer(writeToken) } });
    if (answer.status >= 300) throw answerError(answer, 'MANIFEST_COMMIT_FAILED');
  }

  /** Appends one state event to a shared-state stream through the server, authorised by the wake's write token. */
  async writeSharedState(sharedId: string, writeToken: string, event: unknown, signal?: AbortSignal): Promise<string> {
    const options = { json: event, headers: { authorization: bearer(writeToken) } };
    const answer = await this.http.request('POST', this.url(AGENTS_ROUTES.sharedStateRows(sharedId)), signal ? { ...options, signal } : options);
    if (answer.status !== 200) throw answerError(answer, 'SHARED_STATE_WRITE_FAILED');
    return jsonOf<SharedStateWriteResponse>(answer).offset;
  }

  /** Creates a shared state (what `mkdb` does), authorised by the wake's write token; creating it again is no error. */
  async createSharedState(sharedId: string, writeToken: string): Promise<void> {
    const answer = await this.http.request('PUT', this.url(AGENTS_ROUTES.sharedState(sharedId)), { headers: { authorization: bearer(writeToken) } });
    if (answer.status !== 200 && answer.status !== 201) throw answerError(answer, 'SHARED_STATE_CREATE_FAILED');
  }

  private url(path: string): string {
    return `${this.baseUrl}${path}`;
  }
}
