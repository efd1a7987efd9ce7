import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sequence, Universe } from './commands.ts';
import { exactTranscript } from './exactTranscript.ts';
import { facadeSide } from './sides.ts';

/**
 * The facade's two ways in answer alike: the plain transport (`serve`, `SimRequest`s) and WHATWG `fetch` (`handle`)
 * get the same status, headers and body, tokens and virtual times included, for every request of the differential
 * test's generated sequences; aborted long-polls reject alike. Since `handle` is what the differential test compares
 * with the reference server, `serve` answers as the reference does too.
 */

const LONG_POLL_TIMEOUT_MS = 250;
const SEQUENCES = Number(process.env.FIDELITY_SEQUENCES ?? 300);
const MAX_COMMANDS = Number(process.env.FIDELITY_MAX_COMMANDS ?? 24);

describe('the facade over its two transports', () => {
  it(`answers ${SEQUENCES} generated request sequences alike through serve and through handle`, async () => {
    await fc.assert(
      fc.asyncProperty(sequence(MAX_COMMANDS), async (commands) => {
        const universe = new Universe('transports');
        const overFetch = await exactTranscript(facadeSide(LONG_POLL_TIMEOUT_MS, 'fetch'), commands, universe);
        const plain = await exactTranscript(facadeSide(LONG_POLL_TIMEOUT_MS, 'plain'), commands, universe);
        expect(plain).toEqual(overFetch);
      }),
      { numRuns: SEQUENCES, ...(process.env.FIDELITY_SEED === undefined ? {} : { seed: Number(process.env.FIDELITY_SEED), path: process.env.FIDELITY_PATH }) },
    );
  });
});
