import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './test/support/LongestFirstSequencer.ts';

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
    // One module graph per worker, not per file: importing the simulator anew for each of 150 files cost 90 s of the
    // suite's 17 CPU minutes (measured on 2026-12-01: 586 s against 496 s on two cores). No file relies on a fresh
    // module state; the hermetic globals are installed and restored around each run (sim/hermetic).
    isolate: false,
    // Longest files first, also in a clean clone without vitest's cache of durations (test/support/).
    sequence: { sequencer: LongestFirstSequencer },
  },
});
