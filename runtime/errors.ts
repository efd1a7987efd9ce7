import { HttpError } from '../world/network/HttpError.ts';

/** One line describing an error for traces: `TypeError: ...`, `HttpError 404 STREAM_NOT_FOUND: Stream not found`. */
export function describeError(error: unknown): string {
  if (error instanceof HttpError) return `HttpError ${error.status} ${error.code}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Thrown into work that a stopping runner abandons. */
export class AbortedError extends Error {
  override name = 'AbortedError';
}
