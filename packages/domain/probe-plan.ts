import { openDatabase, queryRows } from '@hts/db';
import { sql } from 'drizzle-orm';
import { loadIndicatorDefinitions, rollupCellsQuery } from './src/index.ts';
const h = await openDatabase({ url: 'postgres://postgres@127.0.0.1:54340/hts_bench_56f06119d9', migrate: false });
const db = h.db;
const [c] = await queryRows<{ id: string }>(db, sql`select id from geo_units where code = '07777'`);
const defs = await loadIndicatorDefinitions(db);
for (const id of process.argv.slice(2)) {
  const def = defs.find((d) => d.id === id)!;
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local work_mem = '64MB'`);
    await tx.execute(sql`set local jit = off`); await tx.execute(sql`set local enable_hashjoin = off`); await tx.execute(sql`set local enable_mergejoin = off`);
    const rows = await queryRows<Record<string, string>>(tx as never, sql`explain (analyze, buffers) ${rollupCellsQuery(def, { years: [2026], communeIds: [c!.id] })}`);
    console.log(`=== ${id}\n` + rows.map((r) => r['QUERY PLAN']).join('\n'));
  });
}
await h.close();
