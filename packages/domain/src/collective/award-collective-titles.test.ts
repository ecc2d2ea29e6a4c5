import {
  auditLog,
  collectiveTitleAwards,
  evidenceChain,
  indicatorDirtyCommunes,
  notifications,
  queryRows,
  registryHouseholds,
  registryMemberships,
} from '@hts/db';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshDirtyIndicators } from '../indicators/rollups.ts';
import { awardCollectiveTitles } from './award-collective-titles.ts';
import { openTitlesTestbed, type TitlesTestbed } from './titles-testbed.ts';

let bed: TitlesTestbed;
beforeAll(async () => {
  bed = await openTitlesTestbed();
});
afterAll(async () => bed?.handle.close());

const deps = () => ({ db: bed.db, clock: bed.clock, collectiveRules: bed.collectiveRules });
const decision = { kind: 'household' as const, year: 2025, decisionNumber: '20/QĐ-UBND', decisionDate: '2026-02-10' };
const household = async (name: string) => {
  const [h] = await bed.db.select({ id: registryHouseholds.id }).from(registryHouseholds).where(eq(registryHouseholds.name, name));
  return h?.id as string;
};

describe('awarding collective titles', () => {
  it('refuses a household whose rule does not hold with a conflict naming it and what is missing, and writes nothing', async () => {
    const dung = await household('Hộ ông Lê Văn Dũng');
    await expect(awardCollectiveTitles(deps(), bed.officer, { ...decision, collectiveIds: [dung] })).rejects.toMatchObject({
      code: 'conflict',
      details: [{ field: '/body/collectiveIds/0', message: expect.stringMatching(/Hộ ông Lê Văn Dũng: .*chủ hộ/i) }],
    });
    expect(await bed.db.select().from(collectiveTitleAwards).where(eq(collectiveTitleAwards.householdId, dung))).toEqual([]);
  });

  it('refuses a household already awarded for the year, another commune’s officer, and a blank decision number', async () => {
    const an = await household('Hộ ông Nguyễn Văn An');
    await expect(awardCollectiveTitles(deps(), bed.officer, { ...decision, collectiveIds: [an] })).rejects.toMatchObject({ code: 'conflict' });
    await expect(awardCollectiveTitles(deps(), bed.officerElsewhere, { ...decision, collectiveIds: [an] })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(awardCollectiveTitles(deps(), bed.officer, { ...decision, decisionNumber: ' ', collectiveIds: [an] })).rejects.toMatchObject({
      code: 'validation_failed',
      details: [{ field: '/body/decisionNumber' }],
    });
    await expect(awardCollectiveTitles(deps(), bed.officer, { ...decision, decisionDate: '2026-03-03', collectiveIds: [an] })).rejects.toMatchObject({
      details: [{ field: '/body/decisionDate' }],
    });
  });

  it('awards a household whose rule holds with its rule version and evaluation, chained, audited, notified and counted', async () => {
    const { communeId, people, users } = bed.fixture;
    // Phạm Văn Giang holds the 2025 title and heads a household of his own
    const [giang] = await bed.db.insert(registryHouseholds).values({ communeId, name: 'Hộ ông Phạm Văn Giang', headPersonId: people.p6 }).returning();
    await bed.db.insert(registryMemberships).values({ personId: people.p6 as string, kind: 'household', householdId: giang?.id as string, role: 'head' });
    await refreshDirtyIndicators(bed.db, bed.clock);
    await bed.db.delete(indicatorDirtyCommunes);

    const { awards } = await awardCollectiveTitles(deps(), bed.officer, { ...decision, collectiveIds: [giang?.id as string] });
    expect(awards).toMatchObject([{ name: 'Hộ ông Phạm Văn Giang', ruleVersion: 'gia-dinh-hoc-tap@2025.1', title: 'gia-dinh-hoc-tap', revokedAt: null }]);
    const id = awards[0]?.id as string;
    const [row] = await bed.db.select().from(collectiveTitleAwards).where(eq(collectiveTitleAwards.id, id));
    expect(row).toMatchObject({ communeId, awardedBy: bed.officer.userId, evaluation: { passed: true, members: 1, missing: [] } });
    const [entry] = await bed.db.select().from(evidenceChain).where(eq(evidenceChain.subjectId, id));
    expect(entry).toMatchObject({ kind: 'collective_title.award', payload: { ruleVersion: 'gia-dinh-hoc-tap@2025.1', evaluation: { passed: true } } });
    expect(
      await bed.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.subjectId, id), eq(auditLog.action, 'collective_title.award'))),
    ).toHaveLength(1);
    const [note] = await bed.db
      .select()
      .from(notifications)
      .where(eq(notifications.userId, users.p6 as string));
    expect(note).toMatchObject({ kind: 'collective_title.awarded', params: { name: 'Hộ ông Phạm Văn Giang', decisionNumber: '20/QĐ-UBND' } });
    // marked dirty in the award's transaction; the refresh then counts it (the fixture's household plus this one)
    expect((await bed.db.select().from(indicatorDirtyCommunes)).map((d) => d.communeId)).toContain(communeId);
    await refreshDirtyIndicators(bed.db, bed.clock);
    const [cell] = await queryRows<{ numerator: number; denominator: number }>(
      bed.db,
      sql`select sum(numerator)::int as numerator, sum(denominator)::int as denominator from indicator_rollups
          where indicator_id = 'households-title' and year = 2025 and commune_id = ${communeId}`,
    );
    expect(cell).toEqual({ numerator: 2, denominator: 3 });
  });
});
