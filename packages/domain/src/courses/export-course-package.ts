import { coursePackageFiles, packageLimitProblem, zipCoursePackage } from '@hts/content';
import type { Db } from '@hts/db';
import type { Actor } from '../access/actor.ts';
import { DomainError } from '../shared/errors.ts';
import { getCourseDraft } from './get-course-draft.ts';

/**
 * The course the trainer is editing (its draft, or the published version when there are no edits) as a
 * zip in the content/ format: what `importCoursePackage` and content/courses/ read back as the same course.
 */
export async function exportCoursePackage(deps: { db: Db }, actor: Actor, courseId: string): Promise<{ filename: string; zip: AsyncIterable<Uint8Array> }> {
  const { course, draft } = await getCourseDraft(deps, actor, courseId);
  const limit = packageLimitProblem(draft);
  if (limit) throw new DomainError('conflict', limit, [{ field: '/params/id', message: limit }]);
  return { filename: `${course.slug}.zip`, zip: zipCoursePackage(coursePackageFiles(course.slug, draft)) };
}
