import { assessmentAttestations, auditLog, selfAssessmentItems, selfAssessments } from '@hts/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTitlesTestbed, type TitlesTestbed } from '../collective/titles-testbed.ts';
import { confirmAssessment } from './review.ts';

let bed: TitlesTestbed;
let assessmentId: string;
beforeAll(async () => {
  bed = await openTitlesTestbed();
  const [row] = await bed.db
    .insert(selfAssessments)
    .values({
      userId: bed.fixture.users.p3 as string,
      year: 2026,
      criteriaSetVersionId: 'cdht-nong-dan@2025.1',
      communeId: bed.fixture.communeId,
      status: 'submitted',
      submittedAt: new Date('2026-03-01T00:00:00Z'),
    })
    .returning();
  assessmentId = row?.id as string;
  // the citizen declared 4 of 10 on criterion 9, with a comment
  await bed.db.insert(selfAssessmentItems).values({ assessmentId, criterionId: '9', basis: 'declared', points: 4, comment: 'Hòa giải ở thôn' });
});
afterAll(async () => bed?.handle.close());

const deps = () => ({ db: bed.db, clock: bed.clock });

describe('branch attestation while confirming', () => {
  it('refuses a criterion that takes no attestation, naming the entry, and confirms nothing', async () => {
    await expect(confirmAssessment(deps(), bed.branch, assessmentId, undefined, [{ criterionId: '3' }, { criterionId: '7' }])).rejects.toMatchObject({
      code: 'validation_failed',
      details: [{ field: '/body/attestations/1/criterionId' }],
    });
    const [row] = await bed.db.select().from(selfAssessments).where(eq(selfAssessments.id, assessmentId));
    expect(row?.status).toBe('submitted');
    expect(await bed.db.select().from(assessmentAttestations)).toEqual([]);
  });

  it('gives the attested criteria full points backed by who attested, when and why, keeping the citizen’s comment', async () => {
    const view = await confirmAssessment(deps(), bed.branch, assessmentId, 'Đúng', [
      { criterionId: '3', comment: 'Sinh hoạt câu lạc bộ đều' },
      { criterionId: '9' },
    ]);
    expect(view.status).toBe('confirmed');
    expect(view.result.score).toBe(20);
    const criteria = view.groups.flatMap((g) => g.criteria);
    const three = criteria.find((c) => c.id === '3');
    expect(three?.attestation).toEqual({ by: 'Chi hội Thử Nghiệm', at: '2026-03-02T08:00:00.000Z', comment: 'Sinh hoạt câu lạc bộ đều' });
    expect(three?.item).toMatchObject({ basis: 'evidence', points: 10, evidence: [{ kind: 'attestation', label: 'Chi hội Thử Nghiệm' }] });
    expect(criteria.find((c) => c.id === '9')?.item).toMatchObject({ points: 10, comment: 'Hòa giải ở thôn' });
    expect(criteria.find((c) => c.id === '4')?.attestation).toBeNull();
    const [stored] = await bed.db.select().from(selfAssessments).where(eq(selfAssessments.id, assessmentId));
    expect(stored?.score).toBe(20);
    expect(
      await bed.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.subjectId, assessmentId), eq(auditLog.action, 'assessment.attest'))),
    ).toHaveLength(1);
  });
});
