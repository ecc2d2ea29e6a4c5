/** What a scenario is and what it gets; scenarios live in src/scenarios/, one file per area. */

export type Scale = 'small' | 'province';

export interface BenchContext {
  scale: Scale;
  /** A PostgreSQL server to bench against (BENCH_DATABASE_URL); absent means embedded PGlite. */
  databaseUrl: string | undefined;
  /** Seed of the synthetic province, so two runs measure the same data. */
  seed: number;
  log(message: string): void;
}

/** One side of a comparison: each call runs one round and answers its measurement in the scenario's unit. */
export interface Side {
  label: string;
  run(): Promise<number>;
}

/** A prepared comparison: the reference and the subjects measured against it in the same run. */
export interface Trial {
  reference: Side;
  subjects: Side[];
  /** Figures that are context rather than a ratio (row counts, RSS growth), read after the rounds. */
  notes?(): Record<string, number | string>;
  close(): Promise<void>;
}

export interface Scenario {
  /** Dotted, stable: `http.catalog`; `pnpm bench http` runs every name under `http.`. */
  name: string;
  title: string;
  unit: string;
  better: 'higher' | 'lower';
  /** Rounds per side after warm-up; scenarios that are slow per round ask for fewer. */
  rounds?: Partial<Record<Scale, number>>;
  warmup?: number;
  setup(ctx: BenchContext): Promise<Trial>;
}
