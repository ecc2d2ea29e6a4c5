import { auditLog, evidenceChain, indicatorDirtyCommunes, notifications, personTitleAwards } from '@hts/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTitlesTestbed, type TitlesTestbed } from '../collective/titles-testbed.ts';
import { revokePersonTitle } from './revoke-title.ts';

let bed: TitlesTestbed;
let awardId: string;
beforeAll(async () => {
  bed = await openTitlesTestbed();
  const [award] = await bed.db
    .select({ id: personTitleAwards.id })
    .from(personTitleAwards)
    .where(eq(personTitleAwards.userId, bed.fixture.users.p1 as string));
  awardId = award?.id as string;
});
afterAll(async () => bed?.handle.close());

const deps = () => ({ db: bed.db, clock: bed.clock });
const body = { reason: 'Hồ sơ kê khai sai', decisionNumber: '34/QĐ-UBND', decisionDate: '2026-03-01' };

describe("revoking a person's title", () => {
  it('refuses another commune’s officer (audited), a blank decision number and a future decision date', async () => {
    await expect(revokePersonTitle(deps(), bed.officerElsewhere, awardId, body)).rejects.toMatchObject({ code: 'forbidden' });
    expect(
      await bed.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.subjectId, awardId), eq(auditLog.outcome, 'denied'))),
    ).toHaveLength(1);
    await expect(revokePersonTitle(deps(), bed.officer, awardId, { ...body, decisionNumber: '' })).rejects.toMatchObject({
      details: [{ field: '/body/decisionNumber' }],
    });
    await expect(revokePersonTitle(deps(), bed.officer, awardId, { ...body, decisionDate: '2026-03-09' })).rejects.toMatchObject({
      details: [{ field: '/body/decisionDate' }],
    });
  });

  it('revokes it with the reason and decision: chained, audited, the commune marked dirty, the citizen told; twice is a conflict', async () => {
    await bed.db.delete(indicatorDirtyCommunes);
    const revoked = await revokePersonTitle(deps(), bed.officer, awardId, body);
    expect(revoked).toMatchObject({ id: awardId, revocationReason: body.reason, revocationDecisionNumber: '34/QĐ-UBND' });
    expect(revoked.revokedAt).toBe('2026-03-02T08:00:00.000Z');
    const [row] = await bed.db.select().from(personTitleAwards).where(eq(personTitleAwards.id, awardId));
    expect(row).toMatchObject({ revokedBy: bed.officer.userId, revocationDecisionDate: '2026-03-01' });
    const [entry] = await bed.db
      .select()
      .from(evidenceChain)
      .where(and(eq(evidenceChain.subjectId, awardId), eq(evidenceChain.kind, 'title.revoke')));
    expect(entry?.payload).toMatchObject({ userId: bed.fixture.users.p1, reason: body.reason });
    expect((await bed.db.select().from(indicatorDirtyCommunes)).map((d) => d.communeId)).toContain(bed.fixture.communeId);
    const [note] = await bed.db
      .select()
      .from(notifications)
      .where(eq(notifications.userId, bed.fixture.users.p1 as string));
    expect(note).toMatchObject({ kind: 'title.revoked', params: { year: 2025, decisionNumber: '34/QĐ-UBND' } });
    await expect(revokePersonTitle(deps(), bed.officer, awardId, body)).rejects.toMatchObject({ code: 'conflict' });
  });
});
