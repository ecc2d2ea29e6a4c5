import type { CriteriaDoc } from '@hts/contracts';
import { criteriaSetVersions, type Db, targetGroups } from '@hts/db';
import { and, eq, ne } from 'drizzle-orm';
import { canonicalJson, sha256Hex } from '../evidence/canonical-json.ts';

export const criteriaDocHash = (doc: CriteriaDoc): string => sha256Hex(canonicalJson(doc));

/** Orders versions "2025.1" < "2025.2" < "2026.1". */
function compareVersions(a: string, b: string): number {
  const [ay = 0, an = 0] = a.split('.').map(Number);
  const [by = 0, bn = 0] = b.split('.').map(Number);
  return ay - by || an - bn;
}

export class CriteriaVersionEditedError extends Error {
  constructor(readonly versionId: string) {
    super(
      `criteria version ${versionId} in content/criteria differs from the one already published: a published version is never edited; add a new version file (e.g. the next number) instead`,
    );
    this.name = 'CriteriaVersionEditedError';
  }
}

/**
 * Loads the criteria sets and digital-skill rules of content/criteria. Idempotent: a version already loaded
 * with the same content is left alone; one loaded with other content stops the start (a published version is
 * frozen); the highest version of each code is active and every older one is marked superseded by it,
 * which never changes the older definition, nor any assessment or award that points at it.
 */
export async function seedCriteria(db: Db, docs: readonly CriteriaDoc[], now = new Date()): Promise<{ published: number }> {
  const groups = new Map((await db.select({ id: targetGroups.id, code: targetGroups.code }).from(targetGroups)).map((g) => [g.code, g.id]));
  let published = 0;
  await db.transaction(async (tx) => {
    const codes = new Set<string>();
    for (const doc of [...docs].sort((a, b) => a.code.localeCompare(b.code) || compareVersions(a.version, b.version))) {
      const id = `${doc.code}@${doc.version}`;
      codes.add(doc.code);
      const hash = criteriaDocHash(doc);
      const [existing] = await tx.select({ hash: criteriaSetVersions.contentHash }).from(criteriaSetVersions).where(eq(criteriaSetVersions.id, id));
      if (existing) {
        if (existing.hash !== hash) throw new CriteriaVersionEditedError(id);
        continue;
      }
      const targetGroupId = doc.kind === 'criteria-set' ? groups.get(doc.targetGroup) : undefined;
      if (doc.kind === 'criteria-set' && !targetGroupId) throw new Error(`criteria set ${id}: target group ${doc.targetGroup} is not seeded`);
      await tx.insert(criteriaSetVersions).values({
        id,
        code: doc.code,
        version: doc.version,
        kind: doc.kind === 'criteria-set' ? 'criteria_set' : 'digital_skill_rule',
        targetGroupId: targetGroupId ?? null,
        yearFrom: doc.years.from,
        yearTo: doc.years.to,
        contentHash: hash,
        definition: doc as unknown as Record<string, unknown>,
        source: doc.source,
        createdAt: now,
      });
      published += 1;
    }
    for (const code of codes) {
      // the highest version wins, whether it came from this content folder or an earlier start
      const versions = await tx
        .select({ id: criteriaSetVersions.id, version: criteriaSetVersions.version })
        .from(criteriaSetVersions)
        .where(eq(criteriaSetVersions.code, code));
      const id = versions.sort((a, b) => compareVersions(b.version, a.version))[0]?.id;
      if (!id) continue;
      await tx
        .update(criteriaSetVersions)
        .set({ status: 'superseded', supersededBy: id, supersededAt: now })
        .where(and(eq(criteriaSetVersions.code, code), ne(criteriaSetVersions.id, id), eq(criteriaSetVersions.status, 'active')));
    }
  });
  return { published };
}
