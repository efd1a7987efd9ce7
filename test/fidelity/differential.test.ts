import { DurableStreamTestServer } from '@durable-streams/server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sequence, runCommand, SideMemory, Universe, type Command } from './commands.ts';
import { exactTranscript } from './exactTranscript.ts';
import { observe, type Observation } from './observe.ts';
import { facadeSide, referenceSide, type Side } from './sides.ts';

/**
 * Differential test of the simulated Durable Streams service's HTTP facade against the real reference server
 * (`@durable-streams/server`, in memory, on loopback): fast-check generates request sequences, both servers answer
 * them, and every answer must agree in status, headers and body once what each server mints on its own (tokens, wake
 * ids, timestamps, cursors) is masked. Offsets and ETags are compared verbatim. See docs/fidelity.md.
 */

/**
 * Long-poll timeout of both servers: real milliseconds for the reference, virtual ones for the facade. Long enough
 * that, on a loaded machine, the append of a "long-poll then append" still reaches the reference before its held
 * read times out; short enough that the reads that do time out keep the test fast.
 */
const LONG_POLL_TIMEOUT_MS = 250;
const SEQUENCES = Number(process.env.FIDELITY_SEQUENCES ?? 150);
const MAX_COMMANDS = Number(process.env.FIDELITY_MAX_COMMANDS ?? 24);

let server: DurableStreamTestServer;
let origin: string;
let sequenceNumber = 0;

beforeAll(async () => {
  // The reference logs each wake it cannot write (a subscription whose wake stream is missing): expected here.
  const warn = console.warn.bind(console);
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    if (!String(args[0]).startsWith('[warn] [subscriptions] wake stream does not exist')) warn(...args);
  });
  server = new DurableStreamTestServer({ port: 0, host: '127.0.0.1', longPollTimeout: LONG_POLL_TIMEOUT_MS });
  origin = await server.start();
});

afterAll(async () => {
  await server?.stop();
  vi.restoreAllMocks();
});

interface Step {
  readonly command: number;
  readonly label: string;
  readonly observation: Observation;
}

async function transcript(side: Side, commands: readonly Command[], universe: Universe): Promise<Step[]> {
  const memory = new SideMemory();
  const steps: Step[] = [];
  for (const [index, cmd] of commands.entries()) {
    for (const exchange of await runCommand(cmd, side, memory, universe)) {
      steps.push({ command: index, label: exchange.label, observation: observe(exchange.raw, side.origin) });
    }
  }
  return steps;
}

describe('the simulated Durable Streams HTTP facade', () => {
  it(`answers ${SEQUENCES} generated request sequences as the reference server does`, async () => {
    await fc.assert(
      fc.asyncProperty(sequence(MAX_COMMANDS), async (commands) => {
        // A fresh prefix per run: the reference server is shared, the facade is new each time.
        const universe = new Universe(`run${(sequenceNumber += 1)}`);
        const reference = await transcript(referenceSide(origin), commands, universe);
        const facade = await transcript(facadeSide(LONG_POLL_TIMEOUT_MS), commands, universe);
        for (const [index, expected] of reference.entries()) {
          const actual = facade[index];
          const context = `command #${expected.command} ${JSON.stringify(commands[expected.command])}, ${expected.label}`;
          expect(actual?.observation, context).toEqual(expected.observation);
        }
        expect(facade).toHaveLength(reference.length);
      }),
      {
        numRuns: SEQUENCES,
        // Replays a failure from the seed (and path) fast-check printed for it.
        ...(process.env.FIDELITY_SEED === undefined ? {} : { seed: Number(process.env.FIDELITY_SEED), path: process.env.FIDELITY_PATH }),
        endOnFailure: process.env.FIDELITY_SHRINK === undefined,
      },
    );
  });

  it('answers the same sequence identically twice (no hidden time or randomness)', async () => {
    const sample = fc.sample(sequence(MAX_COMMANDS), { numRuns: 30, seed: 4625 });
    for (const commands of sample) {
      const universe = new Universe('twice');
      const first = await exactTranscript(facadeSide(LONG_POLL_TIMEOUT_MS), commands, universe);
      const second = await exactTranscript(facadeSide(LONG_POLL_TIMEOUT_MS), commands, universe);
      expect(second).toEqual(first);
    }
  });
});
