import { describe, expect, it } from 'vitest';
import { streamPath } from '../../../protocol/streams/streamsProtocol.ts';
import { TRANSPORTS } from '../../../runtimes/v04/config.ts';
import { HttpStatusError } from '../../../runtimes/v04/errors.ts';
import { formatOffset } from '../../../world/durable-streams/offsets.ts';
import { track } from '../../world/simHelpers.ts';
import { FakeHost, emptyAnswer, jsonAnswer, streamAnswer, textAnswer, type Responder } from './fakeHost.ts';
import { streamsServiceHost } from './streamsServiceHost.ts';

const INBOX = 'entities/e1/inbox';
const INBOX_PATH = streamPath(INBOX);
const O42 = formatOffset(42);
const LONG_POLL_TIMEOUT_MS = 20_000;

describe.each(TRANSPORTS)('StreamsApi.read over %s', (transport) => {
  function streamsAnswering(respond: Responder) {
    const host = new FakeHost({ config: { transport } }).on('GET', INBOX_PATH, respond);
    return { host, streams: host.environment().streams };
  }

  it('reads from the beginning by default: the items, and the next offset and up-to-date of the answer', async () => {
    const { host, streams } = streamsAnswering(() => streamAnswer(['a', { n: 2 }], O42));
    expect(await streams.read(INBOX)).toEqual({ items: ['a', { n: 2 }], nextOffset: O42, upToDate: true });
    expect(host.sent()).toEqual([`GET ${INBOX_PATH}?offset=-1`]);
  });

  it('asks for a long-poll from the offset given, and reads `stream-up-to-date` absent as not up to date', async () => {
    const { host, streams } = streamsAnswering(() => jsonAnswer(200, ['b'], { 'stream-next-offset': O42 }));
    expect(await streams.read(INBOX, formatOffset(7), { live: true })).toEqual({ items: ['b'], nextOffset: O42, upToDate: false });
    expect(host.sent()).toEqual([`GET ${INBOX_PATH}?offset=${formatOffset(7)}&live=long-poll`]);
  });

  it('maps a 204 (the long-poll timed out) to no items at the offset the answer names, up to date', async () => {
    const { streams } = streamsAnswering(() => emptyAnswer(204, { 'stream-next-offset': O42, 'stream-up-to-date': 'true' }));
    // Asked from `now`, the answer is the first to name the tail.
    expect(await streams.read(INBOX, 'now', { live: true })).toEqual({ items: [], nextOffset: O42, upToDate: true });
  });

  it('rejects a 404 as STREAM_NOT_FOUND, with the service\'s sentence', async () => {
    const { streams } = streamsAnswering(() => textAnswer(404, 'Stream not found'));
    const error = await streams.read(INBOX).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({ status: 404, code: 'STREAM_NOT_FOUND', message: 'Stream not found' });
  });

  it('rejects any other refusal as STREAM_READ_FAILED with what the service said', async () => {
    const { streams } = streamsAnswering(() => textAnswer(400, 'Invalid offset format'));
    await expect(streams.read(INBOX, 'x')).rejects.toMatchObject({ status: 400, code: 'STREAM_READ_FAILED', message: 'Invalid offset format' });
  });
});

describe('StreamsApi.read against the simulated Durable Streams service', () => {
  it('a long-poll at the tail times out after the poll timeout with no items at the same offset; a missing stream is a 404', async () => {
    const { host, streams, time } = streamsServiceHost(LONG_POLL_TIMEOUT_MS);
    streams.create(INBOX_PATH);
    const tail = streams.append(INBOX_PATH, 'hello');
    const api = host.environment().streams;
    await time.run(async () => {
      expect(await api.read(INBOX)).toEqual({ items: ['hello'], nextOffset: tail, upToDate: true });
      const poll = track(api.read(INBOX, tail, { live: true }));
      await time.advanceTo(LONG_POLL_TIMEOUT_MS - 1);
      expect(poll.settled).toBe(false);
      await time.advanceTo(LONG_POLL_TIMEOUT_MS);
      expect(poll).toEqual({ settled: true, value: { items: [], nextOffset: tail, upToDate: true } });
      await expect(api.read('entities/nobody/inbox')).rejects.toMatchObject({ status: 404, code: 'STREAM_NOT_FOUND', message: 'Stream not found' });
    });
  });
});
