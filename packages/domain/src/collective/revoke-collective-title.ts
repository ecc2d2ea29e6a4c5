import type { CollectiveAward, RevokeTitleBody } from '@hts/contracts';
import { collectiveTitleAwards } from '@hts/db';
import { eq } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { inAppNotifier } from '../criteria/notifier.ts';
import { appendEvidence } from '../evidence/append-evidence.ts';
import { markIndicatorsDirty } from '../indicators/rollups.ts';
import { requireAwardInScope } from '../shared/award-scope.ts';
import { checkRevocation } from '../shared/decision.ts';
import { DomainError } from '../shared/errors.ts';
import { type CollectiveAwardDeps, collectiveAwardView, collectiveChainEntries, headUserIds, subjectIdOf } from './award-view.ts';
import { loadCollectives } from './collective-status.ts';

/**
 * Commune officer: revokes a collective title under a decision, with a reason. The award row stays (a trigger lets
 * only its revocation change); the revocation is audited, appended to the evidence hash chain and marks the
 * commune's indicators dirty in one transaction, and the heads are notified.
 */
export async function revokeCollectiveTitle(deps: CollectiveAwardDeps, actor: Actor, awardId: string, body: RevokeTitleBody): Promise<CollectiveAward> {
  const now = deps.clock.now();
  const notifier = deps.notifier ?? inAppNotifier;
  const { reason, decisionNumber, decisionDate } = checkRevocation(body, now);
  const [found] = await deps.db.select({ communeId: collectiveTitleAwards.communeId }).from(collectiveTitleAwards).where(eq(collectiveTitleAwards.id, awardId));
  if (!found) throw new DomainError('not_found', 'no such collective title award');
  await requireAwardInScope(deps, actor, { id: awardId, communeId: found.communeId, action: 'collective_title.revoke', subjectType: 'collective_title_award' });
  return deps.db.transaction(async (tx) => {
    const [award] = await tx.select().from(collectiveTitleAwards).where(eq(collectiveTitleAwards.id, awardId)).for('update');
    if (!award) throw new DomainError('not_found', 'no such collective title award');
    if (award.revokedAt) throw new DomainError('conflict', `this title was already revoked on ${award.revokedAt.toISOString().slice(0, 10)}`);
    const [revoked] = await tx
      .update(collectiveTitleAwards)
      .set({ revokedAt: now, revokedReason: reason, revokedBy: actor.userId, revocationDecisionNumber: decisionNumber, revocationDecisionDate: decisionDate })
      .where(eq(collectiveTitleAwards.id, awardId))
      .returning();
    if (!revoked) throw new DomainError('not_found', 'no such collective title award');
    const subjectId = subjectIdOf(award);
    await appendEvidence(
      tx,
      [
        {
          kind: 'collective_title.revoke',
          subjectId: award.id,
          payload: {
            subjectKind: award.subjectKind,
            subjectId,
            communeId: award.communeId,
            title: award.title,
            year: award.year,
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
    await markIndicatorsDirty(tx, { communeIds: [award.communeId], inputs: ['collective-title'], fromYear: award.year });
    await recordAudit(
      tx,
      {
        action: 'collective_title.revoke',
        outcome: 'success',
        actorUserId: actor.userId,
        subjectType: 'collective_title_award',
        subjectId: award.id,
        details: { kind: award.subjectKind, collectiveId: subjectId, decisionNumber, reason },
      },
      deps.ctx,
    );
    const [collective] = await loadCollectives(tx, award.subjectKind, { ids: [subjectId] });
    const name = collective?.name ?? '';
    for (const userId of await headUserIds(tx, award.subjectKind, subjectId, collective?.headPersonId ?? null))
      await notifier.notify(tx, {
        userId,
        kind: 'collective_title.revoked',
        params: {
          title: deps.collectiveRules.find((r) => r.id === award.ruleVersion)?.title ?? award.title,
          name,
          year: award.year,
          decisionNumber,
          reason,
          awardId: award.id,
        },
      });
    const entries = await collectiveChainEntries(tx, [award.id]);
    return collectiveAwardView(revoked, name, entries.get(award.id) ?? null);
  });
}
