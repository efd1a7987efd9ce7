import type { AnnotationValue, HostContext } from '../../protocol/host/HostContext.ts';
import { AgentsApi } from './clients/AgentsApi.ts';
import { HttpClient } from './clients/HttpClient.ts';
import { StreamsApi } from './clients/StreamsApi.ts';
import { v04Config, type V04Config } from './config.ts';
import { withRequestDeadline } from './clients/requestDeadline.ts';
import { RUNTIME_TIMING } from './timing.ts';

/** What every part of the v0.4 runtime works with inside one host process. */
export interface V04Environment {
  readonly host: HostContext;
  readonly config: V04Config;
  readonly agents: AgentsApi;
  readonly streams: StreamsApi;
  /** Records an annotation of the runtime about itself (the host's `annotate`). */
  annotate(kind: string, detail?: { readonly [key: string]: AnnotationValue }): void;
}

/** The environment of one host process, its clients on the transport the `transport` switch chooses. */
export function createV04Environment(processHost: HostContext): V04Environment {
  const config = v04Config(processHost.config);
  const host = config.requestTimeout === 'abort' ? withRequestDeadline(processHost, RUNTIME_TIMING.requestDeadlineMs) : processHost;
  const http = new HttpClient(host, config.transport);
  return {
    host,
    config,
    agents: new AgentsApi(http, host.urls.agentsServer),
    streams: new StreamsApi(http, host.urls.durableStreams),
    annotate: (kind, detail) => host.annotate(kind, detail),
  };
}
