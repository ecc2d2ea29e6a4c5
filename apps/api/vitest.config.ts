import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file opens its own database; two cores do not gain from running many at once.
    fileParallelism: false,
  },
});
