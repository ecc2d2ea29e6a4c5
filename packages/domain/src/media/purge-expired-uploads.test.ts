import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DatabaseHandle, mediaAssets, uploadSessions, users } from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { createObjectStore, type ObjectStore } from '@hts/storage';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaKeys } from './media-keys.ts';
import { purgeExpiredUploads } from './purge-expired-uploads.ts';

let h: DatabaseHandle;
let store: ObjectStore;
let dir: string;
beforeAll(async () => {
  h = await openTestDatabase(process.env.TEST_DATABASE_URL);
  dir = await mkdtemp(path.join(tmpdir(), 'hts-purge-test-'));
  store = createObjectStore({ kind: 'local', dir, publicBaseUrl: 'http://localhost/objects', signingSecret: 's'.repeat(40) });
  await store.init();
});
afterAll(async () => {
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

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
