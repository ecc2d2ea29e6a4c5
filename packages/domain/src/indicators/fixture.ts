import {
  collectiveTitleAwards,
  criteriaSetVersions,
  type Db,
  digitalSkillConfirmations,
  geoUnits,
  indicatorOfficialCounts,
  khuyenHocBranches,
  khuyenHocMembers,
  personTitleAwards,
  registryClans,
  registryHouseholds,
  registryMemberships,
  registryPeople,
  registryUnits,
  targetGroups,
  users,
} from '@hts/db';
import { inArray } from 'drizzle-orm';

/**
 * A small commune with numbers worked out by hand (below), for the rollup, API and browser tests. Year 2025.
 * Writes straight into the tables (as the criteria and registry write paths would), so the tests check the
 * rollups, not those paths. Needs geography, target groups and the criteria version row it creates.
 *
 *  people  group      born  KH (trained)  collectives       title 2025  digital
 *  p1      nong-dan   1970  yes (yes)     household h1      yes         yes
 *  p2      nong-dan   1972  yes (yes)     household h1      yes         -
 *  p3      nong-dan   1995  yes (yes)     household h1      -           -
 *  p4      cong-nhan  1960  yes (-)       household h2      -           -
 *  p5      hoc-sinh   2012  -             household h2      -           -
 *  p6      nong-dan   1980  yes (-)       clan c1           yes         -
 *  p7      cong-chuc  1985  -             unit u1 (agency)  yes         yes
 *  p8      cong-chuc  1986  -             unit u1           yes         yes
 *  p9      vien-chuc  1990  -             unit u1           yes         -
 *  p10     cong-nhan  1991  -             unit u1           yes         -
 *  p11     cong-nhan  1992  -             unit u2 (enterpr) yes         yes
 *  p12     cong-nhan  1993  -             unit u2           -           yes
 *  household h1 holds "gia-dinh-hoc-tap" 2025; official count of adults 40.
 */
export const INDICATOR_FIXTURE_YEAR = 2025;

export const indicatorFixtureExpected: Record<string, { numerator: number; denominator: number }> = {
  'khuyen-hoc-trained': { numerator: 3, denominator: 5 },
  'adults-collectives-title': { numerator: 3, denominator: 5 },
  'unit-staff-title': { numerator: 5, denominator: 6 },
  'title-holders-digital': { numerator: 4, denominator: 8 },
  'learning-units-gate': { numerator: 1, denominator: 2 },
  'households-title': { numerator: 1, denominator: 2 },
  'clans-title': { numerator: 0, denominator: 1 },
  'communities-title': { numerator: 0, denominator: 0 },
  'digital-civil-servants': { numerator: 2, denominator: 3 },
  'digital-adults': { numerator: 5, denominator: 40 },
  'digital-enterprise-workers': { numerator: 2, denominator: 2 },
};

export interface IndicatorFixture {
  communeId: string;
  /** user id per person label (p1 …). */
  users: Record<string, string>;
  /** registry person id per label. */
  people: Record<string, string>;
  ruleVersionId: string;
  criteriaVersionId: string;
}

export async function ensureFixtureCriteriaVersions(db: Db): Promise<{ ruleVersionId: string; criteriaVersionId: string }> {
  const base = { yearFrom: 2021, yearTo: 2030, contentHash: 'fixture', definition: {}, source: 'fixture' };
  await db
    .insert(criteriaSetVersions)
    .values([
      { ...base, id: 'fixture-cdht@2025.1', code: 'fixture-cdht', version: '2025.1', kind: 'criteria_set' },
      { ...base, id: 'fixture-digital@2025.1', code: 'fixture-digital', version: '2025.1', kind: 'digital_skill_rule' },
    ])
    .onConflictDoNothing();
  return { criteriaVersionId: 'fixture-cdht@2025.1', ruleVersionId: 'fixture-digital@2025.1' };
}

export async function seedIndicatorFixture(db: Db, communeCode: string, tag = communeCode): Promise<IndicatorFixture> {
  const [commune] = await db
    .select({ id: geoUnits.id })
    .from(geoUnits)
    .where(inArray(geoUnits.code, [communeCode]));
  if (!commune) throw new Error(`commune ${communeCode} is not seeded`);
  const communeId = commune.id;
  const groups = new Map((await db.select({ id: targetGroups.id, code: targetGroups.code }).from(targetGroups)).map((g) => [g.code, g.id]));
  const { ruleVersionId, criteriaVersionId } = await ensureFixtureCriteriaVersions(db);
  const spec: Array<[string, string, number, string]> = [
    ['p1', 'nong-dan', 1970, 'Nguyễn Văn An'],
    ['p2', 'nong-dan', 1972, 'Trần Thị Bình'],
    ['p3', 'nong-dan', 1995, 'Nguyễn Văn Cường'],
    ['p4', 'cong-nhan', 1960, 'Lê Văn Dũng'],
    ['p5', 'hoc-sinh-sinh-vien', 2012, 'Nguyễn Thị Én'],
    ['p6', 'nong-dan', 1980, 'Phạm Văn Giang'],
    ['p7', 'cong-chuc', 1985, 'Hoàng Thị Hoa'],
    ['p8', 'cong-chuc', 1986, 'Vũ Văn Khải'],
    ['p9', 'vien-chuc', 1990, 'Đỗ Thị Lan'],
    ['p10', 'cong-nhan', 1991, 'Bùi Văn Minh'],
    ['p11', 'cong-nhan', 1992, 'Đặng Thị Ngọc'],
    ['p12', 'cong-nhan', 1993, 'Ngô Văn Phúc'],
  ];
  const userIds: Record<string, string> = {};
  const personIds: Record<string, string> = {};
  for (const [label, group, birthYear, fullName] of spec) {
    const [u] = await db
      .insert(users)
      .values({ fullName, birthYear, communeId, targetGroupId: groups.get(group), passwordHash: 'x', email: `${label}.${tag}@fixture.example.vn` })
      .returning({ id: users.id });
    const [p] = await db
      .insert(registryPeople)
      .values({
        fullName,
        nameKey: fullName.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'd').toLowerCase(),
        birthYear,
        communeId,
        targetGroupId: groups.get(group),
        userId: u?.id,
        matchKey: `fixture:${tag}:${label}`,
        source: 'officer',
      })
      .returning({ id: registryPeople.id });
    if (!u || !p) throw new Error('fixture insert returned nothing');
    userIds[label] = u.id;
    personIds[label] = p.id;
  }
  const person = (l: string) => personIds[l] as string;
  const user = (l: string) => userIds[l] as string;

  const [branch] = await db
    .insert(khuyenHocBranches)
    .values({ communeId, name: `Chi hội ${tag}`, nameKey: `chi hoi ${tag}` })
    .returning();
  if (!branch) throw new Error('no branch');
  await db.insert(khuyenHocMembers).values([
    { personId: person('p1'), branchId: branch.id, communeId, role: 'cadre', trainedOn: '2025-03-01' },
    { personId: person('p2'), branchId: branch.id, communeId, trainedOn: '2025-04-10' },
    { personId: person('p3'), branchId: branch.id, communeId, trainedOn: '2025-05-20' },
    { personId: person('p4'), branchId: branch.id, communeId },
    { personId: person('p6'), branchId: branch.id, communeId },
  ]);
  const [h1] = await db
    .insert(registryHouseholds)
    .values({ communeId, name: 'Hộ ông Nguyễn Văn An', headPersonId: person('p1') })
    .returning();
  const [h2] = await db
    .insert(registryHouseholds)
    .values({ communeId, name: 'Hộ ông Lê Văn Dũng', headPersonId: person('p4') })
    .returning();
  const [c1] = await db
    .insert(registryClans)
    .values({ communeId, name: `Họ Phạm ${tag}`, nameKey: `ho pham ${tag}` })
    .returning();
  const [u1] = await db
    .insert(registryUnits)
    .values({ communeId, kind: 'agency', name: `UBND ${tag}`, nameKey: `ubnd ${tag}` })
    .returning();
  const [u2] = await db
    .insert(registryUnits)
    .values({ communeId, kind: 'enterprise', name: `Công ty May ${tag}`, nameKey: `cong ty may ${tag}` })
    .returning();
  if (!h1 || !h2 || !c1 || !u1 || !u2) throw new Error('no collective');
  await db
    .insert(registryMemberships)
    .values([
      ...['p1', 'p2', 'p3'].map((l) => ({ personId: person(l), kind: 'household' as const, householdId: h1.id })),
      ...['p4', 'p5'].map((l) => ({ personId: person(l), kind: 'household' as const, householdId: h2.id })),
      { personId: person('p6'), kind: 'clan' as const, clanId: c1.id },
      ...['p7', 'p8', 'p9', 'p10'].map((l) => ({ personId: person(l), kind: 'unit' as const, unitId: u1.id })),
      ...['p11', 'p12'].map((l) => ({ personId: person(l), kind: 'unit' as const, unitId: u2.id })),
    ]);
  const titled = ['p1', 'p2', 'p6', 'p7', 'p8', 'p9', 'p10', 'p11'];
  await db.insert(personTitleAwards).values(
    titled.map((l, i) => ({
      userId: user(l),
      year: 2025,
      classification: 'dat',
      score: 85,
      criteriaSetVersionId: criteriaVersionId,
      communeId,
      targetGroupId: groups.get(spec.find((s) => s[0] === l)?.[1] ?? ''),
      decisionNumber: `12/QĐ-UBND-${tag}`,
      decisionDate: '2025-10-15',
      awardedAt: new Date(Date.UTC(2025, 5 + (i % 4), 10)),
    })),
  );
  await db.insert(digitalSkillConfirmations).values(
    ['p1', 'p7', 'p8', 'p11', 'p12'].map((l, i) => ({
      userId: user(l),
      ruleVersionId,
      source: 'automatic' as const,
      communeId,
      evidence: [{ kind: 'credential' as const, id: `fixture-${tag}-${l}`, label: 'Kỹ năng số cơ bản' }],
      confirmedAt: new Date(Date.UTC(2025, 2 + i, 5)),
    })),
  );
  await db.insert(collectiveTitleAwards).values({
    subjectKind: 'household',
    householdId: h1.id,
    communeId,
    year: 2025,
    title: 'gia-dinh-hoc-tap',
    ruleVersion: 'gia-dinh-hoc-tap@2025.1',
    decisionNumber: `15/QĐ-UBND-${tag}`,
    decisionDate: '2025-11-20',
  });
  await db.insert(indicatorOfficialCounts).values({ countKey: 'adults', year: 2025, communeId, count: 40, sourceRef: 'fixture' });
  return { communeId, users: userIds, people: personIds, ruleVersionId, criteriaVersionId };
}
