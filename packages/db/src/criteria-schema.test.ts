import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from './client.ts';
import { criteriaSetVersions, geoUnits, personTitleAwards, selfAssessments, users } from './schema/index.ts';
import { openTestDatabase } from './testing.ts';

let handle: DatabaseHandle;
let userId: string;
let communeId: string;
beforeAll(async () => {
  handle = await openTestDatabase(process.env.TEST_DATABASE_URL);
  const [commune] = await handle.db.insert(geoUnits).values({ code: 'T1', name: 'Xã Thử', type: 'commune' }).returning();
  communeId = commune?.id ?? '';
  const [user] = await handle.db.insert(users).values({ fullName: 'Nguyễn Văn A', passwordHash: 'x', communeId }).returning();
  userId = user?.id ?? '';
  await handle.db.insert(criteriaSetVersions).values({
    id: 'cdht-test@2025.1',
    code: 'cdht-test',
    version: '2025.1',
    kind: 'criteria_set',
    yearFrom: 2025,
    yearTo: 2030,
    contentHash: 'h1',
    definition: { criteria: [] },
    source: 'QĐ 244/QĐ-KHVN',
  });
});
afterAll(async () => handle?.close());

describe('criteria and titles tables', () => {
  it('freezes a criteria version: its definition cannot change and it cannot be deleted, but it can be superseded', async () => {
    await expect(handle.db.execute(sql`update criteria_set_versions set definition = '{}'::jsonb where id = 'cdht-test@2025.1'`)).rejects.toThrow();
    await expect(handle.db.execute(sql`delete from criteria_set_versions where id = 'cdht-test@2025.1'`)).rejects.toThrow();
    await handle.db.insert(criteriaSetVersions).values({
      id: 'cdht-test@2026.1',
      code: 'cdht-test',
      version: '2026.1',
      kind: 'criteria_set',
      yearFrom: 2026,
      yearTo: 2030,
      contentHash: 'h2',
      definition: { criteria: [1] },
      source: 'QĐ 244/QĐ-KHVN',
    });
    await handle.db
      .update(criteriaSetVersions)
      .set({ status: 'superseded', supersededBy: 'cdht-test@2026.1', supersededAt: new Date() })
      .where(eq(criteriaSetVersions.id, 'cdht-test@2025.1'));
    const [row] = await handle.db.select().from(criteriaSetVersions).where(eq(criteriaSetVersions.id, 'cdht-test@2025.1'));
    expect(row?.status).toBe('superseded');
    expect(row?.definition).toEqual({ criteria: [] });
  });

  it('allows one open assessment per person and year, plus any number of returned ones', async () => {
    const base = { userId, year: 2025, criteriaSetVersionId: 'cdht-test@2025.1' };
    await handle.db.insert(selfAssessments).values({ ...base, status: 'returned' });
    await handle.db.insert(selfAssessments).values({ ...base, status: 'returned' });
    await handle.db.insert(selfAssessments).values({ ...base, status: 'draft' });
    await expect(handle.db.insert(selfAssessments).values({ ...base, status: 'submitted' })).rejects.toThrow();
  });

  it('never deletes a title award and only lets its revocation be recorded', async () => {
    const [award] = await handle.db
      .insert(personTitleAwards)
      .values({
        userId,
        year: 2025,
        classification: 'dat',
        score: 85,
        criteriaSetVersionId: 'cdht-test@2025.1',
        communeId,
        decisionNumber: '12/QĐ-UBND',
        decisionDate: '2025-12-01',
      })
      .returning();
    const awardId = award?.id ?? '';
    await expect(handle.db.execute(sql`delete from person_title_awards where id = ${awardId}`)).rejects.toThrow();
    await expect(handle.db.execute(sql`update person_title_awards set score = 99 where id = ${awardId}`)).rejects.toThrow();
    await handle.db.update(personTitleAwards).set({ revokedAt: new Date(), revocationReason: 'nhầm hồ sơ' }).where(eq(personTitleAwards.id, awardId));
    await expect(handle.db.execute(sql`update person_title_awards set revocation_reason = 'khác' where id = ${awardId}`)).rejects.toThrow();
  });
});
