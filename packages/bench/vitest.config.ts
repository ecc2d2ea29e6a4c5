import { defineConfig } from 'vitest/config';

// The smoke test starts servers and databases; two cores do not gain from running files at once.
export default defineConfig({ test: { testTimeout: 180_000, hookTimeout: 60_000, fileParallelism: false } });
