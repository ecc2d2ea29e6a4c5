import type { Scale } from './scenario.ts';

export interface BenchArgs {
  names: string[];
  scale: Scale;
  seed: number;
  list: boolean;
  /** Folder for the JSON results; relative to the repository root. */
  out: string;
}

export class ArgsError extends Error {}

export const usage = `usage: pnpm bench [name ...] [--scale small|province] [--seed N] [--out DIR] [--list]
  name      a scenario (http.health) or a group (http); none = all
  --scale   small: ~1/1000 of the province, for CI smoke; province: 3.6 M citizens (default small)
  BENCH_DATABASE_URL=postgres://… benches real PostgreSQL instead of embedded PGlite`;

export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { names: [], scale: 'small', seed: 20250701, list: false, out: 'bench-results' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') ? (arg.split(/=(.*)/s, 2) as [string, string | undefined]) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new ArgsError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--')
      continue; // pnpm passes a lone "--" through on some paths
    else if (flag === '--scale') {
      const v = value();
      if (v !== 'small' && v !== 'province') throw new ArgsError(`--scale must be small or province, got "${v}"`);
      args.scale = v;
    } else if (flag === '--seed') {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) throw new ArgsError('--seed must be a whole number from 0 to 2147483647');
      args.seed = v;
    } else if (flag === '--out') args.out = value();
    else if (flag === '--list') args.list = true;
    else if (flag.startsWith('-')) throw new ArgsError(`unknown option ${flag}`);
    else args.names.push(flag);
  }
  return args;
}
