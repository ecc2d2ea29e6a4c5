import { hash } from '@node-rs/argon2';
import { sql } from 'drizzle-orm';
import { benchContent, type DatabaseTarget, openTarget, scratchPostgres, tempDir } from '../fixtures/databases.ts';
import { generateProvince, SYNTHETIC_PASSWORD } from '../generator/generate.ts';
import type { BenchContext, Scenario } from '../scenario.ts';

/** A fresh, migrated, empty database per round, so every round inserts into the same state. */
async function freshTarget(ctx: BenchContext): Promise<DatabaseTarget> {
  return ctx.databaseUrl ? { kind: 'postgres', url: await scratchPostgres(ctx.databaseUrl) } : { kind: 'pglite', dir: await tempDir('gen') };
}

export const generatorScenario: Scenario = {
  name: 'generator.throughput',
  title: 'synthetic-province generator at small scale vs raw INSERT … SELECT generate_series of the same row count',
  unit: 'rows/s',
  better: 'higher',
  // The probe generation in setup is the warm-up.
  rounds: { small: 2, province: 5 },
  warmup: 0,
  async setup(ctx) {
    const content = await benchContent();
    const passwordHash = await hash(SYNTHETIC_PASSWORD);
    // Always small: this measures the generator's rate; the province's own generation time is in api.* notes.
    // Geography (a fixed 100 rows through drizzle) is left off the clock: it is seeding, not generation.
    const generateOnce = async (database: Awaited<ReturnType<typeof openTarget>>) => {
      const report = await generateProvince(database.db, { content, seed: ctx.seed, scale: 'small', passwordHash });
      const generated = report.steps.filter((s) => s.name !== 'geography');
      return { rows: generated.reduce((a, s) => a + Object.values(s.rows).reduce((x, y) => x + y, 0), 0), ms: generated.reduce((a, s) => a + s.ms, 0) };
    };
    // One generation first, to learn how many rows the reference must insert to be the same size.
    const probe = await openTarget(await freshTarget(ctx));
    const rowsPerRound = await generateOnce(probe).finally(() => probe.close());
    return {
      reference: {
        label: 'raw INSERT INTO users SELECT … generate_series',
        run: async () => {
          const database = await openTarget(await freshTarget(ctx));
          try {
            const rows = rowsPerRound.rows;
            const t0 = performance.now();
            await database.db.execute(
              sql.raw(`insert into users (full_name, password_hash) select 'Người dân ' || n, '${passwordHash}' from generate_series(1, ${rows}) as n`),
            );
            return rows / ((performance.now() - t0) / 1000);
          } finally {
            await database.close();
          }
        },
      },
      subjects: [
        {
          label: 'generateProvince (users, roles, scopes, audit)',
          run: async () => {
            const database = await openTarget(await freshTarget(ctx));
            try {
              const { rows, ms } = await generateOnce(database);
              return rows / (ms / 1000);
            } finally {
              await database.close();
            }
          },
        },
      ],
      notes: () => ({ rowsPerRound: rowsPerRound.rows }),
      close: async () => {},
    };
  },
};
