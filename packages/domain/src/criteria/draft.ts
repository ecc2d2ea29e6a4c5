import type { CriteriaSetDef } from '@hts/contracts';
import { type SelfAssessmentRow, selfAssessmentItems, selfAssessments } from '@hts/db';
import { and, eq } from 'drizzle-orm';
import type { Tx } from './criteria-deps.ts';
import { collectPlatformEvidence, prefillFromEvidence } from './platform-evidence.ts';
import { scoreAssessment } from './score.ts';

/**
 * Brings a draft up to date with the evidence on the platform: criteria it satisfies become evidence-backed with
 * full points and links (the citizen's comment and attachments stay); a criterion whose evidence went away
 * (a revoked confirmation) falls back to a declaration of 0 points. Then stores the score.
 */
export async function refreshDraft(tx: Tx, assessment: SelfAssessmentRow, def: CriteriaSetDef, now: Date): Promise<SelfAssessmentRow> {
  const prefill = prefillFromEvidence(def, await collectPlatformEvidence(tx, assessment.userId));
  const items = await tx.select().from(selfAssessmentItems).where(eq(selfAssessmentItems.assessmentId, assessment.id));
  const byId = new Map(items.map((i) => [i.criterionId, i]));
  for (const [criterionId, filled] of prefill) {
    const existing = byId.get(criterionId);
    await tx
      .insert(selfAssessmentItems)
      .values({ assessmentId: assessment.id, criterionId, basis: 'evidence', points: filled.points, evidence: filled.evidence, updatedAt: now })
      .onConflictDoUpdate({
        target: [selfAssessmentItems.assessmentId, selfAssessmentItems.criterionId],
        set: { basis: 'evidence', points: filled.points, evidence: filled.evidence, updatedAt: now },
      });
    byId.set(criterionId, {
      ...(existing ?? { attachmentIds: [], comment: null }),
      assessmentId: assessment.id,
      criterionId,
      basis: 'evidence',
      points: filled.points,
      evidence: filled.evidence,
      updatedAt: now,
    });
  }
  for (const item of items) {
    if (item.basis !== 'evidence' || prefill.has(item.criterionId)) continue;
    await tx
      .update(selfAssessmentItems)
      .set({ basis: 'declared', points: 0, evidence: [], updatedAt: now })
      .where(and(eq(selfAssessmentItems.assessmentId, assessment.id), eq(selfAssessmentItems.criterionId, item.criterionId)));
    byId.set(item.criterionId, { ...item, basis: 'declared', points: 0, evidence: [] });
  }
  return storeScore(tx, assessment, def, Object.fromEntries([...byId.values()].map((i) => [i.criterionId, i.points])), now);
}

export async function storeScore(
  tx: Tx,
  assessment: SelfAssessmentRow,
  def: CriteriaSetDef,
  points: Record<string, number>,
  now: Date,
): Promise<SelfAssessmentRow> {
  const result = scoreAssessment(def, points, { disadvantagedArea: assessment.disadvantagedArea });
  const [row] = await tx
    .update(selfAssessments)
    .set({ score: result.score, predictedPass: result.pass, classification: result.pass ? result.classification.code : null, updatedAt: now })
    .where(eq(selfAssessments.id, assessment.id))
    .returning();
  return row ?? assessment;
}
