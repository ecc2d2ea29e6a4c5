import { defineConfig } from 'vitest/config';

// `pnpm --filter @hts/bench smoke`: the whole suite at small scale, as CI runs it. Kept out of `pnpm test`
// (its files end in .smoke.ts) so everyday test runs stay quick.
export default defineConfig({ test: { include: ['src/**/*.smoke.ts'], testTimeout: 1_200_000, fileParallelism: false } });
