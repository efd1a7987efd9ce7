import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Seconds each slow test file took, as measured and committed (`fileSeconds.json`); files not listed count as 0. */
const ESTIMATED_SECONDS: Readonly<Record<string, number>> = (
  JSON.parse(readFileSync(new URL('./fileSeconds.json', import.meta.url), 'utf8')) as { seconds: Record<string, number> }
).seconds;

/**
 * Runs the longest test files first, so that two workers end together instead of one finishing a long file alone.
 * Vitest orders files by their last durations when its cache has them (node_modules/.vite), but a clean clone, as CI
 * runs, has none and vitest falls back to file size, which put short files first and left a one-minute file for the
 * end: the suite took 559 s there against 498 s with the cache (measured on 2026-12-02, two cores). Here a file's
 * expected time is its cached duration when vitest has one (a file that failed last time goes first), else its
 * committed estimate. The order changes only how the files are packed onto workers, never what they check.
 */
export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const expectedMs = (spec: TestSpecification): number => {
      const path = relative(root, spec.moduleId).split('\\').join('/');
      const cached = this.ctx.cache.getFileTestResults(`${spec.project.name}:${path}`);
      if (cached) return cached.failed ? Number.POSITIVE_INFINITY : cached.duration;
      return (ESTIMATED_SECONDS[path] ?? 0) * 1000;
    };
    const expected = new Map(files.map((spec) => [spec, expectedMs(spec)]));
    return [...files].sort((a, b) => expected.get(b)! - expected.get(a)!);
  }
}

/** The files the estimates name, for a test that keeps the list in step with the suite. */
export const ESTIMATED_FILES: readonly string[] = Object.keys(ESTIMATED_SECONDS);
