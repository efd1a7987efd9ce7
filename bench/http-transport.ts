/**
 * Microseconds per request to the simulated Durable Streams service over its two transports, in one process: plain
 * `SimRequest`s to `StreamsHttpFacade.serve` (what our runtime will use) against WHATWG `fetch` through
 * `StreamsHttpFacade.fetch` (what `@durable-streams/client` and foreign runtimes use). Both reach the same server
 * code, so the difference is the cost of `Request`, `Response`, `Headers` and body streams. Each caller reads the
 * whole answer, body included, as a client would.
 *
 * Rows: a catch-up read of a stream of ten messages; an append; a long-poll held at the tail and woken by an append
 * (two requests, timed as one pair). Rounds alternate the transports and the median round is reported.
 *
 * Usage: npm run bench:http [-- --requests N --rounds R]   (default 20000 requests per round, 5 rounds, a warm-up round)
 */
import { RecordedChoiceSource } from '../sim/choice/RecordedChoiceSource.ts';
import { Scheduler } from '../sim/scheduler/Scheduler.ts';
import { Trace } from '../sim/trace/Trace.ts';
import { DurableStreamsService } from '../world/durable-streams/DurableStreamsService.ts';
import { StreamsHttpFacade } from '../world/durable-streams/http/StreamsHttpFacade.ts';
import { schedulerClock } from '../world/durable-streams/VirtualClock.ts';
import { bodyText } from '../world/http/messageBody.ts';
import { simRequest } from '../world/http/SimRequest.ts';
import { parseBenchArgs, wholeNumberArg } from './benchArgs.ts';

const USAGE = `Usage: npm run bench:http [-- --requests N --rounds R]   (default 20000 requests per round, 5 rounds, a warm-up round)`;
const values = parseBenchArgs(USAGE, { options: { requests: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '5' } } });
const requestsPerRound = wholeNumberArg('requests', values.requests);
const rounds = wholeNumberArg('rounds', values.rounds);

const ORIGIN = 'http://durable-streams.sim';
const JSON_HEADERS = { 'content-type': 'application/json' };
const READ_MESSAGES = 10;
const PEER = 'bench';
const MAX_TURNS_TO_HOLD = 100;
const LIVE_STREAMS = 4_096;

/** What one request (or pair) is answered with, whichever way it went: enough to check it worked. */
interface Answer {
  readonly status: number;
  readonly nextOffset: string | undefined;
  readonly text: string;
}

/** One way to send a request to the facade, reading the whole answer. */
type Send = (method: string, path: string, headers?: Record<string, string>, body?: string) => Promise<Answer>;

function service() {
  const choices = new RecordedChoiceSource([]);
  const scheduler = new Scheduler(choices);
  const streams = new DurableStreamsService({ scheduler, choices, trace: new Trace(scheduler) });
  const facade = new StreamsHttpFacade({ streams, clock: schedulerClock(scheduler) });
  const plain: Send = async (method, path, headers, body) => {
    const answer = await facade.serve(simRequest({ method, url: ORIGIN + path, headers, body, peer: PEER }));
    return { status: answer.status, nextOffset: answer.headers['stream-next-offset'], text: bodyText(answer) };
  };
  const overFetch: Send = async (method, path, headers, body) => {
    const answer = await facade.fetch(ORIGIN + path, { method, headers, body });
    return { status: answer.status, nextOffset: answer.headers.get('stream-next-offset') ?? undefined, text: await answer.text() };
  };
  return { scheduler, streams, plain, overFetch };
}

/** A workload: prepares its streams once per transport, then `run` makes one timed request (or pair). */
interface Workload {
  readonly name: string;
  prepare(send: Send, setup: ReturnType<typeof service>): Promise<() => Promise<void>>;
}

function expectStatus(answer: Answer, status: number, what: string): void {
  if (answer.status !== status) throw new Error(`${what} answered ${answer.status}, not ${status}: ${answer.text}`);
}

const workloads: readonly Workload[] = [
  {
    name: `catch-up read (${READ_MESSAGES} messages)`,
    prepare: async (send) => {
      await send('PUT', '/bench/read', JSON_HEADERS);
      for (let n = 0; n < READ_MESSAGES; n += 1) await send('POST', '/bench/read', JSON_HEADERS, JSON.stringify([{ n, text: 'a digest line' }]));
      return async () => expectStatus(await send('GET', '/bench/read?offset=-1'), 200, 'read');
    },
  },
  {
    name: 'append',
    prepare: async (send) => {
      await send('PUT', '/bench/append', JSON_HEADERS);
      return async () => expectStatus(await send('POST', '/bench/append', JSON_HEADERS, '[{"n":1}]'), 204, 'append');
    },
  },
  {
    name: 'held long-poll + waking append (per pair)',
    prepare: async (send, { scheduler }) => {
      // Pairs take turns over many streams: a read scans its stream's messages, and one stream growing by a message
      // a pair would time that scan, not the transport.
      const tails: string[] = [];
      for (let index = 0; index < LIVE_STREAMS; index += 1) tails.push((await send('PUT', `/bench/live/${index}`, JSON_HEADERS)).nextOffset!);
      let pairs = 0;
      return async () => {
        const index = pairs++ % LIVE_STREAMS;
        const path = `/bench/live/${index}`;
        const live = send('GET', `${path}?offset=${tails[index]}&live=long-poll`);
        // Held once its timeout is on the clock: a few microtask turns on either transport.
        for (let turns = 0; scheduler.pendingCount === 0; turns += 1) {
          if (turns === MAX_TURNS_TO_HOLD) throw new Error('the long-poll was never held');
          await Promise.resolve();
        }
        expectStatus(await send('POST', path, JSON_HEADERS, '[{"n":1}]'), 204, 'waking append');
        const answer = await live;
        expectStatus(answer, 200, 'held long-poll');
        tails[index] = answer.nextOffset!;
        if (scheduler.pendingCount !== 0) throw new Error('the woken long-poll left its timeout behind');
      };
    },
  },
];

/** Microseconds per request (or pair) over `count` requests. */
async function time(run: () => Promise<void>, count: number): Promise<number> {
  const startedMs = performance.now();
  for (let index = 0; index < count; index += 1) await run();
  return ((performance.now() - startedMs) * 1000) / count;
}

const median = (samples: readonly number[]): number => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;

interface Row {
  readonly name: string;
  readonly plainMicros: number;
  readonly fetchMicros: number;
}

const rows: Row[] = [];
for (const workload of workloads) {
  // Fresh services per workload, one per transport, so that neither reads a stream the other grew.
  const plainService = service();
  const fetchService = service();
  const plainRun = await workload.prepare(plainService.plain, plainService);
  const fetchRun = await workload.prepare(fetchService.overFetch, fetchService);
  await time(plainRun, requestsPerRound);
  await time(fetchRun, requestsPerRound);
  const plainSamples: number[] = [];
  const fetchSamples: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    plainSamples.push(await time(plainRun, requestsPerRound));
    fetchSamples.push(await time(fetchRun, requestsPerRound));
  }
  rows.push({ name: workload.name, plainMicros: median(plainSamples), fetchMicros: median(fetchSamples) });
}

console.log(`simulated Durable Streams over HTTP, ${requestsPerRound} requests per round, median of ${rounds} rounds (node ${process.version})`);
console.log(`${'request'.padEnd(44)} ${'serve µs'.padStart(9)} ${'fetch µs'.padStart(9)} ${'fetch/serve'.padStart(12)}`);
for (const row of rows) {
  console.log(`${row.name.padEnd(44)} ${row.plainMicros.toFixed(1).padStart(9)} ${row.fetchMicros.toFixed(1).padStart(9)} ${(row.fetchMicros / row.plainMicros).toFixed(1).padStart(11)}x`);
}
