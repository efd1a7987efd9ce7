import { globMatch as referenceGlobMatch } from '@durable-streams/server';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { globMatch } from '../../world/durable-streams/globMatch.ts';
import { isoTimestamp } from '../../world/durable-streams/isoTimestamp.ts';

/** The facade's pure helpers against what they imitate: the reference's own export, and the platform's `Date`. */
describe('helpers of the simulated service', () => {
  const segment = fc.constantFrom('a', 'b', 'run1', '*', '**', '%2A', '%2a', '');
  const path = fc.array(segment, { maxLength: 5 }).map((parts) => parts.join('/'));
  const slashes = fc.tuple(fc.constantFrom('', '/', '//'), path, fc.constantFrom('', '/')).map(([lead, body, trail]) => `${lead}${body}${trail}`);

  test.prop([slashes, slashes], { numRuns: 2_000 })('globMatch agrees with the reference server', (pattern, name) => {
    expect(globMatch(pattern, name)).toBe(referenceGlobMatch(pattern, name));
  });

  test.prop([fc.integer({ min: 0, max: 8_000_000_000_000 })], { numRuns: 5_000 })('isoTimestamp agrees with Date.toISOString', (epochMs) => {
    expect(isoTimestamp(epochMs)).toBe(new Date(epochMs).toISOString());
  });
});
