import type { DigitalSkillImportReport, ImportProblem } from '@hts/contracts';
import { digitalSkillConfirmations, registryPeople, users } from '@hts/db';
import { and, inArray, isNull, or } from 'drizzle-orm';
import { type Actor, coversCommune } from '../access/actor.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { normalizeEmail, normalizePhone } from '../auth/identifiers.ts';
import { appendEvidence } from '../evidence/append-evidence.ts';
import { localYear, markIndicatorsDirty } from '../indicators/rollups.ts';
import { ID_NUMBER_PATTERN } from '../registry/id-numbers.ts';
import { DomainError } from '../shared/errors.ts';
import type { CriteriaDeps } from './criteria-deps.ts';
import { digitalSkillRuleFor } from './criteria-versions.ts';
import { inAppNotifier } from './notifier.ts';

export interface ImportRow {
  /** Line of the file where the row starts. */
  line: number;
  values: Record<string, string>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Headers accepted for the CCCD column (a national platform's export names it in Vietnamese). */
const ID_NUMBER_COLUMNS = ['idNumber', 'cccd', 'so_cccd', 'id_number'];
type MatchKey = 'phone' | 'email' | 'idNumber';
const keyName: Record<MatchKey, string> = { phone: 'phone number', email: 'e-mail', idNumber: 'ID number' };

/**
 * Imports "có kỹ năng số" confirmations from an external list (e.g. a national platform's export). Rows are
 * matched to people by phone, e-mail or CCCD number (through the registry person linked to an account); the
 * report says which key matched each row. A row that matches nobody, whose keys point at different people
 * (ambiguous), matches someone outside the officer's communes, repeats a person or is malformed is reported
 * with its line and column and not imported. A person
 * already confirmed is skipped, so importing the same file again changes nothing. A dry run writes nothing.
 */
export async function importDigitalSkillConfirmations(
  deps: CriteriaDeps,
  actor: Actor,
  input: { header: string[]; rows: ImportRow[]; sourceName: string; dryRun: boolean },
): Promise<DigitalSkillImportReport> {
  const now = deps.clock.now();
  const notifier = deps.notifier ?? inAppNotifier;
  const rule = await digitalSkillRuleFor(deps.db, now.getUTCFullYear());
  if (!rule) throw new DomainError('conflict', `no digital-skill rule covers ${now.getUTCFullYear()}`);
  const problems: ImportProblem[] = [];
  const matches: DigitalSkillImportReport['matches'] = [];
  const matchedBy = { phone: 0, email: 0, idNumber: 0 };
  let unmatched = 0;
  let ambiguous = 0;
  const report = (matched: number, created: number, alreadyConfirmed: number): DigitalSkillImportReport => ({
    dryRun: input.dryRun,
    rows: input.rows.length,
    matched,
    created,
    alreadyConfirmed,
    matchedBy,
    unmatched,
    ambiguous,
    matches,
    problems,
  });
  const idColumn = ID_NUMBER_COLUMNS.find((c) => input.header.includes(c));
  if (!input.header.includes('phone') && !input.header.includes('email') && !idColumn) {
    problems.push({ line: 1, column: 'header', reason: 'the header needs a phone, email or idNumber column' });
    return report(0, 0, 0);
  }
  const codec = deps.idNumbers;
  if (idColumn && !codec) throw new DomainError('conflict', 'ID numbers cannot be matched: no PII key is configured');

  const wanted = input.rows.map((row) => {
    const rawPhone = row.values.phone?.trim() ?? '';
    const rawEmail = row.values.email?.trim() ?? '';
    // CCCD numbers are often written in groups ("001 203 004 567"); the digits are what identify
    const rawId = idColumn ? (row.values[idColumn]?.trim() ?? '') : '';
    const idNumber = rawId.replace(/[\s.-]/g, '');
    const confirmedOn = row.values.confirmedOn?.trim() ?? '';
    const phone = rawPhone ? normalizePhone(rawPhone) : null;
    const email = rawEmail ? normalizeEmail(rawEmail) : null;
    let ok = true;
    const bad = (column: string, reason: string) => {
      ok = false;
      problems.push({ line: row.line, column, reason });
    };
    if (!rawPhone && !rawEmail && !rawId)
      bad(idColumn && !input.header.includes('phone') ? 'idNumber' : 'phone', `a phone number${idColumn ? ', an ID number' : ''} or an e-mail is required`);
    if (rawPhone && !phone) bad('phone', `"${rawPhone}" is not a Vietnamese mobile number`);
    if (rawEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(rawEmail)) bad('email', `"${rawEmail}" is not an e-mail address`);
    if (rawId && !ID_NUMBER_PATTERN.test(idNumber)) bad('idNumber', 'not a CCCD number: it needs exactly 12 digits');
    if (confirmedOn && (!DATE.test(confirmedOn) || Number.isNaN(Date.parse(`${confirmedOn}T00:00:00Z`)) || confirmedOn > now.toISOString().slice(0, 10)))
      bad('confirmedOn', `"${confirmedOn}" is not a past date written YYYY-MM-DD`);
    const idHash = rawId && ok && codec ? codec.hash(idNumber) : null;
    return { row, phone, email, idHash, confirmedOn, reference: row.values.reference?.trim().slice(0, 200) ?? '', ok };
  });

  const phones = wanted.flatMap((w) => (w.ok && w.phone ? [w.phone] : []));
  const emails = wanted.flatMap((w) => (w.ok && w.email ? [w.email] : []));
  const idHashes = wanted.flatMap((w) => (w.ok && w.idHash ? [w.idHash] : []));
  // The ID number lives in the registry only (never asked at registration): it finds the account the registry person is linked to.
  const registered = idHashes.length
    ? await deps.db
        .select({ idNumberHash: registryPeople.idNumberHash, userId: registryPeople.userId })
        .from(registryPeople)
        .where(inArray(registryPeople.idNumberHash, idHashes))
    : [];
  const userByIdHash = new Map(registered.map((r) => [r.idNumberHash as string, r.userId]));
  const linkedIds = registered.flatMap((r) => (r.userId ? [r.userId] : []));
  const people =
    phones.length + emails.length + linkedIds.length > 0
      ? await deps.db
          .select({ id: users.id, phone: users.phone, email: users.email, communeId: users.communeId, targetGroupId: users.targetGroupId })
          .from(users)
          .where(
            or(
              phones.length ? inArray(users.phone, phones) : undefined,
              emails.length ? inArray(users.email, emails) : undefined,
              linkedIds.length ? inArray(users.id, linkedIds) : undefined,
            ),
          )
      : [];
  const live = new Set(
    people.length
      ? (
          await deps.db
            .select({ userId: digitalSkillConfirmations.userId })
            .from(digitalSkillConfirmations)
            .where(
              and(
                inArray(
                  digitalSkillConfirmations.userId,
                  people.map((p) => p.id),
                ),
                isNull(digitalSkillConfirmations.revokedAt),
              ),
            )
        ).map((r) => r.userId)
      : [],
  );

  const seen = new Map<string, number>();
  const toCreate: Array<{ person: (typeof people)[number]; line: number; confirmedOn: string; reference: string }> = [];
  let matched = 0;
  let alreadyConfirmed = 0;
  for (const w of wanted) {
    if (!w.ok) continue;
    const found: Array<{ key: MatchKey; person: (typeof people)[number] | undefined }> = [];
    if (w.phone) found.push({ key: 'phone', person: people.find((p) => p.phone === w.phone) });
    if (w.email) found.push({ key: 'email', person: people.find((p) => p.email === w.email) });
    if (w.idHash) {
      const userId = userByIdHash.get(w.idHash);
      found.push({ key: 'idNumber', person: userId ? people.find((p) => p.id === userId) : undefined });
    }
    const hits = found.filter((f) => f.person);
    const column = found[0]?.key ?? 'phone';
    if (hits.length === 0) {
      unmatched += 1;
      const inRegistryOnly = w.idHash && userByIdHash.has(w.idHash);
      problems.push({
        line: w.row.line,
        column: inRegistryOnly ? 'idNumber' : column,
        reason: inRegistryOnly
          ? 'this ID number is in the registry but not linked to an account yet'
          : w.idHash
            ? 'no person with this phone number, e-mail or ID number on the platform'
            : 'no person with this phone number or e-mail on the platform',
      });
      continue;
    }
    const person = hits[0]?.person as (typeof people)[number];
    const other = hits.find((h) => h.person?.id !== person.id);
    if (other) {
      // two keys of one row naming two people: importing either would confirm someone on a guess
      ambiguous += 1;
      problems.push({
        line: w.row.line,
        column: other.key,
        reason: `ambiguous: the ${keyName[hits[0]?.key ?? 'phone']} and the ${keyName[other.key]} belong to different people; nothing imported`,
      });
      continue;
    }
    if (!actor.roles.has('admin') && !(person.communeId && coversCommune(actor, ['officer'], person.communeId))) {
      problems.push({ line: w.row.line, column: hits[0]?.key ?? column, reason: 'this person lives outside your communes' });
      continue;
    }
    const earlier = seen.get(person.id);
    if (earlier !== undefined) {
      problems.push({ line: w.row.line, column: hits[0]?.key ?? column, reason: `the same person as line ${earlier}` });
      continue;
    }
    seen.set(person.id, w.row.line);
    matched += 1;
    const by = hits.map((h) => h.key);
    for (const k of by) matchedBy[k] += 1;
    matches.push({ line: w.row.line, by });
    if (live.has(person.id)) alreadyConfirmed += 1;
    else toCreate.push({ person, line: w.row.line, confirmedOn: w.confirmedOn, reference: w.reference });
  }
  if (input.dryRun || toCreate.length === 0) return report(matched, 0, alreadyConfirmed);

  const created = await deps.db.transaction(async (tx) => {
    const rows = await tx
      .insert(digitalSkillConfirmations)
      .values(
        toCreate.map((c) => ({
          userId: c.person.id,
          ruleVersionId: rule.id,
          source: 'import' as const,
          sourceRef: `${input.sourceName.trim()}, dòng ${c.line}${c.reference ? `, ${c.reference}` : ''}`,
          communeId: c.person.communeId,
          targetGroupId: c.person.targetGroupId,
          confirmedBy: actor.userId,
          confirmedAt: c.confirmedOn ? new Date(`${c.confirmedOn}T00:00:00Z`) : now,
        })),
      )
      .onConflictDoNothing()
      .returning();
    await appendEvidence(
      tx,
      rows.map((r) => ({
        kind: 'digital_skill.confirm',
        subjectId: r.id,
        payload: {
          userId: r.userId,
          ruleVersionId: r.ruleVersionId,
          source: 'import',
          sourceRef: r.sourceRef,
          confirmedBy: actor.userId,
          confirmedAt: r.confirmedAt.toISOString(),
        },
      })),
      now,
    );
    // a confirmation dated in an earlier year counts from that year on
    await markIndicatorsDirty(tx, {
      userIds: rows.map((r) => r.userId),
      inputs: ['digital-skills'],
      fromYear: Math.min(...rows.map((r) => localYear(r.confirmedAt))),
    });
    for (const r of rows)
      await notifier.notify(tx, { userId: r.userId, kind: 'digital_skill.confirmed', params: { ruleVersionId: rule.id, source: 'import' } });
    await recordAudit(
      tx,
      {
        action: 'digital_skill.confirm',
        outcome: 'success',
        actorUserId: actor.userId,
        subjectType: 'import',
        subjectKey: input.sourceName.trim(),
        details: { created: rows.length, problems: problems.length },
      },
      deps.ctx,
    );
    return rows.length;
  });
  return report(matched, created, alreadyConfirmed + (toCreate.length - created));
}
