import { courses, courseVersionMedia, courseVersions, type Db, enrolments, type MediaAssetRow } from '@hts/db';
import { and, eq, or, sql } from 'drizzle-orm';
import { type Actor, hasAnyRole } from '../access/actor.ts';

/**
 * Who may watch an asset: its owner, admins, learners enrolled in a course whose version they are on plays
 * it, and the trainer of a course that plays it (published or in the draft they are previewing). Every
 * playback path asks only this.
 */
export async function canWatch(db: Db, actor: Actor, asset: Pick<MediaAssetRow, 'id' | 'ownerId'>): Promise<boolean> {
  if (asset.ownerId === actor.userId) return true;
  if (hasAnyRole(actor, ['admin'])) return true;
  const [enrolled] = await db
    .select({ one: sql<number>`1` })
    .from(enrolments)
    .innerJoin(courseVersionMedia, eq(courseVersionMedia.versionId, enrolments.versionId))
    .where(and(eq(enrolments.userId, actor.userId), eq(courseVersionMedia.assetId, asset.id)))
    .limit(1);
  if (enrolled) return true;
  if (!hasAnyRole(actor, ['trainer'])) return false;
  const [teaches] = await db
    .select({ one: sql<number>`1` })
    .from(courses)
    .where(
      and(
        eq(courses.ownerId, actor.userId),
        or(
          sql`jsonb_path_exists(${courses.draft}, '$.modules[*].lessons[*].video.mediaAssetId ? (@ == $id)', jsonb_build_object('id', ${asset.id}::text))`,
          sql`exists (select 1 from ${courseVersionMedia} join ${courseVersions} on ${courseVersions.id} = ${courseVersionMedia.versionId}
                      where ${courseVersionMedia.assetId} = ${asset.id} and ${courseVersions.courseId} = ${courses.id})`,
        ),
      ),
    )
    .limit(1);
  return Boolean(teaches);
}
