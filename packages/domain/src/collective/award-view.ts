import type { CollectiveAward, CollectiveKindName } from '@hts/contracts';
import { type CollectiveTitleAwardRow, type Db, evidenceChain, registryMemberships, registryPeople } from '@hts/db';
import { and, desc, eq, inArray, isNotNull, isNull, or } from 'drizzle-orm';
import type { Notifier } from '../criteria/notifier.ts';
import type { RequestContext } from '../shared/deps.ts';
import type { CollectiveDeps } from './collective-status.ts';

/** What awarding and revoking need besides the evaluation's: who to tell, and the request for the audit log. */
export interface CollectiveAwardDeps extends CollectiveDeps {
  /** Defaults to the in-app notifier. */
  notifier?: Notifier;
  ctx?: RequestContext;
}

export const subjectIdOf = (a: CollectiveTitleAwardRow): string => (a.householdId ?? a.clanId ?? a.communityId ?? a.unitId) as string;

export const subjectColumns = (kind: CollectiveKindName, id: string) =>
  kind === 'household' ? { householdId: id } : kind === 'clan' ? { clanId: id } : kind === 'community' ? { communityId: id } : { unitId: id };

export function collectiveAwardView(a: CollectiveTitleAwardRow, name: string, evidence: { seq: number; entryHash: string } | null): CollectiveAward {
  return {
    id: a.id,
    kind: a.subjectKind,
    collectiveId: subjectIdOf(a),
    name,
    year: a.year,
    title: a.title,
    ruleVersion: a.ruleVersion,
    decisionNumber: a.decisionNumber,
    decisionDate: a.decisionDate,
    awardedAt: a.createdAt.toISOString(),
    revokedAt: a.revokedAt?.toISOString() ?? null,
    revocationReason: a.revokedReason,
    revocationDecisionNumber: a.revocationDecisionNumber,
    evidence,
  };
}

/** The latest hash-chain entry about each award (its award, or its revocation once revoked). */
export async function collectiveChainEntries(db: Pick<Db, 'select'>, awardIds: string[]): Promise<Map<string, { seq: number; entryHash: string }>> {
  if (awardIds.length === 0) return new Map();
  const rows = await db
    .select({ subjectId: evidenceChain.subjectId, seq: evidenceChain.seq, entryHash: evidenceChain.entryHash })
    .from(evidenceChain)
    .where(and(inArray(evidenceChain.kind, ['collective_title.award', 'collective_title.revoke']), inArray(evidenceChain.subjectId, awardIds)))
    .orderBy(desc(evidenceChain.seq));
  const out = new Map<string, { seq: number; entryHash: string }>();
  for (const r of rows) if (!out.has(r.subjectId)) out.set(r.subjectId, { seq: r.seq, entryHash: r.entryHash });
  return out;
}

/**
 * The platform accounts of the heads of a collective: its head person and current members with the head role,
 * when linked to an account. A community (thôn) has no head in the registry, so nobody is told.
 */
export async function headUserIds(db: Pick<Db, 'select'>, kind: CollectiveKindName, id: string, headPersonId: string | null): Promise<string[]> {
  if (kind === 'community') return [];
  const column = kind === 'household' ? registryMemberships.householdId : kind === 'clan' ? registryMemberships.clanId : registryMemberships.unitId;
  const headMembers = db
    .select({ personId: registryMemberships.personId })
    .from(registryMemberships)
    .where(and(eq(column, id), eq(registryMemberships.role, 'head'), isNull(registryMemberships.validTo)));
  const rows = await db
    .select({ userId: registryPeople.userId })
    .from(registryPeople)
    .where(and(isNotNull(registryPeople.userId), or(inArray(registryPeople.id, headMembers), headPersonId ? eq(registryPeople.id, headPersonId) : undefined)));
  return [...new Set(rows.map((r) => r.userId as string))];
}
