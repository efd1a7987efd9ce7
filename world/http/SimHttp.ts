/** An HTTP request as a simulated service receives it. */
export interface SimRequest {
  /** Upper-case method. */
  readonly method: string;
  /** Absolute; the origin names the service. */
  readonly url: URL;
  /** Header names in lower case. */
  readonly headers: SimHeaders;
  readonly body: Uint8Array | undefined;
  /** Aborts a held request (a dropped connection). */
  readonly signal: AbortSignal | undefined;
  /** Who sent it: a process name like `host#2`, or a service. */
  readonly peer: string;
}

/** Request headers by lower-case name. */
export type SimHeaders = ReadonlyMap<string, string>;

/** An HTTP answer of a simulated service. */
export interface SimResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array | string | null;
}

/** The signature of `fetch`. */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
