import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Multipart tests move 5 MiB parts through s3rver; give them room on slow machines.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
