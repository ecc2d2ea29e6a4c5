import type { Content } from '@hts/content';
import type { Db } from '@hts/db';
import type { ProvincePlan } from './population.ts';

export interface GeneratorContext {
  db: Db;
  content: Content;
  plan: ProvincePlan;
  seed: number;
  /** One argon2id hash shared by every synthetic account, so sign-in benches can use any of them. */
  passwordHash: string;
  /** Runs one statement (raw SQL built by the step from its own values). */
  exec(statement: string): Promise<void>;
  log(message: string): void;
}

/**
 * One table family of the synthetic province. Steps run in order; a later issue adds its own (households,
 * enrolments, statements…) after the foundation's, reading the plan's cells to find citizens by number.
 */
export interface GeneratorStep {
  name: string;
  /** Answers how many rows it wrote, per table. */
  run(ctx: GeneratorContext): Promise<Record<string, number>>;
}
