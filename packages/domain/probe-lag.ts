import { openDatabase, queryRows } from '@hts/db';
import { sql } from 'drizzle-orm';
import { loadIndicatorDefinitions, rollupCellsQuery, rollupYears } from './src/index.ts';
const h = await openDatabase({ url: 'postgres://postgres@127.0.0.1:54340/hts_bench_56f06119d9', migrate: false });
const db = h.db;
const [c] = await queryRows<{ id: string }>(db, sql`select id from geo_units where code = '07777'`);
const defs = await loadIndicatorDefinitions(db);
const years = rollupYears(defs, new Date());
for (const def of defs) {
  for (const ys of [years.filter((y) => def.yearFrom <= y && y <= def.yearTo), [2026]]) {
    const t = performance.now();
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local work_mem = '64MB'`); if (process.env.NL) { await tx.execute(sql`set local jit = off`); await tx.execute(sql`set local enable_hashjoin = off`); await tx.execute(sql`set local enable_mergejoin = off`); }
      await queryRows(tx as never, sql`select count(*) from (${rollupCellsQuery(def, { years: ys, communeIds: [c!.id] })}) q`);
    });
    console.log(def.id.padEnd(32), String(ys.length).padStart(2), (performance.now() - t).toFixed(0).padStart(6), 'ms');
  }
}
await h.close();
