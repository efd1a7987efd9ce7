import type { FetchFunction } from '../http/FetchFunction.ts';
import { fetchResponseFrom } from '../http/fetchResponseFrom.ts';
import { bodyText } from '../http/messageBody.ts';
import { simRequest, type SimRequest } from '../http/SimRequest.ts';
import { simRequestFromFetch } from '../http/simRequestFromFetch.ts';
import type { SimResponse } from '../http/SimResponse.ts';
import type { SimProcess } from '../process/SimProcess.ts';
import type { Network, SimService } from './Network.ts';

/** The services a host can reach, by origin (`http://agents.sim`). */
export type ServiceDirectory = ReadonlyMap<string, SimService>;

/** A request without WHATWG objects, as `protocol/host/DirectTransport.ts` describes it. */
export interface DirectExchange {
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal?: AbortSignal;
}

/** The answer to a {@link DirectExchange}: status, lower-case headers and the body as text. */
export interface DirectAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * One process's view of the simulated network: a `fetch`, and the same exchange without WHATWG objects. Both build the
 * same request for the service (method, URL, lower-case headers, body, the process as peer) and deliver it through the
 * same {@link Network} steps, so the services observe the same thing whichever a runtime uses. An origin no service
 * answers fails as a refused connection.
 */
export class HostNetwork {
  constructor(
    private readonly process: SimProcess,
    private readonly network: Network,
    private readonly services: ServiceDirectory,
  ) {}

  /**
   * A `fetch` on this process's network. A request whose body is text (or absent) leaves at once, in the caller's own
   * turn, as a direct exchange does: were it to wait for its body to be read, it could leave after a request made
   * later in the same step, and the two transports would make different runs of the same choices.
   */
  readonly fetch: FetchFunction = async (input, init) => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const body = init?.body;
    const sent =
      body === undefined || body === null || typeof body === 'string'
        ? this.send(textRequest(request, typeof body === 'string' ? body : undefined, this.process.name))
        : simRequestFromFetch(request, this.process.name).then((simulated) => this.send(simulated));
    return fetchResponseFrom(await sent);
  };

  readonly transport = async (exchange: DirectExchange): Promise<DirectAnswer> => {
    const request = simRequest({ method: exchange.method, url: exchange.url, headers: exchange.headers, body: exchange.body, signal: exchange.signal, peer: this.process.name });
    const answer = await this.send(request);
    return { status: answer.status, headers: answer.headers, body: bodyText(answer) };
  };

  private send(request: SimRequest): Promise<SimResponse> {
    const service = this.services.get(request.url.origin);
    if (!service) return Promise.reject(new TypeError('fetch failed', { cause: new Error(`connect ECONNREFUSED ${request.url.host}`) }));
    return this.network.exchange(this.process, service, request, `${request.method} ${request.url.pathname}`);
  }
}

const utf8 = new TextEncoder();

/** The request a WHATWG `Request` carries, built at once from its text body (what reading the body would give). */
function textRequest(request: Request, body: string | undefined, peer: string): SimRequest {
  const headers = new Map<string, string>();
  request.headers.forEach((value, name) => headers.set(name, value));
  return { method: request.method.toUpperCase(), url: new URL(request.url), headers, body: body === undefined ? undefined : utf8.encode(body), signal: request.signal, peer };
}
