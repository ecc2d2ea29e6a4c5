import type { Content } from '@hts/content';
import { type Db, queryRows } from '@hts/db';
import { hash } from '@node-rs/argon2';
import { sql } from 'drizzle-orm';
import type { Scale } from '../scenario.ts';
import { type ProvincePlan, planProvince } from './population.ts';
import type { GeneratorContext, GeneratorStep } from './step.ts';
import { citizensStep } from './steps/citizens.ts';
import { coursesStep } from './steps/courses.ts';
import { credentialsStep } from './steps/credentials.ts';
import { evidenceStatementsStep, evidenceStep } from './steps/evidence.ts';
import { geographyStep } from './steps/geography.ts';
import { collectivesStep, registryPeopleStep } from './steps/registry.ts';
import { signInsStep } from './steps/sign-ins.ts';
import { staffStep } from './steps/staff.ts';
import { titlesStep } from './steps/titles.ts';

/** The foundation's tables. Capability issues append their steps (households, enrolments, statements…). */
export const foundationSteps: GeneratorStep[] = [geographyStep, citizensStep, staffStep, signInsStep, coursesStep];

/** The programme's registry (issue 7): collectives, registry people with memberships, titles and confirmations. */
export const registrySteps: GeneratorStep[] = [collectivesStep, registryPeopleStep, titlesStep];

/**
 * What the indicator scenarios need: accounts (citizens and the officers who read dashboards), the registry, and
 * the learning evidence (issue 8: enrolments, completions, statements) in the catalog's courses, which the
 * "trained" indicators count, with the credentials and evidence chain the platform makes of that history
 * (after the titles, which the chain records too); without the foundation's sign-in history, which no
 * indicator reads.
 */
export const indicatorSteps: GeneratorStep[] = [
  geographyStep,
  citizensStep,
  staffStep,
  coursesStep,
  ...registrySteps,
  evidenceStep,
  evidenceStatementsStep,
  credentialsStep,
];

/** Every step, each after those it reads: the foundation with its sign-in history and the indicator province. */
export const allSteps: GeneratorStep[] = [
  geographyStep,
  citizensStep,
  staffStep,
  signInsStep,
  coursesStep,
  ...registrySteps,
  evidenceStep,
  evidenceStatementsStep,
  credentialsStep,
];

/** The password of every synthetic account (never a real one: bench databases are scratch databases). */
export const SYNTHETIC_PASSWORD = 'bench-mat-khau-2025';

export interface GenerateOptions {
  content: Content;
  seed: number;
  scale: Scale;
  steps?: GeneratorStep[];
  passwordHash?: string;
  log?: (message: string) => void;
  /**
   * Adds the given steps to a province an earlier generation made (with the same seed and scale) instead of
   * filling an empty database: a kept province made before a step existed gets that step's rows.
   */
  continuing?: boolean;
}

export interface GenerationReport {
  plan: ProvincePlan;
  rows: Record<string, number>;
  steps: Array<{ name: string; ms: number; rows: Record<string, number> }>;
  ms: number;
}

/** Fills an empty, migrated database with a synthetic province; the same seed and scale give the same rows. */
export async function generateProvince(db: Db, options: GenerateOptions): Promise<GenerationReport> {
  const started = performance.now();
  const [existing] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from users where phone like '+849%'`);
  const populated = (existing?.n ?? 0) > 0;
  if (populated && !options.continuing) throw new Error('this database already holds synthetic citizens: generate into a fresh one');
  if (!populated && options.continuing) throw new Error('there is no synthetic province here to continue: generate it whole');
  const ctx: GeneratorContext = {
    db,
    content: options.content,
    plan: planProvince(options.content, options.seed, options.scale),
    seed: options.seed,
    passwordHash: options.passwordHash ?? (await hash(SYNTHETIC_PASSWORD)),
    exec: async (statement) => {
      // The planner cannot see how many rows a lateral generate_series yields, guesses 1,000 per call and
      // JIT-compiles the draw expressions for seconds per statement; the generator's own arithmetic is cheap.
      await db.transaction(async (tx) => {
        await tx.execute(sql`set local jit = off`);
        await tx.execute(sql.raw(statement));
      });
    },
    log: options.log ?? (() => {}),
  };
  const report: GenerationReport = { plan: ctx.plan, rows: {}, steps: [], ms: 0 };
  for (const step of options.steps ?? foundationSteps) {
    const t0 = performance.now();
    const rows = await step.run(ctx);
    report.steps.push({ name: step.name, ms: performance.now() - t0, rows });
    for (const [table, n] of Object.entries(rows)) report.rows[table] = (report.rows[table] ?? 0) + n;
  }
  report.ms = performance.now() - started;
  return report;
}
