import { type Db, geoUnits, targetGroups } from '@hts/db';
import { and, eq, inArray } from 'drizzle-orm';
import { fieldError } from '../shared/errors.ts';

export async function findCommuneId(db: Db, code: string, field: string): Promise<string> {
  const [row] = await db
    .select({ id: geoUnits.id })
    .from(geoUnits)
    .where(and(eq(geoUnits.code, code), inArray(geoUnits.type, ['commune', 'ward'])));
  if (!row) throw fieldError('not_found', field, `no commune or ward has the code ${code}`);
  return row.id;
}

export async function findTargetGroupId(db: Db, code: string, field: string): Promise<string> {
  const [row] = await db.select({ id: targetGroups.id }).from(targetGroups).where(eq(targetGroups.code, code));
  if (!row) throw fieldError('not_found', field, `no target group has the code ${code}`);
  return row.id;
}
