import type { IndicatorDefinition } from '@hts/contracts';
import { type Db, indicatorDefinitions } from '@hts/db';
import { and, eq } from 'drizzle-orm';
import { canonicalJson, sha256Hex } from '../evidence/canonical-json.ts';
import { DomainError } from '../shared/errors.ts';

/**
 * Stores each definition version from content/indicators once. A version is frozen: a definition whose
 * content differs from what is stored under the same id and version is refused (give it a new version),
 * so a number computed under a version can always be explained by that version's text.
 */
export async function seedIndicatorDefinitions(db: Db, defs: readonly IndicatorDefinition[]): Promise<{ added: number }> {
  let added = 0;
  for (const def of defs) {
    const contentHash = sha256Hex(canonicalJson(def));
    const [existing] = await db
      .select({ contentHash: indicatorDefinitions.contentHash })
      .from(indicatorDefinitions)
      .where(and(eq(indicatorDefinitions.id, def.id), eq(indicatorDefinitions.version, def.version)));
    if (existing) {
      if (existing.contentHash !== contentHash) {
        throw new DomainError(
          'conflict',
          `indicator ${def.id} version ${def.version} changed since it was first loaded; give the changed definition a new version (e.g. ${def.id}@${Number(def.version.split('.')[0])}.${Number(def.version.split('.')[1] ?? 0) + 1}.yaml)`,
        );
      }
      continue;
    }
    await db
      .insert(indicatorDefinitions)
      .values({ id: def.id, version: def.version, yearFrom: def.yearFrom, yearTo: def.yearTo, definition: def, contentHash });
    added++;
  }
  return { added };
}
