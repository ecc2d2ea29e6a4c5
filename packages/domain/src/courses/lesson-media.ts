import type { CourseDoc, ErrorDetail } from '@hts/contracts';
import { type CourseRow, type Db, type MediaAssetRow, mediaAssets } from '@hts/db';
import { inArray } from 'drizzle-orm';
import { type Actor, hasAnyRole } from '../access/actor.ts';
import { DomainError } from '../shared/errors.ts';

/**
 * Checks the media assets a draft's video lessons name: each must be a video or audio asset of the course's
 * trainer (or of the editor; admins may use any). With `publishing`, each must also be ready, and the
 * lesson's duration is taken from the asset, so the watch-time rule counts against the real length.
 * Returns the document to save or publish.
 */
export async function checkLessonMedia(
  db: Db,
  actor: Actor,
  course: Pick<CourseRow, 'ownerId'>,
  doc: CourseDoc,
  options: { publishing: boolean; base?: string },
): Promise<CourseDoc> {
  const base = options.base ?? '/draft';
  // JSON-schema coercion turns a null hlsUrl into "": a lesson plays either its asset or its address, never ""
  doc = {
    ...doc,
    modules: doc.modules.map((m) => ({
      ...m,
      lessons: m.lessons.map((l) => (l.video ? { ...l, video: { ...l.video, hlsUrl: l.video.mediaAssetId ? null : l.video.hlsUrl || null } } : l)),
    })),
  };
  const named = doc.modules.flatMap((m) => m.lessons.flatMap((l) => (l.video?.mediaAssetId ? [l.video.mediaAssetId] : [])));
  if (named.length === 0) return doc;
  const wellFormed = named.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
  const rows = wellFormed.length > 0 ? await db.select().from(mediaAssets).where(inArray(mediaAssets.id, wellFormed)) : [];
  const byId = new Map<string, MediaAssetRow>(rows.map((r) => [r.id, r]));
  const details: ErrorDetail[] = [];
  const usable = (a: MediaAssetRow) => a.ownerId === actor.userId || a.ownerId === course.ownerId || hasAnyRole(actor, ['admin']);
  const modules = doc.modules.map((m, mi) => ({
    ...m,
    lessons: m.lessons.map((l, li) => {
      const id = l.video?.mediaAssetId;
      if (!l.video || !id) return l;
      const field = `${base}/modules/${mi}/lessons/${li}/video/mediaAssetId`;
      const asset = byId.get(id.toLowerCase());
      if (!asset || asset.kind === 'captions' || !usable(asset)) {
        details.push({ field, message: 'no video or audio of yours has this id' });
        return l;
      }
      if (!options.publishing) return l;
      if (asset.status !== 'ready' || !asset.durationSeconds) {
        details.push({ field, message: `the video "${asset.title}" is not ready yet (${asset.status})` });
        return l;
      }
      return { ...l, video: { ...l.video, mediaAssetId: asset.id, durationSeconds: asset.durationSeconds } };
    }),
  }));
  if (details.length > 0) throw new DomainError('validation_failed', details[0]?.message ?? 'a video lesson names an unusable media asset', details);
  return { ...doc, modules };
}
