/** An HTTP-style failure answered by a simulated service: status, a machine-readable code, the body text. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const streamNotFound = (): HttpError => new HttpError(404, 'STREAM_NOT_FOUND', 'Stream not found');
export const serviceUnavailable = (service: string): HttpError =>
  new HttpError(503, 'SERVICE_UNAVAILABLE', `${service} is unavailable`);
