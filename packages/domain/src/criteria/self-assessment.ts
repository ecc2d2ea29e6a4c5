import type { EvidenceLink, SaveItemsBody, SelfAssessmentView } from '@hts/contracts';
import {
  assessmentAttachments,
  assessmentReviewSteps,
  courseCompletions,
  courses,
  digitalSkillConfirmations,
  type SelfAssessmentRow,
  selfAssessmentItems,
  selfAssessments,
  users,
} from '@hts/db';
import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { DomainError, fieldError } from '../shared/errors.ts';
import { buildAssessmentView } from './assessment-view.ts';
import type { CriteriaDeps, Tx } from './criteria-deps.ts';
import { criteriaSetFor, loadCriteriaVersion } from './criteria-versions.ts';
import { refreshDraft } from './draft.ts';
import { inAppNotifier } from './notifier.ts';
import { completionLink, digitalSkillLink } from './platform-evidence.ts';

/**
 * Opens the person's self-assessment for `year`: the current one (refreshed with new evidence while it is a
 * draft), or a new draft by their group's criteria set, pre-filled from the platform and carrying over what they
 * declared in an assessment that was returned to them.
 */
export async function openSelfAssessment(deps: CriteriaDeps, actor: Actor, year: number): Promise<SelfAssessmentView> {
  const now = deps.clock.now();
  if (year > now.getUTCFullYear()) throw fieldError('validation_failed', '/body/year', `the year ${year} has not started`);
  const [user] = await deps.db.select({ communeId: users.communeId, targetGroupId: users.targetGroupId }).from(users).where(eq(users.id, actor.userId));
  if (!user) throw new DomainError('not_found', 'no such user');
  const row = await deps.db.transaction(async (tx) => {
    const current = await currentFor(tx, actor.userId, year);
    if (current) {
      if (current.status !== 'draft') return current;
      return refreshDraft(tx, current, (await loadCriteriaVersion(tx, current.criteriaSetVersionId)).def, now);
    }
    const set = await criteriaSetFor(tx, user.targetGroupId, year);
    const [returned] = await tx
      .select()
      .from(selfAssessments)
      .where(and(eq(selfAssessments.userId, actor.userId), eq(selfAssessments.year, year), eq(selfAssessments.status, 'returned')))
      .orderBy(desc(selfAssessments.createdAt))
      .limit(1);
    const [created] = await tx
      .insert(selfAssessments)
      .values({
        userId: actor.userId,
        year,
        criteriaSetVersionId: set.row.id,
        communeId: user.communeId,
        targetGroupId: user.targetGroupId,
        disadvantagedArea: returned?.disadvantagedArea ?? false,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    // another request of the same person created it a moment ago
    if (!created) return (await currentFor(tx, actor.userId, year)) as SelfAssessmentRow;
    if (returned) {
      const known = new Set(set.def.groups.flatMap((g) => g.criteria.map((c) => c.id)));
      const declared = (await tx.select().from(selfAssessmentItems).where(eq(selfAssessmentItems.assessmentId, returned.id))).filter(
        (i) => i.basis === 'declared' && known.has(i.criterionId),
      );
      if (declared.length > 0) await tx.insert(selfAssessmentItems).values(declared.map((i) => ({ ...i, assessmentId: created.id, updatedAt: now })));
    }
    return refreshDraft(tx, created, set.def, now);
  });
  return buildAssessmentView(deps.db, row);
}

async function currentFor(tx: Tx, userId: string, year: number): Promise<SelfAssessmentRow | undefined> {
  const [row] = await tx
    .select()
    .from(selfAssessments)
    .where(and(eq(selfAssessments.userId, userId), eq(selfAssessments.year, year), ne(selfAssessments.status, 'returned')))
    .for('update');
  return row;
}

/** The caller's own assessment, locked; someone else's is "not found" (its existence is not revealed). */
async function ownAssessment(tx: Tx, actor: Actor, id: string): Promise<SelfAssessmentRow> {
  const [row] = await tx.select().from(selfAssessments).where(eq(selfAssessments.id, id)).for('update');
  if (!row || row.userId !== actor.userId) throw new DomainError('not_found', 'no such self-assessment');
  return row;
}

function requireDraft(row: SelfAssessmentRow): void {
  if (row.status === 'draft') return;
  const why =
    row.status === 'approved'
      ? `the title for ${row.year} is already approved`
      : row.status === 'returned'
        ? 'this assessment was returned; open the year again to start a new one'
        : `the assessment for ${row.year} is already ${row.status}`;
  throw new DomainError('conflict', why);
}

/**
 * Saves what the citizen declares. Points above a criterion's maximum, unknown criteria and attachments on a
 * criterion that takes none are 400; an attachment or a platform record that belongs to someone else is 403.
 * Criteria backed by evidence keep their points (only the comment and attachments can be added).
 */
export async function saveSelfAssessment(deps: CriteriaDeps, actor: Actor, id: string, body: SaveItemsBody): Promise<SelfAssessmentView> {
  const now = deps.clock.now();
  const row = await deps.db.transaction(async (tx) => {
    let assessment = await ownAssessment(tx, actor, id);
    requireDraft(assessment);
    const { def } = await loadCriteriaVersion(tx, assessment.criteriaSetVersionId);
    const criteria = new Map(def.groups.flatMap((g) => g.criteria).map((c) => [c.id, c]));
    const seen = new Set<string>();
    body.items.forEach((item, i) => {
      const criterion = criteria.get(item.criterionId);
      if (!criterion)
        throw fieldError('validation_failed', `/body/items/${i}/criterionId`, `criterion ${item.criterionId} is not in ${assessment.criteriaSetVersionId}`);
      if (seen.has(item.criterionId)) throw fieldError('validation_failed', `/body/items/${i}/criterionId`, `criterion ${item.criterionId} appears twice`);
      seen.add(item.criterionId);
      if (item.points > criterion.points)
        throw fieldError('validation_failed', `/body/items/${i}/points`, `criterion ${criterion.id} is worth at most ${criterion.points} points`);
      const declared = criterion.evidence.find((e) => e.kind === 'declared');
      if ((item.attachmentIds?.length ?? 0) > 0 && (declared?.kind !== 'declared' || declared.attachment === 'none'))
        throw fieldError('validation_failed', `/body/items/${i}/attachmentIds`, `criterion ${criterion.id} takes no attachments`);
    });
    await checkOwnership(tx, actor.userId, body);
    if (body.disadvantagedArea !== undefined && body.disadvantagedArea !== assessment.disadvantagedArea) {
      const [updated] = await tx
        .update(selfAssessments)
        .set({ disadvantagedArea: body.disadvantagedArea, updatedAt: now })
        .where(eq(selfAssessments.id, id))
        .returning();
      if (updated) assessment = updated;
    }
    const existing = new Map((await tx.select().from(selfAssessmentItems).where(eq(selfAssessmentItems.assessmentId, id))).map((i) => [i.criterionId, i]));
    for (const item of body.items) {
      const prior = existing.get(item.criterionId);
      const attachmentIds = item.attachmentIds ?? prior?.attachmentIds ?? [];
      const comment = item.comment === undefined ? (prior?.comment ?? null) : item.comment?.trim() || null;
      if (prior?.basis === 'evidence') {
        await tx
          .update(selfAssessmentItems)
          .set({ attachmentIds, comment, updatedAt: now })
          .where(and(eq(selfAssessmentItems.assessmentId, id), eq(selfAssessmentItems.criterionId, item.criterionId)));
        continue;
      }
      const evidence = item.evidence ? await ownEvidenceLinks(tx, item.evidence) : (prior?.evidence ?? []);
      await tx
        .insert(selfAssessmentItems)
        .values({ assessmentId: id, criterionId: item.criterionId, basis: 'declared', points: item.points, evidence, attachmentIds, comment, updatedAt: now })
        .onConflictDoUpdate({
          target: [selfAssessmentItems.assessmentId, selfAssessmentItems.criterionId],
          set: { basis: 'declared', points: item.points, evidence, attachmentIds, comment, updatedAt: now },
        });
    }
    return refreshDraft(tx, assessment, def, now);
  });
  return buildAssessmentView(deps.db, row);
}

/** Attachments and platform records named in the body must exist (404) and be the caller's own (403). */
async function checkOwnership(tx: Tx, userId: string, body: SaveItemsBody): Promise<void> {
  const attachmentIds = [...new Set(body.items.flatMap((i) => i.attachmentIds ?? []))];
  if (attachmentIds.length > 0) {
    const rows = await tx
      .select({ id: assessmentAttachments.id, ownerId: assessmentAttachments.ownerId })
      .from(assessmentAttachments)
      .where(inArray(assessmentAttachments.id, attachmentIds));
    const missing = attachmentIds.find((a) => !rows.some((r) => r.id === a));
    if (missing)
      throw new DomainError('not_found', `no such attachment ${missing}`, [{ field: '/body/items/attachmentIds', message: `no such attachment ${missing}` }]);
    if (rows.some((r) => r.ownerId !== userId)) throw new DomainError('forbidden', 'an attachment belongs to someone else');
  }
  const refs = body.items.flatMap((i) => i.evidence ?? []);
  const completionIds = refs.filter((r) => r.kind === 'course_completion').map((r) => r.id);
  const confirmationIds = refs.filter((r) => r.kind === 'digital_skill_confirmation').map((r) => r.id);
  const owners = [
    ...(completionIds.length
      ? await tx
          .select({ id: courseCompletions.id, userId: courseCompletions.userId })
          .from(courseCompletions)
          .where(inArray(courseCompletions.id, completionIds))
      : []),
    ...(confirmationIds.length
      ? await tx
          .select({ id: digitalSkillConfirmations.id, userId: digitalSkillConfirmations.userId })
          .from(digitalSkillConfirmations)
          .where(inArray(digitalSkillConfirmations.id, confirmationIds))
      : []),
  ];
  const missing = refs.find((r) => !owners.some((o) => o.id === r.id));
  if (missing)
    throw new DomainError('not_found', `no such ${missing.kind} ${missing.id}`, [{ field: '/body/items/evidence', message: `no such record ${missing.id}` }]);
  if (owners.some((o) => o.userId !== userId)) throw new DomainError('forbidden', 'that evidence belongs to someone else');
}

async function ownEvidenceLinks(tx: Tx, refs: NonNullable<SaveItemsBody['items'][number]['evidence']>) {
  const links: EvidenceLink[] = [];
  for (const ref of refs) {
    if (ref.kind === 'course_completion') {
      const [c] = await tx
        .select({
          id: courseCompletions.id,
          courseId: courses.id,
          slug: courses.slug,
          title: courses.title,
          competences: courses.competences,
          completedAt: courseCompletions.completedAt,
        })
        .from(courseCompletions)
        .innerJoin(courses, eq(courses.id, courseCompletions.courseId))
        .where(eq(courseCompletions.id, ref.id));
      if (c) links.push(completionLink(c));
    } else {
      const [d] = await tx
        .select({
          id: digitalSkillConfirmations.id,
          ruleVersionId: digitalSkillConfirmations.ruleVersionId,
          confirmedAt: digitalSkillConfirmations.confirmedAt,
        })
        .from(digitalSkillConfirmations)
        .where(eq(digitalSkillConfirmations.id, ref.id));
      if (d) links.push(digitalSkillLink(d));
    }
  }
  return links;
}

/** Sends a draft to the branch. A year already submitted, confirmed or approved is 409. */
export async function submitSelfAssessment(deps: CriteriaDeps, actor: Actor, id: string): Promise<SelfAssessmentView> {
  const now = deps.clock.now();
  const notifier = deps.notifier ?? inAppNotifier;
  const row = await deps.db.transaction(async (tx) => {
    const assessment = await ownAssessment(tx, actor, id);
    requireDraft(assessment);
    const { def } = await loadCriteriaVersion(tx, assessment.criteriaSetVersionId);
    const refreshed = await refreshDraft(tx, assessment, def, now);
    const items = await tx.select().from(selfAssessmentItems).where(eq(selfAssessmentItems.assessmentId, id));
    for (const criterion of def.groups.flatMap((g) => g.criteria)) {
      const declared = criterion.evidence.find((e) => e.kind === 'declared');
      const item = items.find((i) => i.criterionId === criterion.id);
      if (
        declared?.kind === 'declared' &&
        declared.attachment === 'required' &&
        item?.basis === 'declared' &&
        item.points > 0 &&
        item.attachmentIds.length === 0
      )
        throw fieldError('validation_failed', `/items/${criterion.id}/attachmentIds`, `criterion ${criterion.id} needs a photo or document`);
    }
    const [submitted] = await tx
      .update(selfAssessments)
      .set({ status: 'submitted', submittedAt: now, updatedAt: now })
      .where(eq(selfAssessments.id, id))
      .returning();
    await tx.insert(assessmentReviewSteps).values({ assessmentId: id, actorId: actor.userId, action: 'submit', createdAt: now });
    await recordAudit(
      tx,
      {
        action: 'assessment.submit',
        outcome: 'success',
        actorUserId: actor.userId,
        subjectType: 'self_assessment',
        subjectId: id,
        details: { year: assessment.year, score: refreshed.score },
      },
      deps.ctx,
    );
    await notifier.notify(tx, {
      userId: assessment.userId,
      kind: 'assessment.submitted',
      params: { year: assessment.year, score: refreshed.score, assessmentId: id },
    });
    return submitted ?? refreshed;
  });
  return buildAssessmentView(deps.db, row);
}
