import type { ApproveBody, ReviewQueue, ReviewQueueQuery, SelfAssessmentView, TitleAward } from '@hts/contracts';
import {
  assessmentReviewSteps,
  digitalSkillConfirmations,
  geoUnits,
  type PersonTitleAwardRow,
  personTitleAwards,
  type SelfAssessmentRow,
  selfAssessments,
  targetGroups,
  users,
} from '@hts/db';
import { and, asc, desc, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import { type Actor, coversCommune, requireCommuneScope } from '../access/actor.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { appendEvidence } from '../evidence/append-evidence.ts';
import { markIndicatorsDirty } from '../indicators/rollups.ts';
import { checkDecision } from '../shared/decision.ts';
import { DomainError, fieldError } from '../shared/errors.ts';
import { buildAssessmentView } from './assessment-view.ts';
import { type AttestationInput, attestCriteria } from './attest-criteria.ts';
import type { CriteriaDeps, Tx } from './criteria-deps.ts';
import { loadCriteriaVersion } from './criteria-versions.ts';
import { inAppNotifier } from './notifier.ts';
import { awardView, chainEntries } from './title-award-view.ts';

export const PERSON_TITLE = 'cong-dan-hoc-tap';

const canSee = (actor: Actor, row: SelfAssessmentRow) =>
  row.status !== 'draft' && (actor.roles.has('admin') || (!!row.communeId && coversCommune(actor, ['branch', 'officer'], row.communeId)));

/** Assessments in the reviewer's scope: by default submitted ones for a branch, confirmed ones for an officer. */
export async function listReviewQueue(deps: CriteriaDeps, actor: Actor, query: ReviewQueueQuery): Promise<ReviewQueue> {
  const status = query.status ?? (actor.roles.has('branch') || !actor.roles.has('officer') ? 'submitted' : 'confirmed');
  const where: SQL[] = [eq(selfAssessments.status, status)];
  if (query.year) where.push(eq(selfAssessments.year, query.year));
  if (!actor.roles.has('admin')) {
    const communes = new Set<string>();
    for (const role of ['branch', 'officer'] as const) {
      const scope = actor.scopes.get(role);
      if (scope === 'all') return list(deps, where);
      if (scope instanceof Set) for (const c of scope) communes.add(c);
    }
    if (communes.size === 0) return { items: [] };
    where.push(inArray(selfAssessments.communeId, [...communes]));
  }
  return list(deps, where);
}

async function list(deps: CriteriaDeps, where: SQL[]): Promise<ReviewQueue> {
  const rows = await deps.db
    .select({
      id: selfAssessments.id,
      year: selfAssessments.year,
      status: selfAssessments.status,
      fullName: users.fullName,
      commune: geoUnits.name,
      targetGroup: targetGroups.nameVi,
      score: selfAssessments.score,
      predictedPass: selfAssessments.predictedPass,
      submittedAt: selfAssessments.submittedAt,
    })
    .from(selfAssessments)
    .innerJoin(users, eq(users.id, selfAssessments.userId))
    .leftJoin(geoUnits, eq(geoUnits.id, selfAssessments.communeId))
    .leftJoin(targetGroups, eq(targetGroups.id, selfAssessments.targetGroupId))
    .where(and(...where))
    .orderBy(asc(selfAssessments.submittedAt), asc(selfAssessments.id))
    .limit(500);
  return { items: rows.map((r) => ({ ...r, submittedAt: r.submittedAt?.toISOString() ?? null })) };
}

/** One assessment for a reviewer whose scope covers it (reading someone's record is audited). */
export async function getAssessmentForReview(deps: CriteriaDeps, actor: Actor, id: string): Promise<SelfAssessmentView> {
  const [row] = await deps.db.select().from(selfAssessments).where(eq(selfAssessments.id, id));
  if (!row || !canSee(actor, row)) throw new DomainError('not_found', 'no such self-assessment in your scope');
  await recordAudit(
    deps.db,
    { action: 'assessment.read', outcome: 'success', actorUserId: actor.userId, subjectType: 'self_assessment', subjectId: id },
    deps.ctx,
  );
  return buildAssessmentView(deps.db, row);
}

async function lockForReview(tx: Tx, actor: Actor, id: string, roles: Array<'branch' | 'officer'>): Promise<SelfAssessmentRow> {
  const [row] = await tx.select().from(selfAssessments).where(eq(selfAssessments.id, id)).for('update');
  if (!row || row.status === 'draft') throw new DomainError('not_found', 'no such self-assessment');
  if (!row.communeId) throw new DomainError('forbidden', 'this person has no commune; only an admin can review it');
  requireCommuneScope(actor, roles, row.communeId);
  requireNotOwn(actor, row);
  return row;
}

/** A branch cadre or officer is often a citizen too: nobody confirms, returns or approves their own assessment. */
function requireNotOwn(actor: Actor, row: Pick<SelfAssessmentRow, 'id' | 'userId'>): void {
  if (row.userId === actor.userId) throw new DomainError('forbidden', `assessment ${row.id} is your own; another reviewer must decide on it`);
}

/**
 * Branch: confirms a submitted assessment, attesting on the way the criteria it vouches for (those whose evidence
 * includes a branch attestation), which then count with full points.
 */
export async function confirmAssessment(
  deps: CriteriaDeps,
  actor: Actor,
  id: string,
  comment?: string,
  attestations: readonly AttestationInput[] = [],
): Promise<SelfAssessmentView> {
  const now = deps.clock.now();
  const notifier = deps.notifier ?? inAppNotifier;
  const row = await deps.db.transaction(async (tx) => {
    const row = await lockForReview(tx, actor, id, ['branch']);
    if (row.status !== 'submitted') throw new DomainError('conflict', `only a submitted assessment can be confirmed; this one is ${row.status}`);
    if (attestations.length > 0) {
      await attestCriteria(tx, actor, row, (await loadCriteriaVersion(tx, row.criteriaSetVersionId)).def, attestations, now);
      await recordAudit(
        tx,
        {
          action: 'assessment.attest',
          outcome: 'success',
          actorUserId: actor.userId,
          subjectType: 'self_assessment',
          subjectId: id,
          details: { criteria: attestations.map((a) => a.criterionId) },
        },
        deps.ctx,
      );
    }
    const [updated] = await tx
      .update(selfAssessments)
      .set({ status: 'confirmed', confirmedAt: now, updatedAt: now })
      .where(eq(selfAssessments.id, id))
      .returning();
    await tx
      .insert(assessmentReviewSteps)
      .values({ assessmentId: id, actorId: actor.userId, action: 'confirm', comment: comment?.trim() || null, createdAt: now });
    await recordAudit(
      tx,
      { action: 'assessment.confirm', outcome: 'success', actorUserId: actor.userId, subjectType: 'self_assessment', subjectId: id },
      deps.ctx,
    );
    await notifier.notify(tx, {
      userId: row.userId,
      kind: 'assessment.confirmed',
      params: { year: row.year, assessmentId: id, comment: comment?.trim() || null },
    });
    return updated ?? row;
  });
  return buildAssessmentView(deps.db, row);
}

/** Branch (a submitted one) or officer (a confirmed one): sends it back with a comment; the citizen starts again from it. */
export async function returnAssessment(deps: CriteriaDeps, actor: Actor, id: string, comment: string): Promise<SelfAssessmentView> {
  const now = deps.clock.now();
  const notifier = deps.notifier ?? inAppNotifier;
  const text = comment.trim();
  if (text.length < 3) throw fieldError('validation_failed', '/body/comment', 'say what needs to change');
  const row = await deps.db.transaction(async (tx) => {
    const row = await lockForReview(tx, actor, id, ['branch', 'officer']);
    const mayReturn =
      actor.roles.has('admin') ||
      (row.status === 'submitted' && coversCommune(actor, ['branch'], row.communeId as string)) ||
      (row.status === 'confirmed' && coversCommune(actor, ['officer'], row.communeId as string));
    if (row.status !== 'submitted' && row.status !== 'confirmed') throw new DomainError('conflict', `a ${row.status} assessment cannot be returned`);
    if (!mayReturn)
      throw new DomainError('forbidden', `a ${row.status} assessment is returned by the ${row.status === 'submitted' ? 'branch' : 'commune officer'}`);
    const [updated] = await tx
      .update(selfAssessments)
      .set({ status: 'returned', returnedAt: now, updatedAt: now })
      .where(eq(selfAssessments.id, id))
      .returning();
    await tx.insert(assessmentReviewSteps).values({ assessmentId: id, actorId: actor.userId, action: 'return', comment: text, createdAt: now });
    await recordAudit(
      tx,
      { action: 'assessment.return', outcome: 'success', actorUserId: actor.userId, subjectType: 'self_assessment', subjectId: id },
      deps.ctx,
    );
    await notifier.notify(tx, { userId: row.userId, kind: 'assessment.returned', params: { year: row.year, assessmentId: id, comment: text } });
    return updated ?? row;
  });
  return buildAssessmentView(deps.db, row);
}

/**
 * Commune officer: awards the title to confirmed assessments under one decision, all or none. Any assessment
 * outside the officer's commune makes the whole batch 403; one not confirmed makes it 409. Each award is
 * audited and appended to the evidence hash chain in the same transaction, and its citizen is notified.
 */
export async function approveAssessments(deps: CriteriaDeps, actor: Actor, body: ApproveBody): Promise<{ awards: TitleAward[] }> {
  const now = deps.clock.now();
  const notifier = deps.notifier ?? inAppNotifier;
  const decisionNumber = checkDecision(body, now);
  const ids = [...new Set(body.assessmentIds)].sort();
  // An assessment's commune never changes, so the scope is checked (and a refusal audited) before any lock is taken.
  const scoped = await deps.db
    .select({ id: selfAssessments.id, communeId: selfAssessments.communeId })
    .from(selfAssessments)
    .where(inArray(selfAssessments.id, ids));
  const missing = ids.find((id) => !scoped.some((r) => r.id === id));
  if (missing)
    throw new DomainError('not_found', `no such self-assessment ${missing}`, [{ field: '/body/assessmentIds', message: `no such self-assessment ${missing}` }]);
  const outside = scoped.find((r) => !actor.roles.has('admin') && !(r.communeId && coversCommune(actor, ['officer'], r.communeId)));
  if (outside) {
    await recordAudit(
      deps.db,
      { action: 'title.approve', outcome: 'denied', actorUserId: actor.userId, subjectType: 'self_assessment', subjectId: outside.id },
      deps.ctx,
    );
    throw new DomainError('forbidden', `assessment ${outside.id} is outside your commune`);
  }
  return deps.db.transaction(async (tx) => {
    const rows = await tx.select().from(selfAssessments).where(inArray(selfAssessments.id, ids)).orderBy(asc(selfAssessments.id)).for('update');
    for (const row of rows) {
      requireNotOwn(actor, row);
      if (row.status !== 'confirmed') throw new DomainError('conflict', `assessment ${row.id} is ${row.status}; only confirmed assessments can be approved`);
      if (!row.communeId) throw new DomainError('forbidden', `assessment ${row.id} has no commune`);
    }
    // a passing score is the condition of the title: a confirmed assessment below the threshold cannot be approved
    const failing = rows.find((r) => !r.predictedPass);
    if (failing) throw new DomainError('conflict', `assessment ${failing.id} scores ${failing.score}, below the pass mark: return it instead`);
    const awards: PersonTitleAwardRow[] = [];
    for (const row of rows) {
      const [award] = await tx
        .insert(personTitleAwards)
        .values({
          userId: row.userId,
          year: row.year,
          title: PERSON_TITLE,
          classification: row.classification ?? 'dat',
          score: row.score,
          assessmentId: row.id,
          criteriaSetVersionId: row.criteriaSetVersionId,
          communeId: row.communeId as string,
          targetGroupId: row.targetGroupId,
          decisionNumber,
          decisionDate: body.decisionDate,
          approvedBy: actor.userId,
          awardedAt: now,
        })
        .onConflictDoNothing()
        .returning();
      if (!award) throw new DomainError('conflict', `the person of assessment ${row.id} already holds the title for ${row.year}`);
      awards.push(award);
    }
    await tx.update(selfAssessments).set({ status: 'approved', approvedAt: now, updatedAt: now }).where(inArray(selfAssessments.id, ids));
    await tx.insert(assessmentReviewSteps).values(
      rows.map((r) => ({
        assessmentId: r.id,
        actorId: actor.userId,
        action: 'approve' as const,
        decisionNumber,
        decisionDate: body.decisionDate,
        createdAt: now,
      })),
    );
    await appendEvidence(
      tx,
      awards.map((a) => ({
        kind: 'title.award',
        subjectId: a.id,
        payload: {
          userId: a.userId,
          title: a.title,
          year: a.year,
          classification: a.classification,
          score: a.score,
          criteriaSetVersionId: a.criteriaSetVersionId,
          assessmentId: a.assessmentId,
          communeId: a.communeId,
          decisionNumber,
          decisionDate: body.decisionDate,
          approvedBy: actor.userId,
          awardedAt: now.toISOString(),
        },
      })),
      now,
    );
    // the titles count in the commune's indicators from this transaction on
    await markIndicatorsDirty(tx, {
      userIds: awards.map((a) => a.userId),
      communeIds: awards.map((a) => a.communeId),
      inputs: ['person-title'],
      fromYear: Math.min(...awards.map((a) => a.year)),
    });
    for (const a of awards) {
      await recordAudit(
        tx,
        {
          action: 'title.approve',
          outcome: 'success',
          actorUserId: actor.userId,
          subjectType: 'person_title_award',
          subjectId: a.id,
          details: { assessmentId: a.assessmentId, decisionNumber },
        },
        deps.ctx,
      );
      await notifier.notify(tx, {
        userId: a.userId,
        kind: 'title.awarded',
        params: { year: a.year, decisionNumber, decisionDate: body.decisionDate, awardId: a.id },
      });
    }
    const entries = await chainEntries(
      tx,
      awards.map((a) => a.id),
    );
    return { awards: awards.map((a) => awardView(a, entries.get(a.id) ?? null)) };
  });
}

/** The caller's titles (newest first) and live digital-skill confirmation. */
export async function myTitles(deps: CriteriaDeps, actor: Actor) {
  const awards = await deps.db.select().from(personTitleAwards).where(eq(personTitleAwards.userId, actor.userId)).orderBy(desc(personTitleAwards.year));
  const [skill] = await deps.db
    .select()
    .from(digitalSkillConfirmations)
    .where(and(eq(digitalSkillConfirmations.userId, actor.userId), isNull(digitalSkillConfirmations.revokedAt)));
  const entries = await chainEntries(
    deps.db,
    awards.map((a) => a.id),
  );
  return {
    awards: awards.map((a) => awardView(a, entries.get(a.id) ?? null)),
    digitalSkill: skill
      ? { id: skill.id, ruleVersionId: skill.ruleVersionId, source: skill.source, sourceRef: skill.sourceRef, confirmedAt: skill.confirmedAt.toISOString() }
      : null,
  };
}
