import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // examples/: the README's code blocks, run as they are printed (test/acceptance/readmeSnippets.test.ts).
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    // Acceptance suites run thousands of simulated runs; virtual time keeps them deterministic, not fast.
    testTimeout: 300_000,
    hookTimeout: 60_000,
  },
});
