import type { Db } from '@hts/db';
import type { Actor } from '../access/actor.ts';
import { type ExternalLaunch, requireExternal, startLaunch } from '../learning/launch-external.ts';
import type { Clock } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { findLesson } from './course-doc.ts';
import { getCourseDraft } from './get-course-draft.ts';

/**
 * "Preview as a learner" for an external activity lesson of the draft: the same cmi5 launch a learner gets
 * (LMS.LaunchData, "launched", a one-time fetch URL, a token limited to the activity and session), in a
 * preview session. It has no enrolment (its registration is the session's own id), every statement the
 * platform writes for it and the context template the activity copies carry the preview extension, and
 * nothing it sends completes a lesson or a course for anyone (completeFromStatements skips preview
 * sessions), so indicators never see it. Only the course's editors may launch it.
 */
export async function launchPreview(
  deps: { db: Db; clock: Clock },
  actor: Actor,
  courseId: string,
  lessonId: string,
  options: { homePage: string; origin: string },
): Promise<ExternalLaunch> {
  const { draft } = await getCourseDraft(deps, actor, courseId);
  const lesson = findLesson(draft, lessonId);
  if (!lesson) throw new DomainError('not_found', 'the draft has no such lesson', [{ field: '/params/lessonId', message: 'no such lesson in the draft' }]);
  const external = requireExternal(lesson);
  return startLaunch(deps, { userId: actor.userId, courseId, lesson, external, enrolmentId: null, launchMode: 'Normal', preview: true, ...options });
}
