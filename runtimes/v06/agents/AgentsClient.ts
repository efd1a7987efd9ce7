import {
  AGENTS_ROUTES,
  type DoneRequest,
  type DoneResponse,
  type ManifestResponse,
  type ManifestRow,
  type RunnerRecord,
  type SharedStateWriteRequest,
  type SharedStateWriteResponse,
  type WakeNotification,
} from '../../../protocol/agents/agentsRoutes.ts';
import type { FetchFunction } from '../../../protocol/host/FetchFunction.ts';
import { jsonExchange, refusal, type JsonRequest } from '../http/jsonExchange.ts';

/** What the claim route answered: a wake to dispatch, or a reason there is none to run here. */
export type ClaimAnswer =
  | { readonly kind: 'granted'; readonly wake: WakeNotification }
  /** 204: the subscription has nothing pending (a stale or replayed wake event). */
  | { readonly kind: 'nothing-pending' }
  /** 409 `ALREADY_CLAIMED`: another claim holds the subscription's lease. */
  | { readonly kind: 'held-elsewhere' };

/**
 * The agents server's routes (`protocol/agents/agentsRoutes.ts`) as the runner calls them, over the process's `fetch`.
 * Every refusal the caller cannot act on rejects with a `ServiceError`; a lost connection rejects as `fetch` does.
 */
export class AgentsClient {
  constructor(
    private readonly fetch: FetchFunction,
    /** The agents server's base URL, without a trailing slash. */
    private readonly baseUrl: string,
  ) {}

  async registerRunner(id: string, label: string): Promise<RunnerRecord> {
    const answer = await this.call({ method: 'POST', url: this.url(AGENTS_ROUTES.register()), body: { id, label } });
    if (answer.status !== 200) throw refusal(answer, 'runner registration');
    return answer.body as RunnerRecord;
  }

  async heartbeat(runnerId: string, wakeStreamOffset: string): Promise<void> {
    const answer = await this.call({ method: 'POST', url: this.url(AGENTS_ROUTES.heartbeat(runnerId)), body: { wake_stream_offset: wakeStreamOffset } });
    if (answer.status < 200 || answer.status >= 300) throw refusal(answer, 'heartbeat');
  }

  async claim(runnerId: string, subscriptionId: string, signal: AbortSignal): Promise<ClaimAnswer> {
    const answer = await this.call({ method: 'POST', url: this.url(AGENTS_ROUTES.claim(runnerId)), body: { subscription_id: subscriptionId }, signal });
    if (answer.status === 200) return { kind: 'granted', wake: answer.body as WakeNotification };
    if (answer.status === 204) return { kind: 'nothing-pending' };
    const refused = refusal(answer, 'claim');
    if (refused.code === 'ALREADY_CLAIMED') return { kind: 'held-elsewhere' };
    throw refused;
  }

  async done(wakeId: string, writeToken: string, request: DoneRequest): Promise<DoneResponse> {
    const answer = await this.call({ method: 'POST', url: this.url(AGENTS_ROUTES.done(wakeId)), body: request, bearerToken: writeToken });
    if (answer.status !== 200) throw refusal(answer, 'done');
    return answer.body as DoneResponse;
  }

  async manifest(entityId: string): Promise<readonly ManifestRow[]> {
    const answer = await this.call({ method: 'GET', url: this.url(AGENTS_ROUTES.manifest(entityId)) });
    if (answer.status !== 200) throw refusal(answer, 'manifest read');
    return (answer.body as ManifestResponse).rows;
  }

  async commitManifest(entityId: string, writeToken: string, rows: readonly ManifestRow[]): Promise<void> {
    const answer = await this.call({ method: 'POST', url: this.url(AGENTS_ROUTES.manifest(entityId)), body: { rows }, bearerToken: writeToken });
    if (answer.status < 200 || answer.status >= 300) throw refusal(answer, 'manifest commit');
  }

  /** Appends one state change to a shared-state stream, authorised by the wake's write token. */
  async writeSharedState(sharedId: string, writeToken: string, change: SharedStateWriteRequest): Promise<SharedStateWriteResponse> {
    const answer = await this.call({ method: 'POST', url: this.url(AGENTS_ROUTES.sharedStateRows(sharedId)), body: change, bearerToken: writeToken });
    if (answer.status !== 200) throw refusal(answer, 'shared-state write');
    return answer.body as SharedStateWriteResponse;
  }

  private call(request: JsonRequest) {
    return jsonExchange(this.fetch, request);
  }

  private url(path: string): string {
    return `${this.baseUrl}${path}`;
  }
}
