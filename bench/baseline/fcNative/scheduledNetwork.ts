import type fc from 'fast-check';
import type { DirectRequest, DirectResponse, DirectTransport } from '../../../protocol/host/DirectTransport.ts';
import type { FakeAgentsServer } from './FakeAgentsServer.ts';
import type { FakeChat } from './FakeChat.ts';
import type { FakeAnswer, FakeStreams } from './FakeStreams.ts';

/** Where the fakes answer (any URLs would do: nothing leaves the process). */
export const FAKE_URLS = { durableStreams: 'http://streams.test', agentsServer: 'http://agents.test', chat: 'http://chat.test' } as const;

/** The fakes a request can reach. */
export interface FakeServices {
  readonly streams: FakeStreams;
  readonly agents: FakeAgentsServer;
  readonly chat: FakeChat;
}

/** Whether a host's process still runs: a process that exited reaches nobody. */
export interface ProcessState {
  alive: boolean;
}

/**
 * The network of one host process, with fast-check's scheduler deciding when things happen, after the docs' recipe
 * "scheduling a call to a mocked server": a request reaches its fake when `s` releases the task `→ METHOD path`, and its
 * answer reaches the runtime when `s` releases the task `← status METHOD path`. The answer task is scheduled only once
 * the fake has answered (a long-poll is held until an append or its timeout): fast-check's scheduler awaits the promise
 * of the task it picks, so scheduling a held answer would block every other task behind it. An aborted signal rejects
 * at once, as `fetch` does; a process that exited gets a `TypeError` (connection refused).
 */
export function scheduledTransport(s: fc.Scheduler, services: FakeServices, process: ProcessState): DirectTransport {
  return (request: DirectRequest) =>
    new Promise<DirectResponse>((resolve, reject) => {
      const url = new URL(request.url);
      const label = `${request.method} ${url.pathname}${url.search}`;
      const { signal } = request;
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = (): void => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      void s
        .schedule(Promise.resolve(`→ ${label}`), `→ ${label}`)
        .then(() => {
          if (!process.alive) throw new TypeError('fetch failed: the process has exited');
          if (signal?.aborted) throw signal.reason;
          return answer(services, request, url);
        })
        .then((answered) => s.schedule(Promise.resolve(answered), `← ${answered.status} ${label}`))
        .then((answered) => (process.alive ? resolve(answered) : reject(new TypeError('fetch failed: the process has exited'))), reject)
        .finally(() => signal?.removeEventListener('abort', onAbort));
    });
}

function answer(services: FakeServices, request: DirectRequest, url: URL): FakeAnswer | Promise<FakeAnswer> {
  const origin = url.origin;
  if (origin === FAKE_URLS.agentsServer) return services.agents.handle(request.method, url.pathname, request.headers ?? {}, request.body);
  if (origin === FAKE_URLS.chat) return services.chat.handle(request.method, url.pathname, request.body);
  if (origin === FAKE_URLS.durableStreams && request.method === 'GET' && url.pathname.startsWith('/v1/stream/')) {
    const stream = decodeURIComponent(url.pathname.slice('/v1/stream/'.length));
    return services.streams.read(stream, url.searchParams.get('offset') ?? '-1', url.searchParams.get('live') === 'long-poll');
  }
  return { status: 404, headers: {}, body: 'not found' };
}
