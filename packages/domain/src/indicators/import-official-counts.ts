import { CsvError, parseCsv } from '@hts/content';
import type { ErrorDetail } from '@hts/contracts';
import { type Db, geoUnits, indicatorOfficialCounts, targetGroups } from '@hts/db';
import { sql } from 'drizzle-orm';
import { type Actor, coversCommune, requireRole } from '../access/actor.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { Clock, RequestContext } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { loadIndicatorDefinitions, markIndicatorsDirty } from './rollups.ts';

export interface ImportOfficialCountsInput {
  year: number;
  /** The officialCountKey of an indicator definition (e.g. `adults`). */
  countKey: string;
  /** CSV with the columns commune_code, target_group (code, or empty for all groups), count. */
  csv: string;
  fileName?: string;
}

export const OFFICIAL_COUNT_COLUMNS = ['commune_code', 'target_group', 'count'] as const;

/**
 * An officer's import of official counts (the denominators of indicators whose base is `official`) for one
 * year. All or nothing: any bad row (negative or non-numeric count, unknown commune or group, a commune
 * outside the officer's scope, a repeated cell) rejects the file with the list of rows at fault. Re-importing
 * a cell replaces its count. The communes touched are marked for the rollup refresh in the same transaction.
 */
export async function importOfficialCounts(
  deps: { db: Db; clock: Clock },
  actor: Actor,
  input: ImportOfficialCountsInput,
  ctx: RequestContext = {},
): Promise<{ rows: number; communes: number }> {
  requireRole(actor, ['officer', 'admin']);
  const { db } = deps;
  const defs = await loadIndicatorDefinitions(db);
  const keys = new Set(defs.filter((d) => d.base === 'official' && d.yearFrom <= input.year && input.year <= d.yearTo).map((d) => d.officialCountKey));
  if (!keys.has(input.countKey)) {
    throw new DomainError('validation_failed', `no indicator of ${input.year} uses an official count "${input.countKey}"`, [
      { field: '/body/countKey', message: keys.size > 0 ? `use one of: ${[...keys].join(', ')}` : `no indicator of ${input.year} has an official base` },
    ]);
  }
  let parsed: ReturnType<typeof parseCsv>;
  try {
    parsed = parseCsv(input.csv);
  } catch (error) {
    if (error instanceof CsvError)
      throw new DomainError('validation_failed', 'the file is not valid CSV', [{ field: `/body/csv/line/${error.line}`, message: error.message }]);
    throw error;
  }
  const missing = OFFICIAL_COUNT_COLUMNS.filter((c) => !parsed.header.includes(c));
  if (missing.length > 0) {
    throw new DomainError('validation_failed', `the file needs the columns ${OFFICIAL_COUNT_COLUMNS.join(', ')}`, [
      { field: '/body/csv/line/1', message: `missing column(s): ${missing.join(', ')}` },
    ]);
  }
  if (parsed.rows.length === 0)
    throw new DomainError('validation_failed', 'the file has no rows', [{ field: '/body/csv', message: 'no rows after the header' }]);

  const communes = new Map(
    (await db.select({ id: geoUnits.id, code: geoUnits.code, type: geoUnits.type }).from(geoUnits))
      .filter((g) => g.type === 'commune' || g.type === 'ward')
      .map((g) => [g.code, g.id]),
  );
  const groups = new Map((await db.select({ id: targetGroups.id, code: targetGroups.code }).from(targetGroups)).map((g) => [g.code, g.id]));
  const errors: ErrorDetail[] = [];
  const outside: ErrorDetail[] = [];
  const seen = new Map<string, number>();
  const values: Array<typeof indicatorOfficialCounts.$inferInsert> = [];
  for (const row of parsed.rows) {
    const field = `/body/csv/line/${row.line}`;
    const code = (row.values.commune_code ?? '').trim();
    const groupCode = (row.values.target_group ?? '').trim();
    const countText = (row.values.count ?? '').trim();
    const rowErrors: string[] = [];
    const communeId = communes.get(code);
    if (!/^[0-9]{5}$/.test(code)) rowErrors.push(`commune_code "${code}" must be the official 5-digit code`);
    else if (!communeId) rowErrors.push(`unknown commune code ${code}`);
    const groupId = groupCode === '' ? null : groups.get(groupCode);
    if (groupId === undefined) rowErrors.push(`unknown target group "${groupCode}"`);
    if (!/^-?[0-9]+$/.test(countText)) rowErrors.push(`count "${countText}" is not a whole number`);
    else if (Number(countText) < 0) rowErrors.push(`count ${countText} is negative`);
    else if (Number(countText) > 10_000_000) rowErrors.push(`count ${countText} is larger than any commune`);
    const cell = `${code}/${groupCode}`;
    if (seen.has(cell)) rowErrors.push(`commune ${code}${groupCode ? `, group ${groupCode}` : ''} is already on line ${seen.get(cell)}`);
    else seen.set(cell, row.line);
    if (rowErrors.length > 0) {
      errors.push({ field, message: rowErrors.join('; ') });
      continue;
    }
    if (communeId && !actor.roles.has('admin') && !coversCommune(actor, ['officer'], communeId)) {
      outside.push({ field, message: `commune ${code} is outside your scope` });
      continue;
    }
    values.push({
      countKey: input.countKey,
      year: input.year,
      communeId: communeId as string,
      targetGroupId: groupId ?? null,
      count: Number(countText),
      importedBy: actor.userId,
      importedAt: deps.clock.now(),
      sourceRef: `${input.fileName ?? 'upload.csv'}:${row.line}`,
    });
  }
  if (errors.length > 0) throw new DomainError('validation_failed', `${errors.length} row(s) rejected; nothing was imported`, errors);
  if (outside.length > 0) {
    await recordAudit(
      db,
      {
        action: 'auth.permission_denied',
        outcome: 'denied',
        actorUserId: actor.userId,
        subjectType: 'indicator_official_counts',
        details: { rows: outside.length },
      },
      ctx,
    );
    throw new DomainError('forbidden', `${outside.length} row(s) are for communes outside your scope; nothing was imported`, outside);
  }
  await db.transaction(async (tx) => {
    for (let i = 0; i < values.length; i += 500) {
      await tx
        .insert(indicatorOfficialCounts)
        .values(values.slice(i, i + 500))
        .onConflictDoUpdate({
          target: [indicatorOfficialCounts.countKey, indicatorOfficialCounts.year, indicatorOfficialCounts.communeId, indicatorOfficialCounts.targetGroupId],
          set: {
            count: sql`excluded.count`,
            importedBy: sql`excluded.imported_by`,
            importedAt: sql`excluded.imported_at`,
            sourceRef: sql`excluded.source_ref`,
          },
        });
    }
    await markIndicatorsDirty(tx, {
      communeIds: [...new Set(values.map((v) => v.communeId))],
      inputs: ['official-count'],
      fromYear: Math.min(...values.map((v) => v.year)),
    });
  });
  return { rows: values.length, communes: new Set(values.map((v) => v.communeId)).size };
}
