import { auditLog, collectiveTitleAwards, evidenceChain, notifications, queryRows } from '@hts/db';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../evidence/verify-chain.ts';
import { refreshDirtyIndicators } from '../indicators/rollups.ts';
import { revokeCollectiveTitle } from './revoke-collective-title.ts';
import { openTitlesTestbed, type TitlesTestbed } from './titles-testbed.ts';

let bed: TitlesTestbed;
let awardId: string;
beforeAll(async () => {
  bed = await openTitlesTestbed();
  const [award] = await bed.db
    .select({ id: collectiveTitleAwards.id })
    .from(collectiveTitleAwards)
    .where(eq(collectiveTitleAwards.communeId, bed.fixture.communeId));
  awardId = award?.id as string;
});
afterAll(async () => bed?.handle.close());

const deps = () => ({ db: bed.db, clock: bed.clock, collectiveRules: bed.collectiveRules });
const body = { reason: 'Hộ không duy trì phong trào học tập', decisionNumber: '33/QĐ-UBND' };

describe('revoking a collective title', () => {
  it('refuses another commune’s officer and a blank reason, changing nothing', async () => {
    await expect(revokeCollectiveTitle(deps(), bed.officerElsewhere, awardId, body)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(revokeCollectiveTitle(deps(), bed.officer, awardId, { ...body, reason: '  ' })).rejects.toMatchObject({
      code: 'validation_failed',
      details: [{ field: '/body/reason' }],
    });
    const [row] = await bed.db.select().from(collectiveTitleAwards).where(eq(collectiveTitleAwards.id, awardId));
    expect(row?.revokedAt).toBeNull();
  });

  it('revokes with the reason and decision, chained, audited, the head told, and the household no longer counted; twice is a conflict', async () => {
    const { communeId, users } = bed.fixture;
    const revoked = await revokeCollectiveTitle(deps(), bed.officer, awardId, body);
    expect(revoked).toMatchObject({ id: awardId, revocationReason: body.reason, revocationDecisionNumber: '33/QĐ-UBND', name: 'Hộ ông Nguyễn Văn An' });
    const [row] = await bed.db.select().from(collectiveTitleAwards).where(eq(collectiveTitleAwards.id, awardId));
    expect(row).toMatchObject({ revokedBy: bed.officer.userId, revocationDecisionDate: '2026-03-02' });
    const [entry] = await bed.db
      .select()
      .from(evidenceChain)
      .where(and(eq(evidenceChain.subjectId, awardId), eq(evidenceChain.kind, 'collective_title.revoke')));
    expect(entry?.payload).toMatchObject({ reason: body.reason, decisionNumber: '33/QĐ-UBND' });
    expect(revoked.evidence?.seq).toBe(entry?.seq);
    expect(await verifyChain(bed.db)).toMatchObject({ ok: true });
    expect(
      await bed.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.subjectId, awardId), eq(auditLog.action, 'collective_title.revoke'), eq(auditLog.outcome, 'success'))),
    ).toHaveLength(1);
    const [note] = await bed.db
      .select()
      .from(notifications)
      .where(eq(notifications.userId, users.p1 as string));
    expect(note).toMatchObject({ kind: 'collective_title.revoked', params: { title: 'Gia đình học tập', reason: body.reason } });
    await refreshDirtyIndicators(bed.db, bed.clock);
    const [cell] = await queryRows<{ numerator: number }>(
      bed.db,
      sql`select sum(numerator)::int as numerator from indicator_rollups where indicator_id = 'households-title' and year = 2025 and commune_id = ${communeId}`,
    );
    expect(cell?.numerator).toBe(0);
    await expect(revokeCollectiveTitle(deps(), bed.officer, awardId, body)).rejects.toMatchObject({ code: 'conflict' });
    // the database itself refuses to change a revoked award or any other column of an award
    await expect(bed.db.update(collectiveTitleAwards).set({ revokedReason: 'khác' }).where(eq(collectiveTitleAwards.id, awardId))).rejects.toThrow();
  });
});
