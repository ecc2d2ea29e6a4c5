import type { CollectiveAwardBody, CollectiveAwardResult, CollectiveStatus } from '@hts/contracts';
import { type CollectiveEvaluationSnapshot, type CollectiveTitleAwardRow, collectiveTitleAwards } from '@hts/db';
import { type Actor, coversCommune } from '../access/actor.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { inAppNotifier } from '../criteria/notifier.ts';
import { appendEvidence } from '../evidence/append-evidence.ts';
import { markIndicatorsDirty } from '../indicators/rollups.ts';
import { checkDecision } from '../shared/decision.ts';
import { DomainError, fieldError } from '../shared/errors.ts';
import { type CollectiveAwardDeps, collectiveAwardView, collectiveChainEntries, headUserIds, subjectColumns } from './award-view.ts';
import { loadCollectives, statusesOf } from './collective-status.ts';

/** What missing means in a 409: "<collective>: <requirement> (n more)". */
const missingText = (s: CollectiveStatus) => s.missing.map((m) => `${s.name}: ${m.label} (${m.short} more)`).join('; ') || `${s.name}: the rule does not hold`;

function snapshot(s: CollectiveStatus, at: Date): CollectiveEvaluationSnapshot {
  return {
    members: s.members,
    passed: s.passed,
    missing: s.missing.map((m) => ({ code: m.requirement, message: `${m.label} (${m.short})` })),
    requirements: s.requirements,
    ruleId: s.ruleId,
    evaluatedAt: at.toISOString(),
  };
}

/**
 * Commune officer: awards the title of their rule to collectives of one kind for a year under one decision, all or
 * none. Each collective's versioned rule is evaluated again inside the transaction that writes the award, and the
 * award keeps the rule version and that evaluation. A collective outside the officer's commune makes the batch
 * 403; one whose rule does not hold, or already awarded for the year, 409 naming it and what is missing.
 * Audited, appended to the evidence hash chain and marking the indicators dirty in the same transaction; the
 * heads of the households, clans and units are notified.
 */
export async function awardCollectiveTitles(deps: CollectiveAwardDeps, actor: Actor, body: CollectiveAwardBody): Promise<CollectiveAwardResult> {
  const now = deps.clock.now();
  const notifier = deps.notifier ?? inAppNotifier;
  if (!actor.roles.has('admin') && !actor.roles.has('officer')) throw new DomainError('forbidden', 'this needs one of the roles: officer, admin');
  const decisionNumber = checkDecision(body, now);
  if (body.year > now.getUTCFullYear()) throw fieldError('validation_failed', '/body/year', `the year ${body.year} has not started`);
  const ids = [...new Set(body.collectiveIds)];
  const rows = await loadCollectives(deps.db, body.kind, { ids });
  const unknown = ids.find((id) => !rows.some((r) => r.id === id));
  if (unknown) throw new DomainError('not_found', `no ${body.kind} ${unknown}`, [{ field: '/body/collectiveIds', message: `no ${body.kind} ${unknown}` }]);
  const outside = rows.find((r) => !actor.roles.has('admin') && !coversCommune(actor, ['officer'], r.communeId));
  if (outside) {
    await recordAudit(
      deps.db,
      { action: 'collective_title.award', outcome: 'denied', actorUserId: actor.userId, subjectType: body.kind, subjectId: outside.id },
      deps.ctx,
    );
    throw new DomainError('forbidden', `${outside.name} is outside your commune`);
  }

  return deps.db.transaction(async (tx) => {
    // the rule is checked at decision time, against the members' titles as this transaction sees them
    const statuses = await statusesOf({ db: tx, collectiveRules: deps.collectiveRules }, body.kind, rows, body.year);
    const awarded = statuses.filter((s) => s.award);
    if (awarded.length > 0)
      throw new DomainError(
        'conflict',
        `already awarded for ${body.year}: ${awarded.map((s) => `${s.name} (${s.award?.decisionNumber})`).join(', ')}`,
        awarded.map((s) => ({ field: `/body/collectiveIds/${ids.indexOf(s.id)}`, message: `${s.name} already holds the title for ${body.year}` })),
      );
    const noRule = statuses.find((s) => !s.ruleId);
    if (noRule) throw fieldError('conflict', '/body/year', `no ${body.kind} title rule covers ${body.year}`);
    const failing = statuses.filter((s) => !s.passed);
    if (failing.length > 0)
      throw new DomainError(
        'conflict',
        `the title rule does not hold: ${failing.map(missingText).join('; ')}`,
        failing.map((s) => ({ field: `/body/collectiveIds/${ids.indexOf(s.id)}`, message: missingText(s) })),
      );

    const awards: Array<{ row: CollectiveTitleAwardRow; status: CollectiveStatus; communeId: string; headPersonId: string | null }> = [];
    for (const status of statuses) {
      const source = rows.find((r) => r.id === status.id);
      if (!source) continue;
      const rule = deps.collectiveRules.find((r) => r.id === status.ruleId);
      const [row] = await tx
        .insert(collectiveTitleAwards)
        .values({
          subjectKind: body.kind,
          ...subjectColumns(body.kind, status.id),
          communeId: source.communeId,
          year: body.year,
          title: rule?.code ?? status.title,
          ruleVersion: status.ruleId as string,
          decisionNumber,
          decisionDate: body.decisionDate,
          evaluation: snapshot(status, now),
          awardedBy: actor.userId,
          createdAt: now,
        })
        .onConflictDoNothing()
        .returning();
      // another officer's decision got there first
      if (!row) throw new DomainError('conflict', `${status.name} already holds the title for ${body.year}`);
      awards.push({ row, status, communeId: source.communeId, headPersonId: source.headPersonId });
    }
    await appendEvidence(
      tx,
      awards.map(({ row }) => ({
        kind: 'collective_title.award',
        subjectId: row.id,
        payload: {
          subjectKind: row.subjectKind,
          subjectId: row.householdId ?? row.clanId ?? row.communityId ?? row.unitId,
          communeId: row.communeId,
          title: row.title,
          year: row.year,
          ruleVersion: row.ruleVersion,
          evaluation: row.evaluation,
          decisionNumber,
          decisionDate: body.decisionDate,
          awardedBy: actor.userId,
          awardedAt: now.toISOString(),
        },
      })),
      now,
    );
    // the titles count in the commune's indicators (households, clans, communities, units) from this transaction on
    await markIndicatorsDirty(tx, { communeIds: awards.map((a) => a.communeId), inputs: ['collective-title'], fromYear: body.year });
    for (const { row, status, headPersonId } of awards) {
      await recordAudit(
        tx,
        {
          action: 'collective_title.award',
          outcome: 'success',
          actorUserId: actor.userId,
          subjectType: 'collective_title_award',
          subjectId: row.id,
          details: { kind: body.kind, collectiveId: status.id, ruleVersion: row.ruleVersion, decisionNumber },
        },
        deps.ctx,
      );
      for (const userId of await headUserIds(tx, body.kind, status.id, headPersonId))
        await notifier.notify(tx, {
          userId,
          kind: 'collective_title.awarded',
          params: { title: status.title, name: status.name, year: body.year, decisionNumber, decisionDate: body.decisionDate, awardId: row.id },
        });
    }
    const entries = await collectiveChainEntries(
      tx,
      awards.map((a) => a.row.id),
    );
    return { awards: awards.map(({ row, status }) => collectiveAwardView(row, status.name, entries.get(row.id) ?? null)) };
  });
}
