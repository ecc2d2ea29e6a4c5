import type { CourseDoc, Role } from '@hts/contracts';
import { courses, type DatabaseHandle, enrolments, mediaAssets, users } from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../access/actor.ts';
import { publishVersion } from '../courses/publish-version.ts';
import { canWatch } from './can-watch.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase(process.env.TEST_DATABASE_URL);
});
afterAll(async () => h?.close());

let n = 0;
async function user(role: Role): Promise<Actor> {
  n += 1;
  const [row] = await h.db
    .insert(users)
    .values({ fullName: `Người ${n}`, passwordHash: 'x', email: `u${n}-${Date.now()}@example.vn` })
    .returning();
  return { userId: (row as { id: string }).id, roles: new Set([role]), scopes: new Map() };
}

function doc(mediaAssetId: string | null): CourseDoc {
  const tags = { competences: [], targetGroups: [] };
  const video = { hlsUrl: mediaAssetId ? null : 'https://cdn.example.vn/a.m3u8', mediaAssetId, durationSeconds: 10, watchPercent: 90 };
  return {
    ...tags,
    title: 'Khóa',
    summary: '',
    level: 'co-ban',
    language: 'vi',
    sequence: 'free',
    modules: [{ ...tags, id: 'mot', title: 'Một', lessons: [{ ...tags, id: 'mot.xem', title: 'Xem', kind: 'video', minutes: 1, required: true, video }] }],
  };
}

/** A course of `ownerId`, published once with `published` as its video, its draft naming `draft`. */
async function course(ownerId: string, published: string | null, draft?: string) {
  const [row] = await h.db
    .insert(courses)
    .values({ slug: `khoa-${++n}-${Date.now()}`, title: 'Khóa', ownerId })
    .returning({ id: courses.id });
  const id = (row as { id: string }).id;
  await h.db.transaction((tx) => publishVersion(tx, id, doc(published), ownerId, new Date()));
  const [c] = await h.db.select().from(courses).where(eq(courses.id, id));
  if (draft)
    await h.db
      .update(courses)
      .set({ draft: doc(draft) })
      .where(eq(courses.id, id));
  return { id, versionId: c?.publishedVersionId as string };
}

describe('canWatch', () => {
  it('lets the owner, admins, learners on a version that plays the asset and that course’s trainer watch; nobody else', async () => {
    const [owner, admin, otherTrainer, draftTrainer, learner, elsewhere, stranger] = await Promise.all([
      user('trainer'),
      user('admin'),
      user('trainer'),
      user('trainer'),
      user('citizen'),
      user('citizen'),
      user('citizen'),
    ]);
    const [asset] = await h.db.insert(mediaAssets).values({ ownerId: owner.userId, kind: 'video', title: 'Video', status: 'ready' }).returning();
    const a = asset as { id: string; ownerId: string };
    const plays = await course(otherTrainer.userId, a.id);
    const other = await course(owner.userId, null, a.id);
    await course(draftTrainer.userId, null, a.id);
    await h.db.insert(enrolments).values([
      { userId: learner.userId, courseId: plays.id, versionId: plays.versionId },
      // enrolled, but in a version that plays a plain address: no
      { userId: elsewhere.userId, courseId: other.id, versionId: other.versionId },
    ]);
    const can = (actor: Actor) => canWatch(h.db, actor, a);
    expect(await can(owner)).toBe(true);
    expect(await can(admin)).toBe(true);
    expect(await can(learner)).toBe(true);
    expect(await can(otherTrainer)).toBe(true); // their published course plays it
    expect(await can(draftTrainer)).toBe(true); // previewing their draft
    expect(await can(elsewhere)).toBe(false);
    expect(await can(stranger)).toBe(false);
    expect(await can({ ...stranger, roles: new Set(['trainer']) })).toBe(false);
  });
});
