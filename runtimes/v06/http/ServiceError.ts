/**
 * A refusal by a service: an HTTP answer the runtime cannot use. Carries the status and, for the agents server, the
 * error code of its `{ "error": { "code", "message" } }` body.
 */
export class ServiceError extends Error {
  override name = 'ServiceError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One line for annotations: `ServiceError 503 SERVICE_UNAVAILABLE: ...`, `TypeError: fetch failed`. */
export function errorLine(error: unknown): string {
  if (error instanceof ServiceError) return `${error.name} ${error.status} ${error.code}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
