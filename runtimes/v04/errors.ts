/** An HTTP answer the runtime treats as a failure: status, the service's code, its message. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** One line describing an error for annotations: `TypeError: ...`, `HttpError 404 STREAM_NOT_FOUND: Stream not found`. */
export function describeError(error: unknown): string {
  if (error instanceof HttpStatusError) return `HttpError ${error.status} ${error.code}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Thrown into work that a stopping runner abandons. */
export class AbortedError extends Error {
  override name = 'AbortedError';
}
