import type { KhuyenHocTrainingQuery, KhuyenHocTrainingReport } from '@hts/contracts';
import { courseCompletions, courses, type Db, geoUnits, khuyenHocBranches, khuyenHocMembers, registryPeople } from '@hts/db';
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { type Actor, coversCommune } from '../access/actor.ts';
import { DomainError } from '../shared/errors.ts';

/**
 * The course on the "Công dân học tập" criteria: completing any published version of it on the platform
 * counts as training. Trainers publish it under this slug; until then only recorded training days count.
 */
export const CRITERIA_COURSE_SLUG = 'tieu-chi-cong-dan-hoc-tap';

const ROLES = ['officer', 'branch'] as const;
const collator = new Intl.Collator('vi');

/**
 * Hội Khuyến học training per commune and branch: members, cadres, how many are trained (a recorded training
 * day, or the criteria course completed by their linked account) and the rate. Officers and branches see
 * their communes; admins and province officers all.
 */
export async function khuyenHocTrainingReport(db: Db, actor: Actor, query: KhuyenHocTrainingQuery): Promise<KhuyenHocTrainingReport> {
  const admin = actor.roles.has('admin');
  if (!admin && !ROLES.some((r) => actor.roles.has(r))) throw new DomainError('forbidden', 'this needs one of the roles: officer, branch, admin');
  const filters: SQL[] = [];
  if (query.communeCode) {
    const [c] = await db.select({ id: geoUnits.id }).from(geoUnits).where(eq(geoUnits.code, query.communeCode));
    if (!c)
      throw new DomainError('not_found', `no commune has the code ${query.communeCode}`, [{ field: '/query/communeCode', message: 'unknown commune code' }]);
    if (!admin && !coversCommune(actor, ROLES, c.id)) throw new DomainError('forbidden', 'this commune is outside your scope');
    filters.push(eq(khuyenHocMembers.communeId, c.id));
  } else if (!admin && !ROLES.some((r) => actor.scopes.get(r) === 'all')) {
    const ids = ROLES.flatMap((r) => {
      const s = actor.scopes.get(r);
      return s instanceof Set ? [...s] : [];
    });
    if (ids.length === 0) return { courseSlug: CRITERIA_COURSE_SLUG, totals: { members: 0, trained: 0, rate: 0 }, items: [] };
    filters.push(inArray(khuyenHocMembers.communeId, ids));
  }
  const completedCourse = sql<boolean>`exists (
    select 1 from ${courseCompletions} join ${courses} on ${courses.id} = ${courseCompletions.courseId}
    where ${courseCompletions.userId} = ${registryPeople.userId} and ${courses.slug} = ${CRITERIA_COURSE_SLUG})`;
  const trained = sql`(${khuyenHocMembers.trainedOn} is not null or ${completedCourse})`;
  const rows = await db
    .select({
      communeCode: geoUnits.code,
      communeName: geoUnits.name,
      branch: khuyenHocBranches.name,
      members: sql<number>`count(*)::int`,
      cadres: sql<number>`count(*) filter (where ${khuyenHocMembers.role} = 'cadre')::int`,
      trained: sql<number>`count(*) filter (where ${trained})::int`,
      trainedCadres: sql<number>`count(*) filter (where ${khuyenHocMembers.role} = 'cadre' and ${trained})::int`,
    })
    .from(khuyenHocMembers)
    .innerJoin(khuyenHocBranches, eq(khuyenHocBranches.id, khuyenHocMembers.branchId))
    .innerJoin(registryPeople, eq(registryPeople.id, khuyenHocMembers.personId))
    .innerJoin(geoUnits, eq(geoUnits.id, khuyenHocMembers.communeId))
    .where(filters.length > 0 ? and(...filters) : undefined)
    .groupBy(geoUnits.code, geoUnits.name, khuyenHocBranches.name);
  // Vietnamese order (Đ after D), which the database collation may not give.
  rows.sort((a, b) => collator.compare(a.communeName, b.communeName) || collator.compare(a.branch, b.branch));
  const items = rows.map((r) => ({
    ...r,
    members: Number(r.members),
    cadres: Number(r.cadres),
    trained: Number(r.trained),
    trainedCadres: Number(r.trainedCadres),
    rate: Number(r.members) > 0 ? Number(r.trained) / Number(r.members) : 0,
  }));
  const members = items.reduce((n, r) => n + r.members, 0);
  const trainedTotal = items.reduce((n, r) => n + r.trained, 0);
  return { courseSlug: CRITERIA_COURSE_SLUG, totals: { members, trained: trainedTotal, rate: members > 0 ? trainedTotal / members : 0 }, items };
}
