import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // examples/: the README's code blocks, run as they are printed (test/acceptance/readmeSnippets.test.ts).
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    // Acceptance suites run thousands of simulated runs; virtual time keeps them deterministic, not fast.
    testTimeout: 300_000,
    hookTimeout: 60_000,
    // Every core: the files are CPU-bound simulations, and vitest's default keeps one core for itself, which on a
    // two-core CI machine ran them one at a time (17.5 min against 11.4 min with two, measured on 2026-12-01).
    maxWorkers: availableParallelism(),
  },
});
