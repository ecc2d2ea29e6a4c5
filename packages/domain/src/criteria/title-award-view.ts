import type { TitleAward } from '@hts/contracts';
import { type Db, evidenceChain, type PersonTitleAwardRow } from '@hts/db';
import { and, eq, inArray } from 'drizzle-orm';

/** The hash-chain entries of these awards, by award id. */
export async function chainEntries(db: Pick<Db, 'select'>, awardIds: string[]): Promise<Map<string, { seq: number; entryHash: string }>> {
  if (awardIds.length === 0) return new Map();
  const rows = await db
    .select({ subjectId: evidenceChain.subjectId, seq: evidenceChain.seq, entryHash: evidenceChain.entryHash })
    .from(evidenceChain)
    .where(and(eq(evidenceChain.kind, 'title.award'), inArray(evidenceChain.subjectId, awardIds)));
  return new Map(rows.map((r) => [r.subjectId, { seq: r.seq, entryHash: r.entryHash }]));
}

export function awardView(a: PersonTitleAwardRow, evidence: { seq: number; entryHash: string } | null = null): TitleAward {
  return {
    evidence,
    id: a.id,
    year: a.year,
    title: a.title,
    classification: a.classification,
    score: a.score,
    decisionNumber: a.decisionNumber,
    decisionDate: a.decisionDate,
    criteriaSetVersionId: a.criteriaSetVersionId,
    awardedAt: a.awardedAt.toISOString(),
    revokedAt: a.revokedAt?.toISOString() ?? null,
    revocationReason: a.revocationReason,
    revocationDecisionNumber: a.revocationDecisionNumber,
  };
}
