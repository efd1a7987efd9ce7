/** An HTTP answer of a simulated service. Plain data; {@link fetchResponseFrom} makes a WHATWG `Response` of it. */
export interface SimResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Text is UTF-8 on the wire; null for no body at all (as a 204 or 304 must have). */
  readonly body: Uint8Array | string | null;
}
