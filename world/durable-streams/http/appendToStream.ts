import { bodyBytes } from '../../http/messageBody.ts';
import type { SimHeaders, SimRequest } from '../../http/SimRequest.ts';
import type { SimResponse } from '../../http/SimResponse.ts';
import type { AppendOutcome, CloseOutcome } from '../DurableStreamsService.ts';
import type { ProducerClaim } from '../producers.ts';
import {
  CLOSED,
  NEXT_OFFSET,
  PRODUCER_EPOCH,
  PRODUCER_EXPECTED_SEQ,
  PRODUCER_ID,
  PRODUCER_RECEIVED_SEQ,
  PRODUCER_SEQ,
  SEQ,
} from './protocolHeaders.ts';
import { emptyResponse, textResponse } from './responses.ts';
import type { StreamsHttpContext } from './StreamsHttpContext.ts';

const TRUE = 'true';
const STRICT_INTEGER = /^\d+$/;

/**
 * POST: an append (204 with the new tail; 200 when a producer wrote it), an append that also closes the stream
 * (`Stream-Closed: true` with a body), or a close (`Stream-Closed: true` without one). Requests are checked in the
 * reference's order (producer headers, empty body, media type, then the stream's own checks), because that order
 * decides which error a faulty request gets.
 */
export function appendToStream(context: StreamsHttpContext, path: string, request: SimRequest): SimResponse {
  const headers = request.headers;
  const contentType = headers.get('content-type');
  const seq = headers.get(SEQ);
  const close = headers.get(CLOSED) === TRUE;
  const producer = producerOf(headers);
  if (producer && 'status' in producer) return producer;
  const body = bodyBytes(request);

  if (body.length === 0 && close) return closeAnswer(context.streams.closeStream(path, producer), producer);
  if (body.length === 0) return textResponse(400, 'Empty body');
  if (!contentType) return textResponse(400, 'Content-Type header is required');
  return appendAnswer(context.streams.appendBody(path, body, { contentType, seq, producer, close }), producer);
}

/** The producer headers: all three or none, a non-empty id, integer epoch and seq; or the 400 that says which. */
function producerOf(headers: SimHeaders): ProducerClaim | undefined | SimResponse {
  const id = headers.get(PRODUCER_ID);
  const epoch = headers.get(PRODUCER_EPOCH);
  const seq = headers.get(PRODUCER_SEQ);
  if (id === undefined && epoch === undefined && seq === undefined) return undefined;
  if (id === undefined || epoch === undefined || seq === undefined) {
    return textResponse(400, 'All producer headers (Producer-Id, Producer-Epoch, Producer-Seq) must be provided together');
  }
  if (id === '') return textResponse(400, 'Invalid Producer-Id: must not be empty');
  const epochNumber = Number(epoch);
  if (!STRICT_INTEGER.test(epoch) || !Number.isSafeInteger(epochNumber)) {
    return textResponse(400, 'Invalid Producer-Epoch: must be a non-negative integer');
  }
  const seqNumber = Number(seq);
  if (!STRICT_INTEGER.test(seq) || !Number.isSafeInteger(seqNumber)) {
    return textResponse(400, 'Invalid Producer-Seq: must be a non-negative integer');
  }
  return { id, epoch: epochNumber, seq: seqNumber };
}

function appendAnswer(outcome: AppendOutcome, producer: ProducerClaim | undefined): SimResponse {
  switch (outcome.kind) {
    case 'appended':
      // A producer's append is answered 200 with its epoch and seq echoed, a plain one 204.
      return emptyResponse(producer ? 200 : 204, {
        [NEXT_OFFSET]: outcome.offset,
        [PRODUCER_EPOCH]: producer && String(producer.epoch),
        [PRODUCER_SEQ]: producer && String(producer.seq),
        [CLOSED]: outcome.closed ? TRUE : undefined,
      });
    case 'stream-closed':
      if (producer && outcome.duplicateSeq !== undefined) {
        return emptyResponse(204, {
          [NEXT_OFFSET]: outcome.tailOffset,
          [CLOSED]: TRUE,
          [PRODUCER_EPOCH]: String(producer.epoch),
          [PRODUCER_SEQ]: String(outcome.duplicateSeq),
        });
      }
      return textResponse(409, 'Stream is closed', { [CLOSED]: TRUE, [NEXT_OFFSET]: outcome.tailOffset });
    case 'producer-refused':
      return producerRefusal(outcome.verdict, producer!);
  }
}

function closeAnswer(outcome: CloseOutcome, producer: ProducerClaim | undefined): SimResponse {
  switch (outcome.kind) {
    case 'closed':
      return emptyResponse(204, {
        [NEXT_OFFSET]: outcome.finalOffset,
        [CLOSED]: TRUE,
        [PRODUCER_EPOCH]: producer && String(producer.epoch),
        [PRODUCER_SEQ]: producer && String(producer.seq),
      });
    case 'duplicate':
      // The reference reports the stream closed on any duplicate close, even when the duplicate was of an append.
      return emptyResponse(204, {
        [NEXT_OFFSET]: outcome.finalOffset,
        [CLOSED]: TRUE,
        [PRODUCER_EPOCH]: String(producer!.epoch),
        [PRODUCER_SEQ]: String(outcome.lastSeq),
      });
    case 'conflict':
      return textResponse(409, 'Stream is closed', { [CLOSED]: TRUE, [NEXT_OFFSET]: outcome.finalOffset });
    case 'producer-refused':
      return producerRefusal(outcome.verdict, producer!);
  }
}

function producerRefusal(
  verdict: Extract<AppendOutcome, { kind: 'producer-refused' }>['verdict'],
  producer: ProducerClaim,
): SimResponse {
  switch (verdict.status) {
    case 'duplicate':
      // A retried batch: success without storing it again, and without an offset.
      return emptyResponse(204, { [PRODUCER_EPOCH]: String(producer.epoch), [PRODUCER_SEQ]: String(verdict.lastSeq) });
    case 'stale_epoch':
      return textResponse(403, 'Stale producer epoch', { [PRODUCER_EPOCH]: String(verdict.currentEpoch) });
    case 'invalid_epoch_seq':
      return textResponse(400, 'New epoch must start with sequence 0');
    case 'sequence_gap':
      return textResponse(409, 'Producer sequence gap', {
        [PRODUCER_EXPECTED_SEQ]: String(verdict.expectedSeq),
        [PRODUCER_RECEIVED_SEQ]: String(verdict.receivedSeq),
      });
  }
}
