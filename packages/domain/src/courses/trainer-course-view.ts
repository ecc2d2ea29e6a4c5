import type { TrainerCourse } from '@hts/contracts';
import type { CourseRow } from '@hts/db';

export function trainerCourseView(row: CourseRow, publishedVersion: number | null): TrainerCourse {
  return {
    id: row.id,
    slug: row.slug,
    title: row.draft?.title ?? row.title,
    ownerId: row.ownerId,
    hasDraft: row.draft !== null,
    publishedVersion,
    updatedAt: row.updatedAt.toISOString(),
  };
}
