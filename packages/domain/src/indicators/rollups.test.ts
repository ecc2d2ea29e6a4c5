import { defaultContentDir, loadContent } from '@hts/content';
import {
  collectiveTitleAwards,
  type DatabaseHandle,
  type Db,
  digitalSkillConfirmations,
  geoUnits,
  indicatorOfficialCounts,
  khuyenHocMembers,
  personTitleAwards,
  queryRows,
  registryMemberships,
  registryPeople,
  seedGeography,
  seedTargetGroups,
  users,
} from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../shared/deps.ts';
import { INDICATOR_FIXTURE_YEAR, indicatorFixtureExpected, seedIndicatorFixture } from './fixture.ts';
import { rollupStamp } from './indicator-report-cache.ts';
import { cellQuery } from './rollup-queries.ts';
import {
  definitionsForYear,
  type IndicatorChange,
  loadIndicatorDefinitions,
  localYear,
  markIndicatorsDirty,
  rebuildIndicatorRollups,
  refreshDirtyIndicators,
  rollupYears,
} from './rollups.ts';
import { seedIndicatorDefinitions } from './seed-indicator-definitions.ts';

const clock: Clock = { now: () => new Date('2026-11-28T08:00:00Z') };
let handle: DatabaseHandle;
let db: Db;

beforeAll(async () => {
  handle = await openTestDatabase(process.env.TEST_DATABASE_URL);
  db = handle.db;
  const content = await loadContent(defaultContentDir);
  await seedGeography(db, content.province);
  await seedTargetGroups(db, content.targetGroups);
  await seedIndicatorDefinitions(db, content.indicators);
});
afterAll(async () => handle?.close());

type Cell = {
  indicator_id: string;
  year: number;
  commune_id: string;
  target_group_id: string | null;
  numerator: number;
  denominator: number;
  numerator_by_month: number[];
};
const snapshot = async (): Promise<Cell[]> =>
  queryRows<Cell>(
    db,
    sql`select indicator_id, year, commune_id, target_group_id, numerator, denominator, numerator_by_month from indicator_rollups
        order by indicator_id, year, commune_id, target_group_id nulls first`,
  );

const communeTotals = async (communeId: string, year: number) => {
  const rows = await queryRows<{ indicator_id: string; numerator: number; denominator: number }>(
    db,
    sql`select indicator_id, sum(numerator)::int as numerator, sum(denominator)::int as denominator from indicator_rollups
        where commune_id = ${communeId} and year = ${year} group by indicator_id`,
  );
  return Object.fromEntries(rows.map((r) => [r.indicator_id, { numerator: r.numerator, denominator: r.denominator }]));
};

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('indicator rollups', () => {
  it('count the hand-computed fixture commune exactly, after the refresh and after a rebuild', async () => {
    const fixture = await seedIndicatorFixture(db, '07672');
    await markIndicatorsDirty(db, { communeIds: [fixture.communeId] });
    await refreshDirtyIndicators(db, clock);
    const expected = { ...indicatorFixtureExpected, 'communities-title': undefined };
    const got = await communeTotals(fixture.communeId, INDICATOR_FIXTURE_YEAR);
    for (const [id, value] of Object.entries(expected)) if (value) expect(got[id], id).toEqual(value);
    expect(got['communities-title']).toBeUndefined(); // no village registered: no cell at all
    const before = await snapshot();
    await rebuildIndicatorRollups(db, clock);
    expect(await snapshot()).toEqual(before);
    // the month-end series of the trend: p1, p2, p3 (farmers) trained in March, April, May (local dates); the
    // commune has a second group row (p4, a worker, untrained), so the farmers' row is named, not taken first
    const [kh] = await queryRows<{ m: number[] }>(
      db,
      sql`select numerator_by_month as m from indicator_rollups where indicator_id = 'khuyen-hoc-trained' and year = 2025 and commune_id = ${fixture.communeId}
            and target_group_id = (select id from target_groups where code = 'nong-dan')`,
    );
    expect(kh?.m).toEqual([0, 0, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3]);
  });

  it('a revoked title leaves the numerators once the dirty commune is refreshed', async () => {
    const fixture = await seedIndicatorFixture(db, '07616');
    await rebuildIndicatorRollups(db, clock);
    const userId = fixture.users.p1 as string;
    await db.transaction(async (tx) => {
      await tx
        .update(personTitleAwards)
        .set({ revokedAt: new Date(), revocationReason: 'sai sót hồ sơ' })
        .where(and(eq(personTitleAwards.userId, userId), isNull(personTitleAwards.revokedAt)));
      await markIndicatorsDirty(tx, { userIds: [userId] });
    });
    const stampBefore = await rollupStamp(db);
    await refreshDirtyIndicators(db, clock);
    // the dashboards' cache key moves with the cells, though the clock stood still
    expect(await rollupStamp(db)).not.toBe(stampBefore);
    const got = await communeTotals(fixture.communeId, 2025);
    expect(got['adults-collectives-title']).toEqual({ numerator: 2, denominator: 5 });
    expect(got['title-holders-digital']).toEqual({ numerator: 3, denominator: 7 });
  });

  it('the incremental refresh equals a full rebuild after a random history of inserts, revocations and corrections', async () => {
    const next = rng(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
    const communeCodes = ['07627', '07615', '07642'];
    const fixtures = [];
    for (const code of communeCodes) fixtures.push(await seedIndicatorFixture(db, code, `r${code}`));
    await rebuildIndicatorRollups(db, clock);
    const communes = fixtures.map((f) => f.communeId);
    const people = fixtures.flatMap((f) => Object.values(f.people));
    const groups = (await queryRows<{ id: string }>(db, sql`select id from target_groups`)).map((g) => g.id);
    const { ruleVersionId, criteriaVersionId } = fixtures[0] as (typeof fixtures)[number];
    const branchOf = new Map((await db.select().from(khuyenHocMembers)).map((k) => [k.communeId, k.branchId]));
    const householdOf = new Map(
      (await queryRows<{ commune_id: string; id: string }>(db, sql`select commune_id, id from registry_households`)).map((h) => [h.commune_id, h.id]),
    );
    const unitOf = new Map(
      (await queryRows<{ commune_id: string; id: string }>(db, sql`select commune_id, id from registry_units`)).map((h) => [h.commune_id, h.id]),
    );

    const personRow = async (personId: string) => {
      const [p] = await db.select().from(registryPeople).where(eq(registryPeople.id, personId));
      if (!p?.userId) throw new Error('fixture people all have accounts');
      return { ...p, userId: p.userId };
    };
    let ops = 0;
    for (let step = 0; step < 120; step++) {
      const p = await personRow(pick(people));
      const op = Math.floor(next() * 9);
      await db.transaction(async (tx) => {
        // marks as the write paths make them: narrowed to the evidence kind and first year when only evidence changed
        let scope: Pick<IndicatorChange, 'inputs' | 'fromYear'> = {};
        const mark = () => markIndicatorsDirty(tx, { userIds: [p.userId], registryPersonIds: [p.id], ...scope });
        switch (op) {
          case 0: {
            // award a title (a year the fixture did not touch, or 2025 when none is live)
            const year = pick([2024, 2025, 2026]);
            const live = await tx
              .select()
              .from(personTitleAwards)
              .where(and(eq(personTitleAwards.userId, p.userId), eq(personTitleAwards.year, year), isNull(personTitleAwards.revokedAt)));
            if (live.length > 0) return;
            scope = { inputs: ['person-title'], fromYear: year };
            await tx.insert(personTitleAwards).values({
              userId: p.userId,
              year,
              classification: 'dat',
              score: 82,
              criteriaSetVersionId: criteriaVersionId,
              communeId: pick(communes),
              targetGroupId: p.targetGroupId,
              decisionNumber: `r-${step}`,
              decisionDate: `${year}-10-01`,
              awardedAt: new Date(Date.UTC(year, Math.floor(next() * 12), 3)),
            });
            break;
          }
          case 1: {
            const year = pick([2024, 2025, 2026]);
            scope = { inputs: ['person-title'], fromYear: year };
            await tx
              .update(personTitleAwards)
              .set({ revokedAt: new Date(), revocationReason: 'thu hồi' })
              .where(and(eq(personTitleAwards.userId, p.userId), isNull(personTitleAwards.revokedAt), eq(personTitleAwards.year, year)));
            break;
          }
          case 2: {
            // the replaced confirmation stops counting from its own year, the new one counts from its year
            const confirmedAt = new Date(Date.UTC(pick([2024, 2025, 2026]), Math.floor(next() * 12), 9));
            const [old] = await tx
              .select({ confirmedAt: digitalSkillConfirmations.confirmedAt })
              .from(digitalSkillConfirmations)
              .where(and(eq(digitalSkillConfirmations.userId, p.userId), isNull(digitalSkillConfirmations.revokedAt)));
            scope = { inputs: ['digital-skills'], fromYear: Math.min(...[confirmedAt, ...(old ? [old.confirmedAt] : [])].map(localYear)) };
            await tx
              .update(digitalSkillConfirmations)
              .set({ revokedAt: new Date(), revocationReason: 'nhập trùng' })
              .where(and(eq(digitalSkillConfirmations.userId, p.userId), isNull(digitalSkillConfirmations.revokedAt)));
            await tx.insert(digitalSkillConfirmations).values({
              userId: p.userId,
              ruleVersionId,
              source: 'import',
              communeId: p.communeId,
              confirmedAt,
            });
            break;
          }
          case 3: {
            // correction: the person lives in another commune (mark before and after the move)
            await mark();
            const to = pick(communes);
            await tx.update(registryPeople).set({ communeId: to }).where(eq(registryPeople.id, p.id));
            await tx.update(users).set({ communeId: to }).where(eq(users.id, p.userId));
            break;
          }
          case 4: {
            // membership ends, or a new one starts
            const current = await tx
              .select()
              .from(registryMemberships)
              .where(and(eq(registryMemberships.personId, p.id), isNull(registryMemberships.validTo)));
            if (current.length > 0 && next() < 0.5) {
              await mark();
              await tx
                .update(registryMemberships)
                .set({ validTo: '2026-06-30' })
                .where(eq(registryMemberships.id, (current[0] as (typeof current)[number]).id));
            } else {
              const commune = pick(communes);
              const unit = next() < 0.5;
              const target = unit ? unitOf.get(commune) : householdOf.get(commune);
              if (!target || current.some((m) => m.unitId === target || m.householdId === target)) return;
              await tx
                .insert(registryMemberships)
                .values(unit ? { personId: p.id, kind: 'unit', unitId: target } : { personId: p.id, kind: 'household', householdId: target });
            }
            break;
          }
          case 5: {
            // Hội Khuyến học: join (with or without training) or record a training
            const [k] = await tx.select().from(khuyenHocMembers).where(eq(khuyenHocMembers.personId, p.id));
            if (k)
              await tx
                .update(khuyenHocMembers)
                .set({ trainedOn: `${pick([2024, 2025, 2026])}-0${1 + Math.floor(next() * 9)}-15` })
                .where(eq(khuyenHocMembers.id, k.id));
            else {
              const branch = branchOf.get(p.communeId);
              if (branch)
                await tx
                  .insert(khuyenHocMembers)
                  .values({ personId: p.id, branchId: branch, communeId: p.communeId, trainedOn: next() < 0.5 ? '2025-12-31' : null });
            }
            break;
          }
          case 6: {
            // correction of the target group and birth year
            await tx
              .update(registryPeople)
              .set({ targetGroupId: pick(groups), birthYear: pick([1950, 1990, 2009, 2010]) })
              .where(eq(registryPeople.id, p.id));
            await tx
              .update(users)
              .set({ targetGroupId: pick(groups), birthYear: pick([1950, 1990, 2009]) })
              .where(eq(users.id, p.userId));
            break;
          }
          case 7: {
            // a household title awarded, or revoked
            const household = householdOf.get(pick(communes));
            if (!household) return;
            const [live] = await tx
              .select()
              .from(collectiveTitleAwards)
              .where(and(eq(collectiveTitleAwards.householdId, household), isNull(collectiveTitleAwards.revokedAt), eq(collectiveTitleAwards.year, 2026)));
            const [h] = await queryRows<{ commune_id: string }>(tx as unknown as Db, sql`select commune_id from registry_households where id = ${household}`);
            if (live)
              await tx.update(collectiveTitleAwards).set({ revokedAt: new Date(), revokedReason: 'thu hồi' }).where(eq(collectiveTitleAwards.id, live.id));
            else
              await tx.insert(collectiveTitleAwards).values({
                subjectKind: 'household',
                householdId: household,
                communeId: h?.commune_id ?? '',
                year: 2026,
                title: 'gia-dinh-hoc-tap',
                ruleVersion: 'gia-dinh-hoc-tap@2025.1',
                decisionNumber: `r-${step}`,
                decisionDate: '2026-09-01',
              });
            await markIndicatorsDirty(tx, { communeIds: [h?.commune_id], inputs: ['collective-title'], fromYear: 2026 });
            return;
          }
          case 8: {
            // an official count corrected
            const commune = pick(communes);
            const year = pick([2025, 2026]);
            await tx
              .insert(indicatorOfficialCounts)
              .values({ countKey: 'adults', year, communeId: commune, count: Math.floor(next() * 500) })
              .onConflictDoUpdate({
                target: [
                  indicatorOfficialCounts.countKey,
                  indicatorOfficialCounts.year,
                  indicatorOfficialCounts.communeId,
                  indicatorOfficialCounts.targetGroupId,
                ],
                set: { count: sql`excluded.count` },
              });
            await markIndicatorsDirty(tx, { communeIds: [commune], inputs: ['official-count'], fromYear: year });
            return;
          }
        }
        await mark();
        ops++;
      });
      if (step % 7 === 6) await refreshDirtyIndicators(db, clock);
    }
    await refreshDirtyIndicators(db, clock);
    const incremental = await snapshot();
    await rebuildIndicatorRollups(db, clock);
    const rebuilt = await snapshot();
    expect(ops).toBeGreaterThan(60);
    expect(incremental.length).toBeGreaterThan(100);
    expect(incremental.filter((c) => c.numerator > 0).length).toBeGreaterThan(30);
    expect(incremental).toEqual(rebuilt);
  });

  it('the set-based rollup gives the numbers of the per-person query for every indicator, year and commune', async () => {
    // the state the random history left behind (three fixture communes with inserts, revocations and
    // corrections), rebuilt set-based, against the drill-down's per-person definition grouped per year
    await rebuildIndicatorRollups(db, clock);
    const defs = await loadIndicatorDefinitions(db);
    const stored = await snapshot();
    const expected: Cell[] = [];
    for (const year of rollupYears(defs, clock.now()))
      for (const def of definitionsForYear(defs, year)) {
        const rows = await queryRows<Omit<Cell, 'indicator_id' | 'year'>>(db, cellQuery(def, { year, communeIds: null }));
        for (const r of rows) expected.push({ indicator_id: def.id, year, ...r });
      }
    const key = (c: Cell) => `${c.indicator_id}|${c.year}|${c.commune_id}|${c.target_group_id ?? ''}`;
    expected.sort((a, b) => (key(a) < key(b) ? -1 : 1));
    stored.sort((a, b) => (key(a) < key(b) ? -1 : 1));
    expect(stored.length).toBeGreaterThan(100);
    expect(new Set(stored.map((c) => c.year)).size).toBeGreaterThan(1);
    expect(stored).toEqual(expected);
  });

  it('a mark narrowed to one kind of evidence recomputes only the indicators that read it, from its year on', async () => {
    const fixture = await seedIndicatorFixture(db, '07654', 'n07654');
    await rebuildIndicatorRollups(db, clock);
    const truth = await snapshot();
    // every cell of the commune made wrong, so the test sees which ones the refresh rewrote
    await db.execute(sql`update indicator_rollups set numerator = 999 where commune_id = ${fixture.communeId}`);
    await markIndicatorsDirty(db, { communeIds: [fixture.communeId], inputs: ['digital-skills'], fromYear: 2026 });
    await refreshDirtyIndicators(db, clock);
    const digital = new Set(['digital-adults', 'digital-civil-servants', 'digital-enterprise-workers', 'title-holders-digital']);
    const key = (c: Cell) => `${c.indicator_id}|${c.year}|${c.commune_id}|${c.target_group_id ?? ''}`;
    const truthOf = new Map(truth.map((c) => [key(c), c]));
    const now = await snapshot();
    const ofCommune = now.filter((c) => c.commune_id === fixture.communeId);
    const moved = ofCommune.filter((c) => digital.has(c.indicator_id) && c.year === 2026);
    expect(new Set(moved.map((c) => c.indicator_id)).size).toBeGreaterThanOrEqual(3);
    for (const c of moved) expect(c, key(c)).toEqual(truthOf.get(key(c)));
    // the indicators that read no confirmation, and 2025, kept their (wrong) numbers
    for (const c of ofCommune.filter((c) => !moved.includes(c))) expect(c.numerator, key(c)).toBe(999);
    // other communes untouched; a mark naming no evidence kind (a registry change) restores everything
    expect(now.filter((c) => c.commune_id !== fixture.communeId)).toEqual(truth.filter((c) => c.commune_id !== fixture.communeId));
    await markIndicatorsDirty(db, { communeIds: [fixture.communeId] });
    await refreshDirtyIndicators(db, clock);
    expect(await snapshot()).toEqual(truth);
    // a mark naming a kind this release does not know (written by a newer one) recomputes everything too
    await db.execute(sql`update indicator_rollups set numerator = 999 where commune_id = ${fixture.communeId}`);
    await db.execute(sql`insert into indicator_dirty_communes (commune_id, inputs, from_year) values (${fixture.communeId}, array['badges']::text[], null)`);
    await refreshDirtyIndicators(db, clock);
    expect(await snapshot()).toEqual(truth);
  });

  it('marks of one commune waiting for the refresh merge into one covering both changes', async () => {
    const [commune] = await queryRows<{ id: string }>(db, sql`select id from geo_units where code = '07621'`);
    const communeId = commune?.id as string;
    const row = async () =>
      (
        await queryRows<{ inputs: string[] | null; from_year: number | null }>(
          db,
          sql`select inputs, from_year from indicator_dirty_communes where commune_id = ${communeId}`,
        )
      )[0];
    await markIndicatorsDirty(db, { communeIds: [communeId], inputs: ['person-title'], fromYear: 2025 });
    expect(await row()).toEqual({ inputs: ['person-title'], from_year: 2025 });
    await markIndicatorsDirty(db, { communeIds: [communeId], inputs: ['digital-skills', 'person-title'], fromYear: 2024 });
    expect(await row()).toEqual({ inputs: ['digital-skills', 'person-title'], from_year: 2024 });
    await markIndicatorsDirty(db, { communeIds: [communeId], inputs: ['trained'], fromYear: 2026 });
    expect(await row()).toEqual({ inputs: ['digital-skills', 'person-title', 'trained'], from_year: 2024 });
    // no year known (an import of nothing: Math.min() is Infinity) widens to every year, never fails
    await markIndicatorsDirty(db, { communeIds: [communeId], inputs: ['trained'], fromYear: Math.min() });
    expect(await row()).toEqual({ inputs: ['digital-skills', 'person-title', 'trained'], from_year: null });
    await markIndicatorsDirty(db, { communeIds: [communeId] });
    expect(await row()).toEqual({ inputs: null, from_year: null });
    await markIndicatorsDirty(db, { communeIds: [communeId], inputs: ['trained'], fromYear: 2026 });
    expect(await row()).toEqual({ inputs: null, from_year: null });
    await refreshDirtyIndicators(db, clock);
    expect(await row()).toBeUndefined();
  });

  it('refuses a definition changed without a new version', async () => {
    const { indicators } = await loadContent(defaultContentDir);
    const changed = indicators.map((d) => (d.id === 'unit-staff-title' ? { ...d, targets: d.targets.map((t) => ({ ...t, value: 70 })) } : d));
    await expect(seedIndicatorDefinitions(db, changed)).rejects.toThrow(/unit-staff-title version 2025.1 changed/);
    expect((await seedIndicatorDefinitions(db, indicators)).added).toBe(0);
    expect((await db.select().from(geoUnits).where(eq(geoUnits.code, '07627'))).length).toBe(1);
  });
});
