import type { RevokeTitleBody, TitleAward } from '@hts/contracts';
import { personTitleAwards } from '@hts/db';
import { eq } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { appendEvidence } from '../evidence/append-evidence.ts';
import { markIndicatorsDirty } from '../indicators/rollups.ts';
import { requireAwardInScope } from '../shared/award-scope.ts';
import { checkRevocation } from '../shared/decision.ts';
import { DomainError } from '../shared/errors.ts';
import type { CriteriaDeps } from './criteria-deps.ts';
import { inAppNotifier } from './notifier.ts';
import { awardView, chainEntries } from './title-award-view.ts';

/**
 * Commune officer: revokes a person's "Công dân học tập" title under a decision, with a reason. The award row
 * stays (only its revocation columns change); the revocation is audited, appended to the evidence hash chain
 * and marks the commune's indicators dirty in one transaction, and the citizen is notified.
 */
export async function revokePersonTitle(deps: CriteriaDeps, actor: Actor, awardId: string, body: RevokeTitleBody): Promise<TitleAward> {
  const now = deps.clock.now();
  const notifier = deps.notifier ?? inAppNotifier;
  const { reason, decisionNumber, decisionDate } = checkRevocation(body, now);
  const [found] = await deps.db.select({ communeId: personTitleAwards.communeId }).from(personTitleAwards).where(eq(personTitleAwards.id, awardId));
  if (!found) throw new DomainError('not_found', 'no such title award');
  await requireAwardInScope(deps, actor, { id: awardId, communeId: found.communeId, action: 'title.revoke', subjectType: 'person_title_award' });
  return deps.db.transaction(async (tx) => {
    const [award] = await tx.select().from(personTitleAwards).where(eq(personTitleAwards.id, awardId)).for('update');
    if (!award) throw new DomainError('not_found', 'no such title award');
    if (award.revokedAt) throw new DomainError('conflict', `this title was already revoked on ${award.revokedAt.toISOString().slice(0, 10)}`);
    const [revoked] = await tx
      .update(personTitleAwards)
      .set({
        revokedAt: now,
        revocationReason: reason,
        revokedBy: actor.userId,
        revocationDecisionNumber: decisionNumber,
        revocationDecisionDate: decisionDate,
      })
      .where(eq(personTitleAwards.id, awardId))
      .returning();
    if (!revoked) throw new DomainError('not_found', 'no such title award');
    await appendEvidence(
      tx,
      [
        {
          kind: 'title.revoke',
          subjectId: award.id,
          payload: {
            userId: award.userId,
            title: award.title,
            year: award.year,
            communeId: award.communeId,
            reason,
            decisionNumber,
            decisionDate,
            revokedBy: actor.userId,
            revokedAt: now.toISOString(),
          },
        },
      ],
      now,
    );
    // the title stops counting in the commune's indicators from this transaction on
    await markIndicatorsDirty(tx, { userIds: [award.userId], communeIds: [award.communeId], inputs: ['person-title'], fromYear: award.year });
    await recordAudit(
      tx,
      {
        action: 'title.revoke',
        outcome: 'success',
        actorUserId: actor.userId,
        subjectType: 'person_title_award',
        subjectId: award.id,
        details: { decisionNumber, reason },
      },
      deps.ctx,
    );
    await notifier.notify(tx, { userId: award.userId, kind: 'title.revoked', params: { year: award.year, decisionNumber, reason, awardId: award.id } });
    const entries = await chainEntries(tx, [award.id]);
    return awardView(revoked, entries.get(award.id) ?? null);
  });
}
