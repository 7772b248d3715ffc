import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CDK synthesis and the browser test are slower than the rest; keep them bounded, not timed.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    allowOnly: false,
  },
});
