import { describe, expect, it } from 'vitest';
import { parseShrinkAttempts } from '../../cli/options.ts';
import { UsageError } from '../../cli/UsageError.ts';
import { DEFAULT_MAX_SHRINK_ATTEMPTS } from '../../scenarios/explore.ts';

describe('explore --shrink-attempts', () => {
  it('defaults to the shrink budget and takes 0 (no shrinking) up to it', () => {
    expect(parseShrinkAttempts(undefined)).toBe(DEFAULT_MAX_SHRINK_ATTEMPTS);
    expect(parseShrinkAttempts('0')).toBe(0);
    expect(parseShrinkAttempts(String(DEFAULT_MAX_SHRINK_ATTEMPTS))).toBe(DEFAULT_MAX_SHRINK_ATTEMPTS);
  });

  it.each(['-1', 'many', '', String(DEFAULT_MAX_SHRINK_ATTEMPTS + 1)])('refuses %j as bad input', (text) => {
    expect(() => parseShrinkAttempts(text)).toThrow(UsageError);
  });
});
