/**
 * One HTTP exchange without WHATWG objects: the same method, URL, headers and body a `fetch` would carry, and the
 * same status, headers and body it would answer. Building `Request`, `Response` and `Headers` objects costs tens of
 * microseconds per exchange; a runtime written for the simulator may send its requests this way instead. The
 * simulated services receive both kinds identically, so what they observe does not depend on the transport
 * (a test compares the two on the same choices).
 */
export interface DirectRequest {
  /** Upper-case method, e.g. `GET`. */
  readonly method: string;
  /** Absolute URL: one of the host's base URLs plus a path and query. */
  readonly url: string;
  /** Header names in lower case. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The body as text (JSON bodies are sent as their text). */
  readonly body?: string;
  /** Aborting it drops the exchange, as an aborted `fetch` does: the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** The answer to a {@link DirectRequest}. */
export interface DirectResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text; empty for answers without one. */
  readonly body: string;
}

/**
 * Sends one request over the host's simulated network. Rejects as `fetch` rejects: when the connection fails (a
 * `TypeError`) or the signal aborts; every HTTP status, errors included, is an answer.
 */
export type DirectTransport = (request: DirectRequest) => Promise<DirectResponse>;
