import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObjectStore, listKeys, readHead } from './index.ts';
import { objectKey } from './keys.ts';
import { LocalObjectStore, verifyLocalSignature } from './local-store.ts';
import { expectStorageError, objectStoreContract, UNSAFE_KEYS } from './object-store.contract.ts';

const SECRET = 'test-signing-secret-0123456789abcdef';
const tempDirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hts-local-store-'));
  tempDirs.push(dir);
  return dir;
}

async function makeStore(now?: () => number): Promise<LocalObjectStore> {
  const dir = path.join(await tempDir(), 'objects');
  const store = new LocalObjectStore({ dir, publicBaseUrl: 'https://hts.example/files/', signingSecret: SECRET, now });
  await store.init();
  return store;
}

/** Every file under a folder, hidden ones included, as relative paths. */
async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

afterAll(async () => {
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

objectStoreContract('local folder', () => makeStore(), { strictMultipart: true, supportsAbort: true, listsInOrder: true });

describe('local folder store', () => {
  let store: LocalObjectStore;
  beforeAll(async () => {
    store = await makeStore();
  });

  it('rejects a key that climbs out of the folder and writes nothing outside it', async () => {
    const outside = path.dirname(store.dir);
    const before = await readdir(outside);
    for (const bad of UNSAFE_KEYS) {
      await expectStorageError(store.put(bad, Buffer.from('pwned')), 'invalid_key');
    }
    expect(await readdir(outside)).toEqual(before);
  });

  it('lays objects out as plain files and keeps its bookkeeping out of listings', async () => {
    const key = objectKey('layout', 'course', 'a.txt');
    await store.put(key, Buffer.from('hello'), { contentType: 'text/plain' });
    const uploadId = await store.createMultipartUpload(objectKey('layout', 'pending.bin'));
    await store.uploadPart(objectKey('layout', 'pending.bin'), uploadId, 1, Buffer.from('part'));
    expect(await readFile(path.join(store.dir, 'layout', 'course', 'a.txt'), 'utf8')).toBe('hello');
    expect(await listKeys(store, '')).toContain(key);
    expect((await listKeys(store, '')).some((k) => k.includes('meta.json') || k.split('/').some((s) => s.startsWith('.')))).toBe(false);
    expect(await listKeys(store, 'layout')).toEqual([key]);
  });

  it('writes through a temp file, so a body that fails midway leaves no object and no temp file', async () => {
    const key = objectKey('atomic', 'broken.bin');
    await store.put(key, Buffer.from('old content'));
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(64 * 1024, 1));
        this.destroy(new Error('client went away'));
      },
    });
    await expect(store.put(key, failing)).rejects.toThrow('client went away');
    expect((await store.getBuffer(key)).toString()).toBe('old content');
    expect(await readdir(path.join(store.dir, '.tmp'))).toEqual([]);
  });

  it('refuses a key that would sit inside another object, or replace a folder of objects', async () => {
    await store.put(objectKey('nest', 'file'), Buffer.from('x'));
    await expectStorageError(store.put(objectKey('nest', 'file', 'child'), Buffer.from('y')), 'invalid_key');
    await store.put(objectKey('nest', 'folder', 'child'), Buffer.from('z'));
    await expectStorageError(store.put(objectKey('nest', 'folder'), Buffer.from('w')), 'invalid_key');
    expect(await listKeys(store, 'nest')).toEqual(['nest/file', 'nest/folder/child']);
    expect(await readdir(path.join(store.dir, '.tmp'))).toEqual([]);
  });

  it('removes folders left empty by the last object in them', async () => {
    const key = objectKey('prune', 'a', 'b', 'c.txt');
    await store.put(key, Buffer.from('x'));
    await store.remove(key);
    await expect(readdir(path.join(store.dir, 'prune'))).rejects.toThrow();
    await store.put(objectKey('prune2', 'x', 'y'), Buffer.from('x'));
    await store.removePrefix('prune2/x');
    await expect(readdir(path.join(store.dir, 'prune2'))).rejects.toThrow();
  });

  it('does not follow a symlink planted in the folder', async () => {
    const secretDir = await tempDir();
    await writeFile(path.join(secretDir, 'secret.txt'), 'top secret');
    await mkdir(path.join(store.dir, 'planted'), { recursive: true });
    await symlink(path.join(secretDir, 'secret.txt'), path.join(store.dir, 'planted', 'link.txt'));
    await expectStorageError(store.get(objectKey('planted', 'link.txt')), 'not_found');
    expect(await store.stat(objectKey('planted', 'link.txt'))).toBeNull();
    expect(await listKeys(store, 'planted')).toEqual([]);
  });

  it('keeps multipart parts in a hidden folder and removes them on completion', async () => {
    const key = objectKey('mp', 'video.mp4');
    const uploadId = await store.createMultipartUpload(key, 'video/mp4');
    const part = await store.uploadPart(key, uploadId, 1, Buffer.from('whole video'));
    const uploads = path.join(store.dir, '.uploads');
    expect(await readdir(path.join(uploads, uploadId))).toContain(`00001.${part.etag}`);
    await store.completeMultipartUpload(key, uploadId, [{ partNumber: 1, etag: part.etag }]);
    expect(await readdir(uploads)).not.toContain(uploadId);
    expect((await store.getBuffer(key)).toString()).toBe('whole video');
  });

  it('treats an upload id of another key as unknown', async () => {
    const uploadId = await store.createMultipartUpload(objectKey('mp', 'mine.bin'));
    await expectStorageError(store.uploadPart(objectKey('mp', 'theirs.bin'), uploadId, 1, Buffer.from('x')), 'not_found');
    await store.abortMultipartUpload(objectKey('mp', 'theirs.bin'), uploadId);
    await expect(store.uploadPart(objectKey('mp', 'mine.bin'), uploadId, 1, Buffer.from('x'))).resolves.toBeTruthy();
    await expectStorageError(store.uploadPart(objectKey('mp', 'mine.bin'), '../../etc', 1, Buffer.from('x')), 'not_found');
  });

  it('fails health with unavailable when its folder is gone', async () => {
    const gone = await makeStore();
    await rm(gone.dir, { recursive: true, force: true });
    await expectStorageError(gone.health(), 'unavailable');
  });

  it('refuses a short signing secret and a public URL that is neither absolute nor a path', () => {
    expect(() => new LocalObjectStore({ dir: '/tmp/x', publicBaseUrl: 'https://a.example', signingSecret: 'short' })).toThrow(/32/);
    expect(() => new LocalObjectStore({ dir: '/tmp/x', publicBaseUrl: 'files', signingSecret: SECRET })).toThrow(/absolute URL or a path/);
    expect(() => new LocalObjectStore({ dir: '/tmp/x', publicBaseUrl: '//other.example/files', signingSecret: SECRET })).toThrow(/absolute URL or a path/);
    expect(() => new LocalObjectStore({ dir: '/tmp/x', publicBaseUrl: '/files?x=1', signingSecret: SECRET })).toThrow(/query/);
  });

  it('signs path-only URLs under a path-only public base, and verifies them', async () => {
    const dir = path.join(await tempDir(), 'objects');
    const store = new LocalObjectStore({ dir, publicBaseUrl: '/objects/', signingSecret: SECRET });
    await store.init();
    const url = await store.signedGetUrl('media/a-1/seg_0000.ts', { expiresInSeconds: 60 });
    expect(url).toMatch(/^\/objects\/media\/a-1\/seg_0000\.ts\?expires=\d+&signature=[A-Za-z0-9_-]{43}$/);
    const parsed = new URL(url, 'http://192.168.1.20:3000');
    expect(verifyLocalSignature('media/a-1/seg_0000.ts', parsed.searchParams.get('expires') ?? '', parsed.searchParams.get('signature') ?? '', SECRET)).toBe(
      true,
    );
  });

  it('leaves no stray files after a put of each kind', async () => {
    const fresh = await makeStore();
    await fresh.put(objectKey('a.txt'), Buffer.from('a'), { contentType: 'text/plain' });
    expect((await allFiles(fresh.dir)).sort()).toEqual(['.a.txt.meta.json', 'a.txt']);
  });
});

describe('local signed URLs', () => {
  const start = Date.UTC(2025, 6, 1, 8, 0, 0);
  let clock = start;
  let store: LocalObjectStore;
  beforeAll(async () => {
    store = await makeStore(() => clock);
  });

  function parse(url: string) {
    const parsed = new URL(url);
    return {
      base: `${parsed.origin}${parsed.pathname}`,
      key: parsed.pathname.replace(/^\/files\//, ''),
      expires: parsed.searchParams.get('expires') ?? '',
      signature: parsed.searchParams.get('signature') ?? '',
    };
  }

  it('builds a URL under the public base with expires and signature', async () => {
    const url = await store.signedGetUrl('media/c-1/index.m3u8', { expiresInSeconds: 300 });
    const { base, expires, signature } = parse(url);
    expect(base).toBe('https://hts.example/files/media/c-1/index.m3u8');
    expect(Number(expires)).toBe(start / 1000 + 300);
    expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('verifies a signed URL until it expires, then refuses it', async () => {
    const { key, expires, signature } = parse(await store.signedGetUrl('media/a.mp4', { expiresInSeconds: 60 }));
    expect(verifyLocalSignature(key, expires, signature, SECRET, start)).toBe(true);
    expect(verifyLocalSignature(key, expires, signature, SECRET, start + 59_999)).toBe(true);
    expect(verifyLocalSignature(key, expires, signature, SECRET, start + 60_000)).toBe(false);
    expect(verifyLocalSignature(key, expires, signature, SECRET, start + 86_400_000)).toBe(false);
    clock = start + 30_000;
    expect(store.verifySignedUrl(key, expires, signature)).toBe(true);
    clock = start + 61_000;
    expect(store.verifySignedUrl(key, expires, signature)).toBe(false);
    clock = start;
  });

  it('refuses a URL whose key, expiry or signature was tampered with', async () => {
    const { key, expires, signature } = parse(await store.signedGetUrl('media/a.mp4', { expiresInSeconds: 60 }));
    expect(verifyLocalSignature('media/b.mp4', expires, signature, SECRET, start)).toBe(false);
    expect(verifyLocalSignature(key, String(Number(expires) + 3600), signature, SECRET, start)).toBe(false);
    const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    expect(verifyLocalSignature(key, expires, flipped, SECRET, start)).toBe(false);
    expect(verifyLocalSignature(key, expires, signature.slice(1), SECRET, start)).toBe(false);
    expect(verifyLocalSignature(key, expires, '', SECRET, start)).toBe(false);
    expect(verifyLocalSignature(key, expires, `${signature}=`, SECRET, start)).toBe(false);
  });

  it('refuses a URL signed with another secret', async () => {
    const { key, expires, signature } = parse(await store.signedGetUrl('media/a.mp4', { expiresInSeconds: 60 }));
    expect(verifyLocalSignature(key, expires, signature, `${SECRET}-other`, start)).toBe(false);
  });

  it('refuses malformed expiry values and unsafe keys without throwing', async () => {
    const { key, signature } = parse(await store.signedGetUrl('media/a.mp4', { expiresInSeconds: 60 }));
    for (const expires of ['', 'abc', '-1', '1e12', ' 123', '0x10', '99999999999999999']) {
      expect(verifyLocalSignature(key, expires, signature, SECRET, start)).toBe(false);
    }
    expect(verifyLocalSignature('../etc/passwd', String(start / 1000 + 60), signature, SECRET, start)).toBe(false);
  });
});

describe('createObjectStore', () => {
  it('builds a local store from config without touching the disk', async () => {
    const dir = path.join(await tempDir(), 'not-yet');
    const store = createObjectStore({ kind: 'local', dir, publicBaseUrl: 'http://localhost:3000/files', signingSecret: SECRET });
    expect(store.kind).toBe('local');
    await expect(readdir(dir)).rejects.toThrow();
    await store.init();
    await expect(store.health()).resolves.toBeUndefined();
  });
});

describe('readHead', () => {
  it('reads only the first bytes of an object, or all of a shorter one', async () => {
    const store = new LocalObjectStore({
      dir: await mkdtemp(path.join(tmpdir(), 'hts-head-')),
      publicBaseUrl: 'http://x/objects',
      signingSecret: 's'.repeat(40),
    });
    await store.init();
    await store.put('a/big', Buffer.alloc(200_000, 7));
    await store.put('a/small', Buffer.from('WEBVTT'));
    expect((await readHead(store, 'a/big', 4096)).length).toBe(4096);
    expect((await readHead(store, 'a/small', 4096)).toString()).toBe('WEBVTT');
  });
});
