/*
 * The behaviour every ObjectStore shares, run against each implementation by its own test file
 * (local-store.test.ts, s3-store.test.ts). Not a test file itself.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { listKeys } from './index.ts';
import { childKey, objectKey } from './keys.ts';
import { MIN_PART_SIZE, type ObjectStore, StorageError, type StorageErrorCode } from './object-store.ts';
import { readAll } from './streams.ts';

/** Where a test backend falls short of S3/MinIO; the product code never depends on these. */
export interface ContractOptions {
  /**
   * The backend checks multipart uploads like S3: unknown upload ids, parts under 5 MiB that are
   * not last, and etags that were not uploaded are rejected. s3rver 3.7 accepts all three.
   */
  strictMultipart: boolean;
  /** The backend implements AbortMultipartUpload (s3rver 3.7 answers 405). */
  supportsAbort: boolean;
  /** The backend lists in ascending byte order like S3/MinIO (s3rver 3.7 walks folders first). */
  listsInOrder: boolean;
}

const MiB = 1024 * 1024;

/** A stream of `data` in uneven pieces, like a network body. */
export function streamOf(data: Buffer, pieceSize = 64 * 1024 + 7): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < data.length; offset += pieceSize) yield data.subarray(offset, offset + pieceSize);
    })(),
  );
}

export function md5(data: Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

export async function expectStorageError(promise: Promise<unknown>, code: StorageErrorCode): Promise<StorageError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected a StorageError(${code}), got success`);
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StorageError);
  expect((error as StorageError).code).toBe(code);
  return error as StorageError;
}

let counter = 0;
/** A fresh folder of keys per test, so tests never see each other's objects. */
function freshPrefix(): string {
  counter += 1;
  return objectKey('contract', `${Date.now().toString(36)}-${counter}-${randomBytes(3).toString('hex')}`);
}

export const UNSAFE_KEYS = [
  '',
  '../escape',
  'a/../../escape',
  '/etc/passwd',
  'a//b',
  'a/',
  '.hidden',
  'a/.hidden',
  'a/..',
  'a\\b',
  'C:\\x',
  'a b',
  'ngữ-văn',
  'a\0b',
  'a%2F..',
  `${'x'.repeat(256)}`,
];

export function objectStoreContract(name: string, makeStore: () => Promise<ObjectStore>, options: ContractOptions) {
  describe(`${name}: object store contract`, () => {
    let store: ObjectStore;
    beforeAll(async () => {
      store = await makeStore();
    });

    it('stores bytes and reads them back as a stream and as a buffer', async () => {
      const key = childKey(freshPrefix(), 'hello.txt');
      const body = Buffer.from('xin chào, học tập số');
      await store.put(key, body, { contentType: 'text/plain; charset=utf-8' });
      expect(await store.getBuffer(key)).toEqual(body);
      expect(await readAll(await store.get(key))).toEqual(body);
    });

    it('reports size, content type, etag and modification time of a stored object', async () => {
      const key = childKey(freshPrefix(), 'lesson.json');
      const body = Buffer.from('{"a":1}');
      const before = Date.now();
      const { etag } = await store.put(key, body, { contentType: 'application/json', size: body.length });
      const info = await store.stat(key);
      expect(info).not.toBeNull();
      expect(info?.size).toBe(body.length);
      expect(info?.contentType).toBe('application/json');
      expect(info?.etag).toBe(md5(body));
      expect(etag).toBe(md5(body));
      expect(info?.lastModified).toBeInstanceOf(Date);
      // Whole seconds on S3; allow for that and for clock rounding.
      expect(Math.abs((info?.lastModified.getTime() ?? 0) - before)).toBeLessThan(60_000);
      expect(await store.exists(key)).toBe(true);
    });

    it('stores application/octet-stream when no content type is given', async () => {
      const key = childKey(freshPrefix(), 'clip.mp4');
      await store.put(key, Buffer.from('not really a video'));
      expect((await store.stat(key))?.contentType).toBe('application/octet-stream');
    });

    it('replaces an object put again under the same key', async () => {
      const key = childKey(freshPrefix(), 'doc.txt');
      await store.put(key, Buffer.from('first version'), { contentType: 'text/plain' });
      await store.put(key, Buffer.from('second'), { contentType: 'text/markdown' });
      expect((await store.getBuffer(key)).toString()).toBe('second');
      const info = await store.stat(key);
      expect(info?.size).toBe(6);
      expect(info?.contentType).toBe('text/markdown');
    });

    it('stores an empty object', async () => {
      const key = childKey(freshPrefix(), 'empty');
      await store.put(key, Buffer.alloc(0));
      expect((await store.getBuffer(key)).length).toBe(0);
      await store.put(key, streamOf(Buffer.alloc(0)));
      expect((await store.stat(key))?.size).toBe(0);
    });

    it('returns null from stat and false from exists for a missing key', async () => {
      const key = childKey(freshPrefix(), 'nothing-here');
      expect(await store.stat(key)).toBeNull();
      expect(await store.exists(key)).toBe(false);
    });

    it('rejects reading a missing key with not_found', async () => {
      const key = childKey(freshPrefix(), 'nothing-here');
      await expectStorageError(store.get(key), 'not_found');
      await expectStorageError(store.getBuffer(key), 'not_found');
    });

    it('treats a folder of objects as no object', async () => {
      const prefix = freshPrefix();
      await store.put(childKey(prefix, 'inner', 'file'), Buffer.from('x'));
      expect(await store.stat(childKey(prefix, 'inner'))).toBeNull();
      await expectStorageError(store.get(childKey(prefix, 'inner')), 'not_found');
    });

    it('removes an object, and removing a missing one is not an error', async () => {
      const key = childKey(freshPrefix(), 'gone.txt');
      await store.put(key, Buffer.from('bye'));
      await store.remove(key);
      expect(await store.exists(key)).toBe(false);
      await expectStorageError(store.get(key), 'not_found');
      await expect(store.remove(key)).resolves.toBeUndefined();
    });

    it('lists the keys under a prefix in ascending order, whole segments only', async () => {
      const prefix = freshPrefix();
      const keys = [
        childKey(prefix, 'course-1', 'b.txt'),
        childKey(prefix, 'course-1', 'a.txt'),
        childKey(prefix, 'course-1', 'video', 'seg-001.ts'),
        childKey(prefix, 'course-1', 'video', 'index.m3u8'),
        childKey(prefix, 'course-1-extra', 'x.txt'),
        childKey(prefix, 'course-1.zip'),
        childKey(prefix, 'course-10', 'y.txt'),
      ];
      for (const key of keys) await store.put(key, Buffer.from(key));
      const sorted = [...keys].sort();
      const listed = async (p: string) => {
        const found = await listKeys(store, p);
        return options.listsInOrder ? found : found.sort();
      };
      expect(await listed(prefix)).toEqual(sorted);
      expect(await listed(`${prefix}/`)).toEqual(sorted);
      expect(await listed(childKey(prefix, 'course-1'))).toEqual([
        childKey(prefix, 'course-1', 'a.txt'),
        childKey(prefix, 'course-1', 'b.txt'),
        childKey(prefix, 'course-1', 'video', 'index.m3u8'),
        childKey(prefix, 'course-1', 'video', 'seg-001.ts'),
      ]);
      expect(await listKeys(store, childKey(prefix, 'course-1', 'b.txt'))).toEqual([]);
      const everything = await listKeys(store, '');
      expect(everything).toEqual(expect.arrayContaining(keys));
    });

    it('lists nothing under an unknown prefix', async () => {
      expect(await listKeys(store, childKey(freshPrefix(), 'nobody'))).toEqual([]);
    });

    it('removes every object under a prefix and leaves its neighbours', async () => {
      const prefix = freshPrefix();
      const doomed = [childKey(prefix, 'user-12', 'a'), childKey(prefix, 'user-12', 'deep', 'b')];
      const kept = [childKey(prefix, 'user-123', 'a'), childKey(prefix, 'user-12.json')];
      for (const key of [...doomed, ...kept]) await store.put(key, Buffer.from('x'));
      expect(await store.removePrefix(childKey(prefix, 'user-12'))).toBe(2);
      expect((await listKeys(store, prefix)).sort()).toEqual([...kept].sort());
      expect(await store.removePrefix(childKey(prefix, 'user-12'))).toBe(0);
    });

    it('refuses to remove an empty prefix', async () => {
      await expectStorageError(store.removePrefix(''), 'invalid_key');
      await expectStorageError(store.removePrefix('/'), 'invalid_key');
    });

    it('streams a few MB through put and get without changing a byte', async () => {
      const key = childKey(freshPrefix(), 'big.bin');
      const data = randomBytes(3 * MiB + 12_345);
      await store.put(key, streamOf(data), { size: data.length, contentType: 'application/octet-stream' });
      const stream = await store.get(key);
      const hash = createHash('md5');
      let length = 0;
      let chunks = 0;
      for await (const chunk of stream) {
        hash.update(chunk as Buffer);
        length += (chunk as Buffer).length;
        chunks += 1;
      }
      expect(length).toBe(data.length);
      expect(hash.digest('hex')).toBe(md5(data));
      expect(chunks).toBeGreaterThan(1);
      expect((await store.stat(key))?.size).toBe(data.length);
    });

    it('stores a stream of unknown length larger than one upload part', async () => {
      const key = childKey(freshPrefix(), 'long.bin');
      const data = randomBytes(11 * MiB + 3);
      await store.put(key, streamOf(data, MiB / 3));
      const back = await store.getBuffer(key);
      expect(back.length).toBe(data.length);
      expect(md5(back)).toBe(md5(data));
    });

    it('rejects a body that does not match the declared size and stores nothing', async () => {
      const key = childKey(freshPrefix(), 'short.bin');
      await expectStorageError(store.put(key, streamOf(Buffer.alloc(1000)), { size: 1001 }), 'invalid_argument');
      await expectStorageError(store.put(key, streamOf(Buffer.alloc(1000)), { size: 999 }), 'invalid_argument');
      await expectStorageError(store.put(key, Buffer.alloc(10), { size: 11 }), 'invalid_argument');
      await expectStorageError(store.put(key, Buffer.alloc(10), { size: -1 }), 'invalid_argument');
      expect(await store.exists(key)).toBe(false);
    });

    it('rejects a content type that could smuggle a header', async () => {
      const key = childKey(freshPrefix(), 'x');
      await expectStorageError(store.put(key, Buffer.from('x'), { contentType: 'text/plain\r\nX-Evil: 1' }), 'invalid_argument');
    });

    it('rejects unsafe keys in every method with invalid_key', async () => {
      const body = Buffer.from('x');
      for (const bad of UNSAFE_KEYS) {
        await expectStorageError(store.put(bad, body), 'invalid_key');
        await expectStorageError(store.get(bad), 'invalid_key');
        await expectStorageError(store.getBuffer(bad), 'invalid_key');
        await expectStorageError(store.stat(bad), 'invalid_key');
        await expectStorageError(store.exists(bad), 'invalid_key');
        await expectStorageError(store.remove(bad), 'invalid_key');
        await expectStorageError(store.signedGetUrl(bad, { expiresInSeconds: 60 }), 'invalid_key');
        await expectStorageError(store.createMultipartUpload(bad, 'text/plain'), 'invalid_key');
        await expectStorageError(store.uploadPart(bad, 'u', 1, body), 'invalid_key');
        await expectStorageError(store.completeMultipartUpload(bad, 'u', [{ partNumber: 1, etag: 'e' }]), 'invalid_key');
        await expectStorageError(store.abortMultipartUpload(bad, 'u'), 'invalid_key');
        if (bad !== '' && bad !== 'a/') {
          await expectStorageError(listKeys(store, bad), 'invalid_key');
          await expectStorageError(store.removePrefix(bad), 'invalid_key');
        }
      }
    });

    it('rejects a signed URL lifetime outside 1 second to 7 days', async () => {
      const key = childKey(freshPrefix(), 'x');
      for (const expiresInSeconds of [0, -5, 1.5, 604_801, Number.NaN]) {
        await expectStorageError(store.signedGetUrl(key, { expiresInSeconds }), 'invalid_argument');
      }
    });

    it('assembles a multipart upload of several parts in part order', async () => {
      const key = childKey(freshPrefix(), 'upload.mp4');
      const part1 = randomBytes(MIN_PART_SIZE);
      const part2 = randomBytes(MIN_PART_SIZE + 17);
      const part3 = randomBytes(MiB + 5);
      const uploadId = await store.createMultipartUpload(key, 'video/mp4');
      expect(typeof uploadId).toBe('string');
      // Parts may arrive out of order, as a stream or a buffer.
      const third = await store.uploadPart(key, uploadId, 3, part3);
      const first = await store.uploadPart(key, uploadId, 1, streamOf(part1));
      const second = await store.uploadPart(key, uploadId, 2, part2);
      expect(first.etag).toBe(md5(part1));
      expect(await store.exists(key)).toBe(false);
      const done = await store.completeMultipartUpload(key, uploadId, [
        { partNumber: 1, etag: first.etag },
        { partNumber: 2, etag: second.etag },
        { partNumber: 3, etag: third.etag },
      ]);
      expect(done.etag).toEqual(expect.any(String));
      const back = await store.getBuffer(key);
      expect(back.length).toBe(part1.length + part2.length + part3.length);
      expect(md5(back)).toBe(md5(Buffer.concat([part1, part2, part3])));
      const info = await store.stat(key);
      expect(info?.contentType).toBe('video/mp4');
      expect(info?.size).toBe(back.length);
    });

    it('keeps the last upload of a part number uploaded twice', async () => {
      const key = childKey(freshPrefix(), 'retry.bin');
      const uploadId = await store.createMultipartUpload(key);
      const part1 = randomBytes(MIN_PART_SIZE);
      await store.uploadPart(key, uploadId, 1, randomBytes(MIN_PART_SIZE));
      const again = await store.uploadPart(key, uploadId, 1, part1);
      const last = await store.uploadPart(key, uploadId, 2, Buffer.from('tail'));
      await store.completeMultipartUpload(key, uploadId, [
        { partNumber: 1, etag: again.etag },
        { partNumber: 2, etag: `"${last.etag}"` },
      ]);
      expect(md5(await store.getBuffer(key))).toBe(md5(Buffer.concat([part1, Buffer.from('tail')])));
    });

    it.skipIf(!options.strictMultipart)('rejects parts and completion for an unknown upload with not_found', async () => {
      const key = childKey(freshPrefix(), 'x.bin');
      const unknown = randomBytes(16).toString('hex');
      await expectStorageError(store.uploadPart(key, unknown, 1, Buffer.from('x')), 'not_found');
      await expectStorageError(store.completeMultipartUpload(key, unknown, [{ partNumber: 1, etag: md5(Buffer.from('x')) }]), 'not_found');
      await expectStorageError(store.uploadPart(key, '', 1, Buffer.from('x')), 'not_found');
    });

    it('rejects bad part numbers and part lists before touching the backend', async () => {
      const key = childKey(freshPrefix(), 'x.bin');
      const uploadId = await store.createMultipartUpload(key);
      for (const partNumber of [0, -1, 10_001, 1.5]) {
        await expectStorageError(store.uploadPart(key, uploadId, partNumber, Buffer.from('x')), 'invalid_argument');
      }
      await expectStorageError(store.completeMultipartUpload(key, uploadId, []), 'invalid_argument');
      await expectStorageError(
        store.completeMultipartUpload(key, uploadId, [
          { partNumber: 2, etag: 'a' },
          { partNumber: 1, etag: 'b' },
        ]),
        'invalid_argument',
      );
      await store.abortMultipartUpload(key, uploadId).catch(() => {});
    });

    it.skipIf(!options.strictMultipart)('rejects a part below 5 MiB that is not the last', async () => {
      const key = childKey(freshPrefix(), 'small-parts.bin');
      const uploadId = await store.createMultipartUpload(key);
      const a = await store.uploadPart(key, uploadId, 1, Buffer.alloc(1024, 1));
      const b = await store.uploadPart(key, uploadId, 2, Buffer.alloc(1024, 2));
      await expectStorageError(
        store.completeMultipartUpload(key, uploadId, [
          { partNumber: 1, etag: a.etag },
          { partNumber: 2, etag: b.etag },
        ]),
        'invalid_argument',
      );
      expect(await store.exists(key)).toBe(false);
    });

    it.skipIf(!options.strictMultipart)('rejects completion with an etag that was not uploaded', async () => {
      const key = childKey(freshPrefix(), 'wrong-etag.bin');
      const uploadId = await store.createMultipartUpload(key);
      await store.uploadPart(key, uploadId, 1, Buffer.from('only part'));
      await expectStorageError(store.completeMultipartUpload(key, uploadId, [{ partNumber: 1, etag: md5(Buffer.from('other')) }]), 'invalid_argument');
    });

    it.skipIf(!options.supportsAbort)('discards an aborted upload and its parts', async () => {
      const key = childKey(freshPrefix(), 'aborted.bin');
      const uploadId = await store.createMultipartUpload(key);
      await store.uploadPart(key, uploadId, 1, Buffer.from('part'));
      await store.abortMultipartUpload(key, uploadId);
      await expectStorageError(store.uploadPart(key, uploadId, 2, Buffer.from('late')), 'not_found');
      expect(await store.exists(key)).toBe(false);
      await expect(store.abortMultipartUpload(key, uploadId)).resolves.toBeUndefined();
    });

    it('reports healthy when the backend is reachable', async () => {
      await expect(store.health()).resolves.toBeUndefined();
    });
  });
}
