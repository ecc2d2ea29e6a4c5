import type { BulkEnrolBody, BulkEnrolResult } from '@hts/contracts';
import { courses, courseVersions, type Db, enrolments, geoUnits, targetGroups, users } from '@hts/db';
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { type Actor, coversCommune, requireRole } from '../access/actor.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { parseLogin } from '../auth/identifiers.ts';
import type { RequestContext } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';

const INSERT_CHUNK = 1000;

/**
 * Enrols a group in a published course, each pinned to its current version (an existing enrolment is
 * left as it is). Who may: the course's trainer (or an admin) for anyone; an officer for the people of the
 * communes they cover: people found elsewhere are reported, not enrolled. The group is a list of phones and
 * e-mails (those no account has are reported back) or a commune with an optional target group. A dry run
 * answers the same report, counting who would be enrolled, and writes nothing.
 */
export async function bulkEnrol(deps: { db: Db }, actor: Actor, courseId: string, input: BulkEnrolBody, ctx: RequestContext = {}): Promise<BulkEnrolResult> {
  requireRole(actor, ['trainer', 'officer', 'admin']);
  if ((input.contacts === undefined) === (input.communeCode === undefined))
    throw new DomainError('validation_failed', 'send either contacts or communeCode', [
      { field: '/body', message: 'needs contacts, or communeCode (and maybe targetGroupCode)' },
    ]);
  if (input.targetGroupCode !== undefined && input.communeCode === undefined)
    throw new DomainError('validation_failed', 'targetGroupCode goes with communeCode', [{ field: '/body/targetGroupCode', message: 'needs communeCode' }]);
  const [course] = await deps.db
    .select({ ownerId: courses.ownerId, versionId: courses.publishedVersionId, number: courseVersions.number })
    .from(courses)
    .innerJoin(courseVersions, eq(courseVersions.id, courses.publishedVersionId))
    .where(eq(courses.id, courseId));
  if (!course?.versionId)
    throw new DomainError('not_found', 'no published course has this id', [{ field: '/params/id', message: 'no published course has this id' }]);
  const everyone = actor.roles.has('admin') || (actor.roles.has('trainer') && course.ownerId === actor.userId);
  if (!everyone && !actor.roles.has('officer')) throw new DomainError('forbidden', 'only the trainer of this course, an officer or an admin can enrol a group');
  const inScope = (communeId: string | null) => everyone || (communeId !== null && coversCommune(actor, ['officer'], communeId));

  const invalid: string[] = [];
  const notFound: string[] = [];
  const outsideScope: string[] = [];
  let found: Array<{ id: string; communeId: string | null; contact: string }> = [];
  if (input.contacts) {
    const parsed = new Map<string, string>();
    for (const raw of input.contacts) {
      const id = parseLogin(raw);
      if (!id) invalid.push(raw);
      else parsed.set(`${id.kind}:${id.value}`, raw);
    }
    const emails = [...parsed.keys()].filter((k) => k.startsWith('email:')).map((k) => k.slice(6));
    const phones = [...parsed.keys()].filter((k) => k.startsWith('phone:')).map((k) => k.slice(6));
    const rows =
      emails.length + phones.length === 0
        ? []
        : await deps.db
            .select({ id: users.id, email: users.email, phone: users.phone, communeId: users.communeId })
            .from(users)
            .where(
              and(
                eq(users.status, 'active'),
                or(emails.length ? inArray(users.email, emails) : sql`false`, phones.length ? inArray(users.phone, phones) : sql`false`),
              ),
            );
    const seen = new Set<string>();
    for (const r of rows) {
      for (const key of [r.email && `email:${r.email}`, r.phone && `phone:${r.phone}`]) {
        const contact = key ? parsed.get(key) : undefined;
        if (contact === undefined) continue;
        seen.add(key as string);
        found.push({ id: r.id, communeId: r.communeId, contact });
      }
    }
    for (const [key, raw] of parsed) if (!seen.has(key)) notFound.push(raw);
    found = [...new Map(found.map((f) => [f.id, f])).values()];
  } else {
    const [commune] = await deps.db
      .select({ id: geoUnits.id })
      .from(geoUnits)
      .where(eq(geoUnits.code, input.communeCode as string));
    if (!commune) throw new DomainError('not_found', 'no commune has this code', [{ field: '/body/communeCode', message: 'no commune has this code' }]);
    if (!inScope(commune.id))
      throw new DomainError('forbidden', 'this commune is outside your scope', [{ field: '/body/communeCode', message: 'outside your scope' }]);
    let groupId: string | undefined;
    if (input.targetGroupCode !== undefined) {
      const [group] = await deps.db.select({ id: targetGroups.id }).from(targetGroups).where(eq(targetGroups.code, input.targetGroupCode));
      if (!group)
        throw new DomainError('not_found', 'no target group has this code', [{ field: '/body/targetGroupCode', message: 'no target group has this code' }]);
      groupId = group.id;
    }
    const rows = await deps.db
      .select({ id: users.id, communeId: users.communeId })
      .from(users)
      .where(and(eq(users.status, 'active'), eq(users.communeId, commune.id), groupId ? eq(users.targetGroupId, groupId) : undefined));
    found = rows.map((r) => ({ ...r, contact: r.id }));
  }
  const allowed = found.filter((f) => {
    if (inScope(f.communeId)) return true;
    outsideScope.push(f.contact);
    return false;
  });

  if (input.dryRun) {
    // the preview: who would be enrolled, counted against the enrolments that exist now; nothing is written
    let already = 0;
    for (let i = 0; i < allowed.length; i += INSERT_CHUNK) {
      const ids = allowed.slice(i, i + INSERT_CHUNK).map((f) => f.id);
      const [row] = await deps.db
        .select({ n: sql<number>`count(*)::int` })
        .from(enrolments)
        .where(and(eq(enrolments.courseId, courseId), inArray(enrolments.userId, ids)));
      already += row?.n ?? 0;
    }
    return {
      versionNumber: course.number,
      dryRun: true,
      matched: found.length,
      enrolled: allowed.length - already,
      alreadyEnrolled: already,
      notFound,
      invalid,
      outsideScope,
    };
  }

  let enrolled = 0;
  await deps.db.transaction(async (tx) => {
    for (let i = 0; i < allowed.length; i += INSERT_CHUNK) {
      const chunk = allowed.slice(i, i + INSERT_CHUNK);
      const inserted = await tx
        .insert(enrolments)
        .values(chunk.map((f) => ({ userId: f.id, courseId, versionId: course.versionId as string })))
        .onConflictDoNothing({ target: [enrolments.userId, enrolments.courseId] })
        .returning({ id: enrolments.id });
      enrolled += inserted.length;
    }
    if (enrolled > 0)
      await tx
        .update(courses)
        .set({ enrolmentCount: sql`${courses.enrolmentCount} + ${enrolled}` })
        .where(eq(courses.id, courseId));
    await recordAudit(
      tx,
      {
        action: 'course.bulk_enrol',
        outcome: 'success',
        actorUserId: actor.userId,
        subjectType: 'course',
        subjectId: courseId,
        details: {
          by: input.contacts ? 'contacts' : 'commune',
          communeCode: input.communeCode ?? null,
          targetGroupCode: input.targetGroupCode ?? null,
          enrolled,
          matched: found.length,
        },
      },
      ctx,
    );
  });
  return {
    versionNumber: course.number,
    dryRun: false,
    matched: found.length,
    enrolled,
    alreadyEnrolled: allowed.length - enrolled,
    notFound,
    invalid,
    outsideScope,
  };
}
