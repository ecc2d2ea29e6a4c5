import type { Scale } from '../scenario.ts';

/** How hard one HTTP round pushes: short at small scale (CI smoke), longer at province scale (figures). */
export const httpRound: Record<Scale, { seconds: number; maxRequests: number; connections: number }> = {
  small: { seconds: 0.5, maxRequests: 50_000, connections: 10 },
  province: { seconds: 3, maxRequests: 1_000_000, connections: 10 },
};
