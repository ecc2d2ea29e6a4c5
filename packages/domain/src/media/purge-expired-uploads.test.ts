import { type Db, mediaAssets, uploadSessions, users } from '@hts/db';
import type { ObjectStore } from '@hts/storage';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMediaTestbed } from '../testing.ts';
import { mediaKeys } from './media-keys.ts';
import { purgeExpiredUploads } from './purge-expired-uploads.ts';

let bed: Awaited<ReturnType<typeof openMediaTestbed>>;
let h: { db: Db };
let store: ObjectStore;
beforeAll(async () => {
  bed = await openMediaTestbed();
  h = bed;
  store = bed.store;
});
afterAll(async () => bed?.close());

describe('purgeExpiredUploads', () => {
  it('discards uploads left unfinished past their expiry and keeps live ones', async () => {
    const [user] = await h.db.insert(users).values({ fullName: 'Giảng viên', passwordHash: 'x' }).returning();
    const make = async (expiresAt: Date) => {
      const [asset] = await h.db
        .insert(mediaAssets)
        .values({ ownerId: user?.id as string, kind: 'video', title: 't' })
        .returning();
      const key = mediaKeys.source(asset?.id as string);
      const uploadId = await store.createMultipartUpload(key);
      await h.db.insert(uploadSessions).values({
        assetId: asset?.id as string,
        ownerId: user?.id as string,
        objectKey: key,
        multipartUploadId: uploadId,
        expectedSize: 10,
        partSize: 5 * 1024 * 1024,
        contentType: 'application/octet-stream',
        expiresAt,
      });
      return asset?.id as string;
    };
    const now = new Date();
    const stale = await make(new Date(now.getTime() - 1000));
    const live = await make(new Date(now.getTime() + 3600_000));
    expect(await purgeExpiredUploads({ db: h.db, store }, now)).toBe(1);
    expect(await h.db.select().from(mediaAssets).where(eq(mediaAssets.id, stale))).toHaveLength(0);
    expect(await h.db.select().from(mediaAssets).where(eq(mediaAssets.id, live))).toHaveLength(1);
  });
});
