import type { CompetenceItem } from '@hts/contracts';
import { sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { competences } from './schema/courses.ts';
import { geoUnits } from './schema/geo.ts';
import { targetGroups } from './schema/target-groups.ts';

export interface ProvinceSeed {
  code: string;
  name: string;
  source: string;
  communes: Array<{
    code: string;
    name: string;
    type: 'commune' | 'ward';
    areaKm2: number | null;
    population: number | null;
    formedFrom: string | null;
    source: string;
  }>;
}

export interface TargetGroupSeed {
  code: string;
  nameVi: string;
  nameEn: string;
  source: string | null;
}

/** Idempotent: re-running updates names and sources in place and never duplicates a unit. */
export async function seedGeography(db: Db, province: ProvinceSeed): Promise<void> {
  await db.transaction(async (tx) => {
    const [prov] = await tx
      .insert(geoUnits)
      .values({ code: province.code, name: province.name, type: 'province', source: province.source })
      .onConflictDoUpdate({ target: geoUnits.code, set: { name: province.name, source: province.source } })
      .returning({ id: geoUnits.id });
    if (!prov) throw new Error('province upsert returned nothing');
    const rows = province.communes.map((c) => ({
      code: c.code,
      name: c.name,
      type: c.type,
      parentId: prov.id,
      areaKm2: c.areaKm2 === null ? null : String(c.areaKm2),
      population: c.population,
      formedFrom: c.formedFrom,
      source: c.source,
    }));
    await tx
      .insert(geoUnits)
      .values(rows)
      .onConflictDoUpdate({
        target: geoUnits.code,
        set: {
          name: sql`excluded.name`,
          type: sql`excluded.type`,
          parentId: sql`excluded.parent_id`,
          areaKm2: sql`excluded.area_km2`,
          population: sql`excluded.population`,
          formedFrom: sql`excluded.formed_from`,
          source: sql`excluded.source`,
        },
      });
  });
}

export async function seedTargetGroups(db: Db, groups: TargetGroupSeed[]): Promise<void> {
  if (groups.length === 0) return;
  await db
    .insert(targetGroups)
    .values(groups.map((g, i) => ({ ...g, sortOrder: i })))
    .onConflictDoUpdate({
      target: targetGroups.code,
      set: { nameVi: sql`excluded.name_vi`, nameEn: sql`excluded.name_en`, sortOrder: sql`excluded.sort_order`, source: sql`excluded.source` },
    });
}

/** Idempotent: names, groups and assumption marks follow the content; codes never change. */
export async function seedCompetences(db: Db, items: CompetenceItem[]): Promise<void> {
  if (items.length === 0) return;
  await db
    .insert(competences)
    .values(items.map((c, i) => ({ ...c, sortOrder: i })))
    .onConflictDoUpdate({
      target: competences.code,
      set: {
        nameVi: sql`excluded.name_vi`,
        nameEn: sql`excluded.name_en`,
        groupName: sql`excluded.group_name`,
        assumption: sql`excluded.assumption`,
        sortOrder: sql`excluded.sort_order`,
      },
    });
}
