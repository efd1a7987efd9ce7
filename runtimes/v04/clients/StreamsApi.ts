import { BEGINNING_OFFSET, LIVE_PARAM, LONG_POLL, NEXT_OFFSET_HEADER, OFFSET_PARAM, UP_TO_DATE_HEADER, streamPath } from '../../../protocol/streams/streamsProtocol.ts';
import { HttpStatusError } from '../errors.ts';
import { answerError, type HttpClient } from './HttpClient.ts';

/** The answer to a read: the items in order, and the offset to read from next. */
export interface StreamRead {
  readonly items: readonly unknown[];
  readonly nextOffset: string;
  readonly upToDate: boolean;
}

/**
 * Reads of JSON streams of the Durable Streams service, as the protocol defines them: a catch-up read answers every
 * message after the offset; a long-poll by a caught-up reader is held until data arrives or the server's poll
 * timeout passes (204). One offset per answer: the items of a batch carry no offsets of their own.
 */
export class StreamsApi {
  constructor(
    private readonly http: HttpClient,
    private readonly baseUrl: string,
  ) {}

  /**
   * `headers` go with the request (a shared-state read carries the wake's token as `authorization`).
   * @throws HttpStatusError for a refusal (404 `STREAM_NOT_FOUND` for a missing stream).
   */
  async read(
    stream: string,
    offset: string = BEGINNING_OFFSET,
    options: { readonly live?: boolean; readonly signal?: AbortSignal; readonly headers?: Readonly<Record<string, string>> } = {},
  ): Promise<StreamRead> {
    const live = options.live ? `&${LIVE_PARAM}=${LONG_POLL}` : '';
    const url = `${this.baseUrl}${streamPath(stream)}?${OFFSET_PARAM}=${encodeURIComponent(offset)}${live}`;
    const answer = await this.http.request('GET', url, { ...(options.signal ? { signal: options.signal } : {}), ...(options.headers ? { headers: options.headers } : {}) });
    const nextOffset = answer.headers[NEXT_OFFSET_HEADER] ?? offset;
    if (answer.status === 204) return { items: [], nextOffset, upToDate: true };
    if (answer.status === 404) throw new HttpStatusError(404, 'STREAM_NOT_FOUND', answer.text || 'Stream not found');
    if (answer.status !== 200) throw answerError(answer, 'STREAM_READ_FAILED');
    const items = JSON.parse(answer.text) as unknown;
    return { items: Array.isArray(items) ? items : [], nextOffset, upToDate: answer.headers[UP_TO_DATE_HEADER] === 'true' };
  }
}
