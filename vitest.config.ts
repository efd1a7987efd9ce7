import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    // Acceptance suites run thousands of simulated runs; virtual time keeps them deterministic, not fast.
    testTimeout: 300_000,
    hookTimeout: 60_000,
  },
});
