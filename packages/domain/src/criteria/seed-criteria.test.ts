import { defaultContentDir, loadContent } from '@hts/content';
import type { CriteriaDoc, CriteriaSetDef } from '@hts/contracts';
import { criteriaSetVersions, type DatabaseHandle, geoUnits, personTitleAwards, seedTargetGroups, users } from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CriteriaVersionEditedError, seedCriteria } from './seed-criteria.ts';

const content = await loadContent(defaultContentDir);
const docs = content.criteria.map((c) => c.doc);
const farmers = docs.find((d): d is CriteriaSetDef => d.kind === 'criteria-set' && d.targetGroup === 'nong-dan') as CriteriaSetDef;

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase(process.env.TEST_DATABASE_URL);
  await seedTargetGroups(handle.db, content.targetGroups);
});
afterAll(async () => handle?.close());

describe('loading criteria versions', () => {
  it('loads every set once and leaves them alone on the next start', async () => {
    expect(await seedCriteria(handle.db, docs)).toEqual({ published: docs.length });
    expect(await seedCriteria(handle.db, docs)).toEqual({ published: 0 });
    const rows = await handle.db.select().from(criteriaSetVersions);
    expect(rows.map((r) => r.id)).toContain('cdht-nong-dan@2025.1');
    expect(rows.every((r) => r.status === 'active')).toBe(true);
  });

  it('refuses a published version whose content was edited', async () => {
    const edited: CriteriaDoc = { ...farmers, title: `${farmers.title} (sửa)` };
    await expect(seedCriteria(handle.db, [edited])).rejects.toBeInstanceOf(CriteriaVersionEditedError);
  });

  it('supersedes a version with a new one without changing past decisions made under it', async () => {
    const [commune] = await handle.db.insert(geoUnits).values({ code: '99001', name: 'Xã Thử', type: 'commune' }).returning();
    const [user] = await handle.db.insert(users).values({ fullName: 'Nguyễn Văn Nông', passwordHash: 'x' }).returning();
    const [award] = await handle.db
      .insert(personTitleAwards)
      .values({
        userId: user?.id ?? '',
        year: 2025,
        classification: 'dat',
        score: 82,
        criteriaSetVersionId: 'cdht-nong-dan@2025.1',
        communeId: commune?.id ?? '',
        decisionNumber: '15/QĐ-UBND',
        decisionDate: '2025-12-15',
      })
      .returning();
    const [before] = await handle.db.select().from(criteriaSetVersions).where(eq(criteriaSetVersions.id, 'cdht-nong-dan@2025.1'));

    const next: CriteriaSetDef = { ...farmers, version: '2026.1', years: { from: 2026, to: 2030 }, pass: { ...farmers.pass, points: 85 } };
    expect(await seedCriteria(handle.db, [...docs, next])).toEqual({ published: 1 });

    const [old] = await handle.db.select().from(criteriaSetVersions).where(eq(criteriaSetVersions.id, 'cdht-nong-dan@2025.1'));
    expect(old).toMatchObject({ status: 'superseded', supersededBy: 'cdht-nong-dan@2026.1', contentHash: before?.contentHash });
    expect(old?.definition).toEqual(before?.definition);
    const [after] = await handle.db
      .select()
      .from(personTitleAwards)
      .where(eq(personTitleAwards.id, award?.id ?? ''));
    expect(after).toEqual(award);

    // a later start with only the older file in content/ keeps the newer version active
    await seedCriteria(handle.db, docs);
    const [newest] = await handle.db.select().from(criteriaSetVersions).where(eq(criteriaSetVersions.id, 'cdht-nong-dan@2026.1'));
    expect(newest?.status).toBe('active');
  });
});
