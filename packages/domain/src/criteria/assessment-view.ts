import type { AttachmentInfo, CriteriaSetDef, EvidenceLink, SelfAssessmentView } from '@hts/contracts';
import {
  assessmentAttachments,
  assessmentAttestations,
  assessmentReviewSteps,
  criteriaSetVersions,
  type Db,
  geoUnits,
  personTitleAwards,
  type SelfAssessmentRow,
  selfAssessmentItems,
  selfAssessments,
  targetGroups,
  users,
} from '@hts/db';
import { asc, eq, inArray } from 'drizzle-orm';
import { scoreAssessment } from './score.ts';
import { awardView, chainEntries } from './title-award-view.ts';

type Reader = Pick<Db, 'select'>;

/** Builds what the citizen's form and the reviewer's page show; the score is recomputed from the stored items. */
export async function buildAssessmentView(db: Reader, assessment: SelfAssessmentRow): Promise<SelfAssessmentView> {
  const [set] = await db.select().from(criteriaSetVersions).where(eq(criteriaSetVersions.id, assessment.criteriaSetVersionId));
  if (!set) throw new Error(`criteria version ${assessment.criteriaSetVersionId} is missing`);
  const def = set.definition as unknown as CriteriaSetDef;
  const items = await db.select().from(selfAssessmentItems).where(eq(selfAssessmentItems.assessmentId, assessment.id));
  const attachmentIds = items.flatMap((i) => i.attachmentIds);
  const attachments = attachmentIds.length
    ? await db
        .select({
          id: assessmentAttachments.id,
          fileName: assessmentAttachments.fileName,
          contentType: assessmentAttachments.contentType,
          size: assessmentAttachments.size,
        })
        .from(assessmentAttachments)
        .where(inArray(assessmentAttachments.id, attachmentIds))
    : [];
  const attachmentById = new Map<string, AttachmentInfo>(attachments.map((a) => [a.id, a]));
  const [person] = await db
    .select({ id: users.id, fullName: users.fullName, commune: geoUnits.name, targetGroup: targetGroups.nameVi })
    .from(selfAssessments)
    .innerJoin(users, eq(users.id, selfAssessments.userId))
    .leftJoin(geoUnits, eq(geoUnits.id, selfAssessments.communeId))
    .leftJoin(targetGroups, eq(targetGroups.id, selfAssessments.targetGroupId))
    .where(eq(selfAssessments.id, assessment.id));
  const steps = await db
    .select({
      action: assessmentReviewSteps.action,
      actorName: users.fullName,
      comment: assessmentReviewSteps.comment,
      decisionNumber: assessmentReviewSteps.decisionNumber,
      decisionDate: assessmentReviewSteps.decisionDate,
      at: assessmentReviewSteps.createdAt,
    })
    .from(assessmentReviewSteps)
    .leftJoin(users, eq(users.id, assessmentReviewSteps.actorId))
    .where(eq(assessmentReviewSteps.assessmentId, assessment.id))
    .orderBy(asc(assessmentReviewSteps.createdAt));

  const attestations = await db
    .select({
      criterionId: assessmentAttestations.criterionId,
      by: users.fullName,
      at: assessmentAttestations.attestedAt,
      comment: assessmentAttestations.comment,
    })
    .from(assessmentAttestations)
    .leftJoin(users, eq(users.id, assessmentAttestations.attestedBy))
    .where(eq(assessmentAttestations.assessmentId, assessment.id));
  const attestationOf = new Map(attestations.map((a) => [a.criterionId, { by: a.by, at: a.at.toISOString(), comment: a.comment }]));

  const [award] = await db.select().from(personTitleAwards).where(eq(personTitleAwards.assessmentId, assessment.id));
  const awardEntry = award ? (await chainEntries(db, [award.id])).get(award.id) : undefined;

  const itemById = new Map(items.map((i) => [i.criterionId, i]));
  const points = Object.fromEntries(items.map((i) => [i.criterionId, i.points]));
  const result = scoreAssessment(def, points, { disadvantagedArea: assessment.disadvantagedArea });
  return {
    id: assessment.id,
    year: assessment.year,
    status: assessment.status,
    editable: assessment.status === 'draft',
    disadvantagedArea: assessment.disadvantagedArea,
    person: { id: assessment.userId, fullName: person?.fullName ?? '', commune: person?.commune ?? null, targetGroup: person?.targetGroup ?? null },
    criteriaSet: { id: set.id, title: def.title, version: set.version, source: set.source, status: set.status },
    pass: def.pass,
    classifications: def.classifications,
    failClassification: def.failClassification,
    groups: def.groups.map((g) => ({
      code: g.code,
      name: g.name,
      criteria: g.criteria.map((c) => {
        const item = itemById.get(c.id);
        const declared = c.evidence.find((e) => e.kind === 'declared');
        return {
          id: c.id,
          title: c.title,
          hint: c.hint,
          points: c.points,
          evidenceKinds: c.evidence.map((e) => e.kind),
          attachment: declared?.kind === 'declared' ? declared.attachment : 'none',
          prefilled: item?.basis === 'evidence',
          item: item
            ? {
                basis: item.basis as 'declared' | 'evidence',
                points: item.points,
                evidence: item.evidence.map((e): EvidenceLink => ({ kind: e.kind, id: e.id, label: e.label, href: e.href ?? null, at: e.at ?? null })),
                attachments: item.attachmentIds.map((id) => attachmentById.get(id)).filter((a): a is AttachmentInfo => !!a),
                comment: item.comment,
              }
            : null,
          attestation: attestationOf.get(c.id) ?? null,
        };
      }),
    })),
    result: {
      score: result.score,
      maxScore: result.maxScore,
      threshold: result.threshold,
      pass: result.pass,
      classification: result.classification,
      belowMinimum: result.belowMinimum,
    },
    history: steps.map((s) => ({ ...s, at: s.at.toISOString() })),
    submittedAt: assessment.submittedAt?.toISOString() ?? null,
    approvedAt: assessment.approvedAt?.toISOString() ?? null,
    award: award ? awardView(award, awardEntry ?? null) : null,
  };
}
