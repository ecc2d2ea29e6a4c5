import type { DigitalSkillView, EvidenceLink } from '@hts/contracts';
import { courseCompletions, courses, digitalSkillConfirmations, quizAttempts, users } from '@hts/db';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { type Actor, requireCommuneScope } from '../access/actor.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { appendEvidence } from '../evidence/append-evidence.ts';
import { localYear, markIndicatorsDirty } from '../indicators/rollups.ts';
import { DomainError } from '../shared/errors.ts';
import { checkAttachmentsOwnedBy } from './attachments.ts';
import type { CriteriaDeps, Tx } from './criteria-deps.ts';
import { digitalSkillRuleFor } from './criteria-versions.ts';
import { inAppNotifier, type Notifier } from './notifier.ts';
import { completionLink } from './platform-evidence.ts';

export interface RuleCompletion {
  id: string;
  slug: string;
  competences: string[];
  /** Best submitted score per quiz lesson of the enrolment. */
  bestQuizScores: number[];
}

/**
 * Does the digital-skill rule hold for these completed courses? Pure. A course counts when the best attempt of
 * each of its quizzes reaches the rule's pass percent; the counted courses must cover every required competence
 * and include every required course. Returns the counted completions that made it hold, or null.
 */
export function digitalSkillRuleHolds<C extends RuleCompletion>(
  rule: { competences: string[]; courses: string[]; testPassPercent: number },
  completions: C[],
): C[] | null {
  const counted = completions.filter((c) => c.bestQuizScores.every((s) => s >= rule.testPassPercent));
  const covered = new Set(counted.flatMap((c) => c.competences));
  const slugs = new Set(counted.map((c) => c.slug));
  if (!rule.competences.every((code) => covered.has(code)) || !rule.courses.every((s) => slugs.has(s))) return null;
  const wanted = new Set(rule.competences);
  return counted.filter((c) => rule.courses.includes(c.slug) || c.competences.some((code) => wanted.has(code)));
}

/**
 * Creates the automatic "có kỹ năng số" confirmation when the rule in force holds for the person's completed
 * courses. Runs in the transaction that writes a course completion, so the confirmation and its hash-chain entry
 * commit with it. Does nothing when the person already has a live confirmation.
 */
export async function confirmDigitalSkillIfRuleHolds(tx: Tx, userId: string, now: Date, notifier: Notifier = inAppNotifier): Promise<string | null> {
  const rule = await digitalSkillRuleFor(tx, now.getUTCFullYear());
  if (!rule) return null;
  const [live] = await tx
    .select({ id: digitalSkillConfirmations.id })
    .from(digitalSkillConfirmations)
    .where(and(eq(digitalSkillConfirmations.userId, userId), isNull(digitalSkillConfirmations.revokedAt)));
  if (live) return null;
  const completions = await tx
    .select({
      id: courseCompletions.id,
      enrolmentId: courseCompletions.enrolmentId,
      courseId: courses.id,
      slug: courses.slug,
      title: courses.title,
      competences: courses.competences,
      completedAt: courseCompletions.completedAt,
    })
    .from(courseCompletions)
    .innerJoin(courses, eq(courses.id, courseCompletions.courseId))
    .where(eq(courseCompletions.userId, userId));
  if (completions.length === 0) return null;
  const attempts = await tx
    .select({ enrolmentId: quizAttempts.enrolmentId, lessonId: quizAttempts.lessonId, score: quizAttempts.scorePercent })
    .from(quizAttempts)
    .where(
      and(
        inArray(
          quizAttempts.enrolmentId,
          completions.map((c) => c.enrolmentId),
        ),
        eq(quizAttempts.status, 'submitted'),
      ),
    );
  const best = new Map<string, number>();
  for (const a of attempts) {
    const key = `${a.enrolmentId}/${a.lessonId}`;
    best.set(key, Math.max(best.get(key) ?? 0, a.score ?? 0));
  }
  const input = completions.map((c) => ({
    ...c,
    bestQuizScores: [...best.entries()].filter(([k]) => k.startsWith(`${c.enrolmentId}/`)).map(([, v]) => v),
  }));
  const counted = digitalSkillRuleHolds(rule.def.rule, input);
  if (!counted) return null;
  const [user] = await tx.select({ communeId: users.communeId, targetGroupId: users.targetGroupId }).from(users).where(eq(users.id, userId));
  const latest = [...counted].sort((a, b) => b.completedAt.getTime() - a.completedAt.getTime())[0];
  const evidence: EvidenceLink[] = counted.map((c) => completionLink(c));
  const [row] = await tx
    .insert(digitalSkillConfirmations)
    .values({
      userId,
      ruleVersionId: rule.id,
      source: 'automatic',
      sourceRef: latest ? `course_completion:${latest.id}` : null,
      evidence,
      communeId: user?.communeId ?? null,
      targetGroupId: user?.targetGroupId ?? null,
      confirmedAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: digitalSkillConfirmations.id });
  if (!row) return null;
  await appendEvidence(
    tx,
    [
      {
        kind: 'digital_skill.confirm',
        subjectId: row.id,
        payload: { userId, ruleVersionId: rule.id, source: 'automatic', completions: counted.map((c) => c.id), confirmedAt: now.toISOString() },
      },
    ],
    now,
  );
  await markIndicatorsDirty(tx, { userIds: [userId], inputs: ['digital-skills'], fromYear: localYear(now) });
  await notifier.notify(tx, { userId, kind: 'digital_skill.confirmed', params: { ruleVersionId: rule.id, source: 'automatic' } });
  return row.id;
}

/** Officer: confirms "có kỹ năng số" for a person of their commune, recording what they checked (409 if one is live). */
export async function confirmDigitalSkillByOfficer(
  deps: CriteriaDeps,
  actor: Actor,
  input: { userId: string; note: string; attachmentIds?: string[] },
): Promise<DigitalSkillView> {
  const now = deps.clock.now();
  const notifier = deps.notifier ?? inAppNotifier;
  const [person] = await deps.db
    .select({ id: users.id, communeId: users.communeId, targetGroupId: users.targetGroupId })
    .from(users)
    .where(eq(users.id, input.userId));
  if (!person) throw new DomainError('not_found', 'no such person', [{ field: '/body/userId', message: 'no such person' }]);
  if (!person.communeId) throw new DomainError('forbidden', 'this person has no commune; only an admin can confirm');
  requireCommuneScope(actor, ['officer'], person.communeId);
  // officers live in their communes too: their own confirmation comes from another officer, the rule or an import
  if (person.id === actor.userId)
    throw new DomainError('forbidden', 'you cannot confirm your own digital skills; another officer must', [{ field: '/body/userId', message: 'this is you' }]);
  const rule = await digitalSkillRuleFor(deps.db, now.getUTCFullYear());
  if (!rule) throw new DomainError('conflict', `no digital-skill rule covers ${now.getUTCFullYear()}`);
  return deps.db.transaction(async (tx) => {
    if (input.attachmentIds?.length) await checkAttachmentsOwnedBy(tx, input.attachmentIds, [actor.userId, input.userId]);
    const [row] = await tx
      .insert(digitalSkillConfirmations)
      .values({
        userId: input.userId,
        ruleVersionId: rule.id,
        source: 'officer',
        sourceRef: input.note.trim(),
        evidence: (input.attachmentIds ?? []).map((id) => ({ kind: 'attestation' as const, id, label: 'attachment', href: null, at: null })),
        communeId: person.communeId,
        targetGroupId: person.targetGroupId,
        confirmedBy: actor.userId,
        confirmedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new DomainError('conflict', 'this person already has a live digital-skill confirmation');
    await appendEvidence(
      tx,
      [
        {
          kind: 'digital_skill.confirm',
          subjectId: row.id,
          payload: {
            userId: input.userId,
            ruleVersionId: rule.id,
            source: 'officer',
            confirmedBy: actor.userId,
            note: input.note.trim(),
            confirmedAt: now.toISOString(),
          },
        },
      ],
      now,
    );
    await markIndicatorsDirty(tx, { userIds: [input.userId], inputs: ['digital-skills'], fromYear: localYear(now) });
    await recordAudit(
      tx,
      { action: 'digital_skill.confirm', outcome: 'success', actorUserId: actor.userId, subjectType: 'user', subjectId: input.userId },
      deps.ctx,
    );
    await notifier.notify(tx, { userId: input.userId, kind: 'digital_skill.confirmed', params: { ruleVersionId: rule.id, source: 'officer' } });
    return { id: row.id, ruleVersionId: row.ruleVersionId, source: row.source, sourceRef: row.sourceRef, confirmedAt: row.confirmedAt.toISOString() };
  });
}
