import type { CommuneList } from '@hts/contracts';
import { type Db, geoUnits } from '@hts/db';
import { eq, inArray } from 'drizzle-orm';
import { DomainError } from '../shared/errors.ts';

const collator = new Intl.Collator('vi');

export async function listCommunes(db: Db): Promise<CommuneList> {
  const [province] = await db.select({ code: geoUnits.code, name: geoUnits.name }).from(geoUnits).where(eq(geoUnits.type, 'province')).limit(1);
  if (!province) throw new DomainError('unavailable', 'the geography has not been loaded yet');
  const rows = await db
    .select({ code: geoUnits.code, name: geoUnits.name, type: geoUnits.type })
    .from(geoUnits)
    .where(inArray(geoUnits.type, ['commune', 'ward']));
  const items = rows
    .map((r) => ({
      code: r.code,
      name: r.name,
      type: r.type === 'ward' ? ('phuong' as const) : ('xa' as const),
      typeLabel: r.type === 'ward' ? 'phường' : 'xã',
    }))
    .sort((a, b) => collator.compare(a.name, b.name));
  return { province, items };
}
