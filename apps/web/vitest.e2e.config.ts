import { defineConfig } from 'vitest/config';

// Browser tests: start the API and the built web server, drive the system Chromium.
// The machine running them may have two cores: everything runs in one file, one after another.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 240_000,
  },
});
