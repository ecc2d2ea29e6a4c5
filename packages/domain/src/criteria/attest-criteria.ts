import type { CriteriaSetDef, EvidenceLink } from '@hts/contracts';
import { assessmentAttestations, type SelfAssessmentRow, selfAssessmentItems, users } from '@hts/db';
import { eq } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { fieldError } from '../shared/errors.ts';
import type { Tx } from './criteria-deps.ts';
import { storeScore } from './draft.ts';

export interface AttestationInput {
  criterionId: string;
  comment?: string | undefined;
}

/**
 * The branch reviewer attests criteria of an assessment under review. Only criteria whose evidence includes a
 * branch attestation can be attested (400 naming the entry otherwise); each gets its full points, backed by the
 * attestation (who, when, comment) as its evidence, keeping what the citizen attached. Stores the new score.
 * Runs inside the review's transaction, on the locked assessment.
 */
export async function attestCriteria(
  tx: Tx,
  actor: Actor,
  assessment: SelfAssessmentRow,
  def: CriteriaSetDef,
  attestations: readonly AttestationInput[],
  now: Date,
): Promise<SelfAssessmentRow> {
  if (attestations.length === 0) return assessment;
  const criteria = new Map(def.groups.flatMap((g) => g.criteria).map((c) => [c.id, c]));
  const seen = new Set<string>();
  attestations.forEach((a, i) => {
    const criterion = criteria.get(a.criterionId);
    const field = `/body/attestations/${i}/criterionId`;
    if (!criterion) throw fieldError('validation_failed', field, `criterion ${a.criterionId} is not in ${assessment.criteriaSetVersionId}`);
    if (!criterion.evidence.some((e) => e.kind === 'attestation'))
      throw fieldError('validation_failed', field, `criterion ${a.criterionId} is not one the branch attests`);
    if (seen.has(a.criterionId)) throw fieldError('validation_failed', field, `criterion ${a.criterionId} appears twice`);
    seen.add(a.criterionId);
  });
  const [reviewer] = await tx.select({ fullName: users.fullName }).from(users).where(eq(users.id, actor.userId));
  const items = new Map(
    (await tx.select().from(selfAssessmentItems).where(eq(selfAssessmentItems.assessmentId, assessment.id))).map((i) => [i.criterionId, i]),
  );
  for (const a of attestations) {
    const criterion = criteria.get(a.criterionId);
    if (!criterion) continue;
    const comment = a.comment?.trim() || null;
    const [row] = await tx
      .insert(assessmentAttestations)
      .values({ assessmentId: assessment.id, criterionId: a.criterionId, attestedBy: actor.userId, comment, attestedAt: now })
      .onConflictDoUpdate({
        target: [assessmentAttestations.assessmentId, assessmentAttestations.criterionId],
        set: { attestedBy: actor.userId, comment, attestedAt: now },
      })
      .returning();
    if (!row) continue;
    const link: EvidenceLink = { kind: 'attestation', id: row.id, label: reviewer?.fullName ?? '', href: null, at: now.toISOString() };
    const prior = items.get(a.criterionId);
    const evidence = [...(prior?.evidence ?? []).filter((e) => e.kind !== 'attestation'), link];
    await tx
      .insert(selfAssessmentItems)
      .values({ assessmentId: assessment.id, criterionId: a.criterionId, basis: 'evidence', points: criterion.points, evidence, updatedAt: now })
      .onConflictDoUpdate({
        target: [selfAssessmentItems.assessmentId, selfAssessmentItems.criterionId],
        set: { basis: 'evidence', points: criterion.points, evidence, updatedAt: now },
      });
    items.set(a.criterionId, {
      ...(prior ?? { attachmentIds: [], comment: null }),
      assessmentId: assessment.id,
      criterionId: a.criterionId,
      basis: 'evidence',
      points: criterion.points,
      evidence,
      updatedAt: now,
    });
  }
  return storeScore(tx, assessment, def, Object.fromEntries([...items.values()].map((i) => [i.criterionId, i.points])), now);
}
