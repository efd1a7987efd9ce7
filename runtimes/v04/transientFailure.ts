import { HttpStatusError } from './errors.ts';

/** A failure worth retrying: the server or its backend unavailable (5xx, 429), or the connection dropped. */
export function isTransient(error: unknown): boolean {
  if (error instanceof HttpStatusError) return error.status >= 500 || error.status === 429;
  return error instanceof TypeError;
}
