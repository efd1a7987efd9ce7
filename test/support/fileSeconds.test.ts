import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ESTIMATED_FILES } from './LongestFirstSequencer.ts';

describe('the committed test-file durations (test/support/fileSeconds.json)', () => {
  it('name only test files that exist', () => {
    expect(ESTIMATED_FILES.length).toBeGreaterThan(0);
    expect(ESTIMATED_FILES.filter((path) => !existsSync(path) || !/\.test\.ts$/.test(path))).toEqual([]);
  });
});
