import type { CriteriaSetDef, DigitalSkillRuleDef } from '@hts/contracts';
import { type CriteriaSetVersionRow, criteriaSetVersions, type Db } from '@hts/db';
import { and, eq, gte, lte } from 'drizzle-orm';
import { fieldError } from '../shared/errors.ts';

type Reader = Pick<Db, 'select'>;

export interface LoadedSet {
  row: CriteriaSetVersionRow;
  def: CriteriaSetDef;
}

function byVersionDesc(a: CriteriaSetVersionRow, b: CriteriaSetVersionRow): number {
  const [ay = 0, an = 0] = a.version.split('.').map(Number);
  const [by = 0, bn = 0] = b.version.split('.').map(Number);
  return by - ay || bn - an;
}

/**
 * The criteria set a person of `targetGroupId` is assessed by in `year`: the highest version of their group's set
 * whose years cover it, or of the default (Hội Khuyến học) set when their group has none.
 */
export async function criteriaSetFor(db: Reader, targetGroupId: string | null, year: number): Promise<LoadedSet> {
  const rows = await db
    .select()
    .from(criteriaSetVersions)
    .where(and(eq(criteriaSetVersions.kind, 'criteria_set'), lte(criteriaSetVersions.yearFrom, year), gte(criteriaSetVersions.yearTo, year)));
  const own = rows.filter((r) => targetGroupId && r.targetGroupId === targetGroupId).sort(byVersionDesc)[0];
  const fallback = rows.filter((r) => (r.definition as unknown as CriteriaSetDef).default).sort(byVersionDesc)[0];
  const row = own ?? fallback;
  if (!row) throw fieldError('validation_failed', '/body/year', `no criteria set covers the year ${year}`);
  return { row, def: row.definition as unknown as CriteriaSetDef };
}

export async function loadCriteriaVersion(db: Reader, id: string): Promise<LoadedSet> {
  const [row] = await db.select().from(criteriaSetVersions).where(eq(criteriaSetVersions.id, id));
  if (!row) throw new Error(`criteria version ${id} is missing`);
  return { row, def: row.definition as unknown as CriteriaSetDef };
}

/** The digital-skill rule in force in `year` (highest version covering it), or null when none is loaded. */
export async function digitalSkillRuleFor(db: Reader, year: number): Promise<{ id: string; def: DigitalSkillRuleDef } | null> {
  const rows = await db
    .select()
    .from(criteriaSetVersions)
    .where(and(eq(criteriaSetVersions.kind, 'digital_skill_rule'), lte(criteriaSetVersions.yearFrom, year), gte(criteriaSetVersions.yearTo, year)));
  const row = rows.sort(byVersionDesc)[0];
  return row ? { id: row.id, def: row.definition as unknown as DigitalSkillRuleDef } : null;
}
