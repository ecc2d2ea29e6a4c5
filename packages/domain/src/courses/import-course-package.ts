import { COURSE_PACKAGE_LIMITS, formatProblem, readCoursePackage } from '@hts/content';
import type { CourseDraft, ErrorDetail } from '@hts/contracts';
import { courses, type Db } from '@hts/db';
import { eq } from 'drizzle-orm';
import { type Actor, requireRole } from '../access/actor.ts';
import type { Clock } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { knownCodes } from './course-doc.ts';
import { getCourseDraft } from './get-course-draft.ts';
import { trainerCourseView } from './trainer-course-view.ts';

/** At most this many problems are sent back; the first ones are what the author fixes first. */
const MAX_DETAILS = 50;

/**
 * A course package (a zip of one content/courses/<slug>/ folder) becomes a draft, checked exactly as
 * `content check` checks content/: a new course owned by the caller, or the new draft of the caller's
 * course with that slug (published versions, and everyone learning from them, stay as they are). Someone
 * else's slug is a conflict. Nothing is written unless the whole package is valid.
 */
export async function importCoursePackage(
  deps: { db: Db; clock: Clock },
  actor: Actor,
  input: { body: AsyncIterable<Uint8Array>; contentLength?: number; slug?: string },
): Promise<{ created: boolean; draft: CourseDraft }> {
  requireRole(actor, ['trainer', 'admin']);
  const bytes = await readAtMost(input.body, COURSE_PACKAGE_LIMITS.maxPackageBytes, input.contentLength);
  const { course, problems } = await readCoursePackage(bytes, await knownCodes(deps.db), input.slug ? { slug: input.slug } : {});
  if (!course) {
    const details: ErrorDetail[] = problems.slice(0, MAX_DETAILS).map((p) => ({ field: `/body/${p.file}`, file: p.file, line: p.line, message: p.message }));
    throw new DomainError(
      'validation_failed',
      `the course package has ${problems.length} problem(s); first: ${formatProblem(problems[0] ?? { file: '(package)', line: 1, message: 'invalid' })}`,
      details,
    );
  }
  const now = deps.clock.now();
  const [existing] = await deps.db.select().from(courses).where(eq(courses.slug, course.slug));
  if (existing) {
    if (!actor.roles.has('admin') && existing.ownerId !== actor.userId)
      throw new DomainError('conflict', 'a course of someone else already has this slug', [
        { field: '/query/slug', message: `${course.slug} belongs to another trainer's course: import it under another slug (?slug=…)` },
      ]);
    await deps.db
      .update(courses)
      .set({ draft: course.doc, draftUpdatedAt: now, updatedAt: now, ...(existing.publishedVersionId ? {} : { title: course.doc.title }) })
      .where(eq(courses.id, existing.id));
    return { created: false, draft: await getCourseDraft(deps, actor, existing.id) };
  }
  const [row] = await deps.db
    .insert(courses)
    .values({ slug: course.slug, title: course.doc.title, ownerId: actor.userId, origin: 'authored', draft: course.doc, draftUpdatedAt: now })
    .onConflictDoNothing({ target: courses.slug })
    .returning();
  if (!row)
    throw new DomainError('conflict', 'a course with this slug was created at the same moment; import again', [
      { field: '/query/slug', message: 'just taken' },
    ]);
  return { created: true, draft: { course: trainerCourseView(row, null), draft: course.doc } };
}

/** The body, refused with 413 as soon as it passes `max` bytes (or at once when its declared length does). */
async function readAtMost(body: AsyncIterable<Uint8Array>, max: number, declared?: number): Promise<Uint8Array> {
  const tooBig = () =>
    new DomainError('payload_too_large', `a course package may be at most ${max} bytes`, [{ field: '/body', message: `larger than ${max} bytes` }]);
  if (declared !== undefined && declared > max) throw tooBig();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > max) throw tooBig();
    chunks.push(chunk);
  }
  if (size === 0) throw new DomainError('validation_failed', 'the body is empty: send the zip file', [{ field: '/body', message: 'empty' }]);
  return Buffer.concat(chunks, size);
}
