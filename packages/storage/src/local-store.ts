import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { constants, createReadStream, createWriteStream, type Dirent } from 'node:fs';
import { access, lstat, mkdir, open, readdir, readFile, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertValidKey, isValidKey, normalizePrefix } from './keys.ts';
import {
  assertExpiry,
  assertPartList,
  assertPartNumber,
  assertSize,
  type CompletedPart,
  MAX_PART_SIZE,
  MIN_PART_SIZE,
  normalizeContentType,
  type ObjectStat,
  type ObjectStore,
  type PutOptions,
  type SignedUrlOptions,
  StorageError,
} from './object-store.ts';
import { readAll, sizeMismatch, toReadable } from './streams.ts';

export interface LocalStoreConfig {
  /** The folder holding the objects, e.g. `./data/objects`. */
  dir: string;
  /** Where a route serves this folder, e.g. `https://example.org/files`; signed URLs start with it. */
  publicBaseUrl: string;
  /** HMAC-SHA256 key for signed URLs, at least 32 characters. */
  signingSecret: string;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

/*
 * Layout inside `dir` (names starting with a dot can never be keys, see keys.ts):
 *   a/b/c.mp4                 the object `a/b/c.mp4`
 *   a/b/.c.mp4.meta.json      its content type and etag
 *   .tmp/<random>             files being written; renamed into place when complete
 *   .uploads/<id>/upload.json a multipart upload: its key and content type
 *   .uploads/<id>/<nnnnn>.<md5>  one uploaded part, named by its number and etag
 */
const TMP_DIR = '.tmp';
const UPLOADS_DIR = '.uploads';
const UPLOAD_ID = /^[0-9a-f]{32}$/;
const STALE_TMP_MS = 24 * 60 * 60 * 1000;

interface ObjectMeta {
  contentType: string;
  etag: string;
}

interface UploadMeta {
  key: string;
  contentType: string;
  createdAt: string;
}

function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

const MISSING = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'ELOOP']);

/**
 * Filesystem failures (permissions, full disk, I/O) make the store unavailable. Storage errors
 * pass through, and so does an error of the caller's own body stream.
 */
function fsFailure(error: unknown, action: string): unknown {
  if (error instanceof StorageError) return error;
  const isFsError = typeof (error as { syscall?: unknown } | null)?.syscall === 'string';
  if (!isFsError && !(error instanceof SyntaxError)) return error;
  return new StorageError('unavailable', `local object store could not ${action} (${errnoCode(error) ?? 'error'})`, {
    cause: error,
  });
}

function signLocal(key: string, expires: number, secret: string): string {
  return createHmac('sha256', secret).update(`GET\n${key}\n${expires}`).digest('base64url');
}

/**
 * Checks a URL made by `LocalObjectStore.signedGetUrl`. `expires` and `signature` are the query
 * values as received; `now` is milliseconds since the epoch. False for a bad key, an expired URL, or a
 * signature that does not match; never throws.
 */
export function verifyLocalSignature(key: string, expires: string | number, signature: string, secret: string, now: number = Date.now()): boolean {
  if (!isValidKey(key) || typeof signature !== 'string' || typeof secret !== 'string' || secret.length === 0) {
    return false;
  }
  const expiresAt = typeof expires === 'number' ? expires : /^[0-9]{1,12}$/.test(String(expires)) ? Number(expires) : Number.NaN;
  if (!Number.isSafeInteger(expiresAt) || now >= expiresAt * 1000) return false;
  const expected = Buffer.from(signLocal(key, expiresAt, secret), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Counts and hashes bytes on their way to disk; fails past `limit` or when `size` is not met. */
class Meter extends Transform {
  bytes = 0;
  readonly hash = createHash('md5');

  constructor(
    private readonly limit: number,
    private readonly expected: number | undefined,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null, data?: Buffer) => void) {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) {
      callback(new StorageError('invalid_argument', `body is larger than ${this.limit} bytes`));
      return;
    }
    if (this.expected !== undefined && this.bytes > this.expected) {
      callback(sizeMismatch(this.expected, this.bytes));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: (error?: Error | null) => void) {
    if (this.expected !== undefined && this.bytes !== this.expected) {
      callback(sizeMismatch(this.expected, this.bytes));
      return;
    }
    callback();
  }
}

/** The embedded default: objects as files in a folder. One process owns the folder. */
export class LocalObjectStore implements ObjectStore {
  readonly kind = 'local' as const;
  private readonly root: string;
  private readonly rootWithSep: string;
  private readonly publicBaseUrl: string;
  private readonly secret: string;
  private readonly now: () => number;

  constructor(config: LocalStoreConfig) {
    if (typeof config.dir !== 'string' || config.dir === '') throw new Error('local store: dir is required');
    if (typeof config.signingSecret !== 'string' || config.signingSecret.length < 32) {
      throw new Error('local store: signingSecret must be at least 32 characters');
    }
    // An absolute URL, or a path on the site that serves the page ("/objects"): then signed URLs are
    // relative to whatever address the viewer used, so a phone on the LAN does not fetch from localhost.
    let base: URL;
    try {
      base = /^\/(?!\/)/.test(config.publicBaseUrl) ? new URL(config.publicBaseUrl, 'http://path.invalid') : new URL(config.publicBaseUrl);
    } catch {
      throw new Error('local store: publicBaseUrl must be an absolute URL or a path starting with /');
    }
    if (base.search !== '' || base.hash !== '') throw new Error('local store: publicBaseUrl must not have a query or hash');
    this.root = path.resolve(config.dir);
    this.rootWithSep = this.root.endsWith(path.sep) ? this.root : this.root + path.sep;
    this.publicBaseUrl = config.publicBaseUrl.replace(/\/+$/, '');
    this.secret = config.signingSecret;
    this.now = config.now ?? Date.now;
  }

  /** The absolute folder of the store. */
  get dir(): string {
    return this.root;
  }

  async init(): Promise<void> {
    try {
      await mkdir(path.join(this.root, TMP_DIR), { recursive: true });
      await mkdir(path.join(this.root, UPLOADS_DIR), { recursive: true });
      await this.removeStaleTemp();
    } catch (error) {
      throw fsFailure(error, 'create its folder');
    }
  }

  async health(): Promise<void> {
    try {
      const info = await stat(this.root);
      if (!info.isDirectory()) throw new Error('not a directory');
      await access(this.root, constants.R_OK | constants.W_OK);
    } catch (error) {
      throw new StorageError('unavailable', `local object store folder is not usable: ${this.root}`, { cause: error });
    }
  }

  async put(key: string, body: Buffer | Readable, options: PutOptions = {}): Promise<{ etag: string }> {
    const target = this.pathOf(key);
    assertSize(options.size);
    const contentType = normalizeContentType(options.contentType);
    const tmp = await this.tempPath();
    try {
      const meter = new Meter(Number.POSITIVE_INFINITY, options.size);
      await pipeline(toReadable(body), meter, createWriteStream(tmp, { flags: 'wx' }));
      const etag = meter.hash.digest('hex');
      await this.commit(tmp, key, target, { contentType, etag });
      return { etag };
    } catch (error) {
      await rm(tmp, { force: true }).catch(() => {});
      throw fsFailure(error, `write ${key}`);
    }
  }

  async get(key: string): Promise<Readable> {
    const file = this.pathOf(key);
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      // O_NOFOLLOW: a symlink planted in the folder is not followed out of it.
      handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (error) {
      if (MISSING.has(errnoCode(error) ?? '')) throw this.notFound(key);
      throw fsFailure(error, `read ${key}`);
    }
    try {
      if (!(await handle.stat()).isFile()) throw this.notFound(key);
    } catch (error) {
      await handle.close();
      throw fsFailure(error, `read ${key}`);
    }
    // The open handle keeps reading the same bytes even if the object is replaced meanwhile.
    return handle.createReadStream();
  }

  async getBuffer(key: string): Promise<Buffer> {
    return readAll(await this.get(key));
  }

  async stat(key: string): Promise<ObjectStat | null> {
    const file = this.pathOf(key);
    let info: Awaited<ReturnType<typeof lstat>>;
    try {
      info = await lstat(file);
    } catch (error) {
      if (MISSING.has(errnoCode(error) ?? '')) return null;
      throw fsFailure(error, `stat ${key}`);
    }
    if (!info.isFile()) return null;
    const meta = await this.readMeta(file);
    return {
      size: info.size,
      contentType: meta?.contentType,
      etag: meta?.etag,
      lastModified: info.mtime,
    };
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  async remove(key: string): Promise<void> {
    const file = this.pathOf(key);
    try {
      const info = await lstat(file).catch((error: unknown) => {
        if (MISSING.has(errnoCode(error) ?? '')) return null;
        throw error;
      });
      if (info === null || info.isDirectory()) return;
      await unlink(file);
      await rm(this.metaPathOf(file), { force: true });
      await this.pruneEmptyParents(path.dirname(file));
    } catch (error) {
      throw fsFailure(error, `remove ${key}`);
    }
  }

  async removePrefix(prefix: string): Promise<number> {
    const folderPrefix = normalizePrefix(prefix, { allowEmpty: false });
    const folder = this.pathOf(folderPrefix.slice(0, -1));
    try {
      const info = await lstat(folder).catch(() => null);
      if (info === null || !info.isDirectory()) return 0;
      let count = 0;
      for await (const _key of this.list(folderPrefix)) count += 1;
      // Move the folder aside first so the prefix disappears at once, then delete it at leisure.
      const doomed = await this.tempPath();
      await rename(folder, doomed);
      await this.pruneEmptyParents(path.dirname(folder));
      await rm(doomed, { recursive: true, force: true });
      return count;
    } catch (error) {
      throw fsFailure(error, `remove prefix ${folderPrefix}`);
    }
  }

  async *list(prefix: string): AsyncGenerator<string> {
    const folderPrefix = normalizePrefix(prefix, { allowEmpty: true });
    const start = folderPrefix === '' ? this.root : this.pathOf(folderPrefix.slice(0, -1));
    yield* this.walk(start, folderPrefix);
  }

  async signedGetUrl(key: string, options: SignedUrlOptions): Promise<string> {
    assertValidKey(key);
    assertExpiry(options.expiresInSeconds);
    const expires = Math.floor(this.now() / 1000) + options.expiresInSeconds;
    const signature = signLocal(key, expires, this.secret);
    return `${this.publicBaseUrl}/${key}?expires=${expires}&signature=${signature}`;
  }

  /** Checks a signed URL's parts against this store's secret and clock. */
  verifySignedUrl(key: string, expires: string | number, signature: string): boolean {
    return verifyLocalSignature(key, expires, signature, this.secret, this.now());
  }

  async createMultipartUpload(key: string, contentType?: string): Promise<string> {
    assertValidKey(key);
    const meta: UploadMeta = {
      key,
      contentType: normalizeContentType(contentType),
      createdAt: new Date(this.now()).toISOString(),
    };
    const uploadId = randomBytes(16).toString('hex');
    try {
      const folder = path.join(this.root, UPLOADS_DIR, uploadId);
      await mkdir(folder, { recursive: true });
      await writeFile(path.join(folder, 'upload.json'), JSON.stringify(meta), { flag: 'wx' });
      return uploadId;
    } catch (error) {
      throw fsFailure(error, `start an upload for ${key}`);
    }
  }

  async uploadPart(key: string, uploadId: string, partNumber: number, body: Buffer | Readable): Promise<{ etag: string }> {
    assertValidKey(key);
    assertPartNumber(partNumber);
    const folder = await this.uploadFolder(key, uploadId);
    const tmp = await this.tempPath();
    try {
      const meter = new Meter(MAX_PART_SIZE, undefined);
      await pipeline(toReadable(body), meter, createWriteStream(tmp, { flags: 'wx' }));
      const etag = meter.hash.digest('hex');
      const number = String(partNumber).padStart(5, '0');
      await rename(tmp, path.join(folder, `${number}.${etag}`));
      // A part number uploaded again replaces the earlier part.
      for (const name of await readdir(folder)) {
        if (name.startsWith(`${number}.`) && name !== `${number}.${etag}`) {
          await rm(path.join(folder, name), { force: true });
        }
      }
      return { etag };
    } catch (error) {
      await rm(tmp, { force: true }).catch(() => {});
      if (MISSING.has(errnoCode(error) ?? '')) throw this.noUpload(uploadId);
      throw fsFailure(error, `store part ${partNumber} of ${key}`);
    }
  }

  async completeMultipartUpload(key: string, uploadId: string, parts: CompletedPart[]): Promise<{ etag: string }> {
    const target = this.pathOf(key);
    assertPartList(parts);
    const folder = await this.uploadFolder(key, uploadId);
    const meta = await this.readUploadMeta(folder, uploadId);
    const files: string[] = [];
    const digests: Buffer[] = [];
    for (const [index, part] of parts.entries()) {
      const etag = part.etag.replace(/"/g, '').toLowerCase();
      const file = path.join(folder, `${String(part.partNumber).padStart(5, '0')}.${etag}`);
      if (!/^[0-9a-f]{32}$/.test(etag)) {
        throw new StorageError('invalid_argument', `part ${part.partNumber} was not uploaded with etag ${part.etag}`);
      }
      const info = await stat(file).catch(() => null);
      if (info === null) {
        throw new StorageError('invalid_argument', `part ${part.partNumber} was not uploaded with etag ${part.etag}`);
      }
      if (index < parts.length - 1 && info.size < MIN_PART_SIZE) {
        throw new StorageError('invalid_argument', `part ${part.partNumber} is smaller than ${MIN_PART_SIZE} bytes`);
      }
      files.push(file);
      digests.push(Buffer.from(etag, 'hex'));
    }
    const tmp = await this.tempPath();
    try {
      const source = Readable.from(
        (async function* () {
          for (const file of files) yield* createReadStream(file);
        })(),
      );
      await pipeline(source, createWriteStream(tmp, { flags: 'wx' }));
      // The same etag S3 gives a multipart object: md5 of the part digests, dash, part count.
      const etag = `${createHash('md5').update(Buffer.concat(digests)).digest('hex')}-${parts.length}`;
      await this.commit(tmp, key, target, { contentType: meta.contentType, etag });
      await rm(folder, { recursive: true, force: true });
      return { etag };
    } catch (error) {
      await rm(tmp, { force: true }).catch(() => {});
      throw fsFailure(error, `complete the upload of ${key}`);
    }
  }

  async abortMultipartUpload(key: string, uploadId: string): Promise<void> {
    assertValidKey(key);
    if (typeof uploadId !== 'string' || !UPLOAD_ID.test(uploadId)) return;
    const folder = path.join(this.root, UPLOADS_DIR, uploadId);
    const meta = await this.readUploadMeta(folder, uploadId).catch((error: unknown) => {
      if (error instanceof StorageError && error.code === 'not_found') return null;
      throw error;
    });
    if (meta === null || meta.key !== key) return;
    try {
      await rm(folder, { recursive: true, force: true });
    } catch (error) {
      throw fsFailure(error, `abort the upload of ${key}`);
    }
  }

  // ---- internals -------------------------------------------------------------------------

  /** The file of a key. Validation makes `..`, absolute paths and hidden names impossible; the prefix check is a second guard. */
  private pathOf(key: string): string {
    const segments = assertValidKey(key).split('/');
    const file = path.join(this.root, ...segments);
    if (!file.startsWith(this.rootWithSep)) throw new StorageError('invalid_key', 'key resolves outside the store');
    return file;
  }

  private metaPathOf(file: string): string {
    return path.join(path.dirname(file), `.${path.basename(file)}.meta.json`);
  }

  private async tempPath(): Promise<string> {
    const folder = path.join(this.root, TMP_DIR);
    try {
      await mkdir(folder, { recursive: true });
    } catch (error) {
      throw fsFailure(error, 'create its temp folder');
    }
    return path.join(folder, randomBytes(12).toString('hex'));
  }

  private notFound(key: string): StorageError {
    return new StorageError('not_found', `no object ${key}`);
  }

  private noUpload(uploadId: string): StorageError {
    return new StorageError('not_found', `no multipart upload ${JSON.stringify(String(uploadId).slice(0, 64))}`);
  }

  /** Moves a finished temp file to its key: metadata first, then the object itself (atomic rename). */
  private async commit(tmp: string, key: string, target: string, meta: ObjectMeta): Promise<void> {
    const metaTmp = `${tmp}.meta`;
    await writeFile(metaTmp, JSON.stringify(meta), { flag: 'wx' });
    try {
      // Flush the data before the rename makes it visible, so a crash cannot leave a torn object.
      const handle = await open(tmp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      for (let attempt = 0; ; attempt += 1) {
        try {
          await mkdir(path.dirname(target), { recursive: true });
          const existing = await lstat(target).catch(() => null);
          if (existing?.isDirectory()) {
            throw new StorageError('invalid_key', `key ${key} is a folder of other objects`);
          }
          await rename(metaTmp, this.metaPathOf(target));
          await rename(tmp, target);
          return;
        } catch (error) {
          const code = errnoCode(error);
          if (code === 'ENOTDIR' || code === 'EEXIST') {
            throw new StorageError('invalid_key', `key ${key} would sit inside another object`, { cause: error });
          }
          // A concurrent remove may prune the parent folder between mkdir and rename; try again.
          if (code === 'ENOENT' && attempt < 3) continue;
          throw error;
        }
      }
    } finally {
      await rm(metaTmp, { force: true }).catch(() => {});
    }
  }

  private async readMeta(file: string): Promise<ObjectMeta | null> {
    try {
      const parsed = JSON.parse(await readFile(this.metaPathOf(file), 'utf8')) as Partial<ObjectMeta>;
      if (typeof parsed.contentType === 'string' && typeof parsed.etag === 'string') {
        return { contentType: parsed.contentType, etag: parsed.etag };
      }
      return null;
    } catch {
      return null;
    }
  }

  private async uploadFolder(key: string, uploadId: string): Promise<string> {
    if (typeof uploadId !== 'string' || !UPLOAD_ID.test(uploadId)) throw this.noUpload(uploadId);
    const folder = path.join(this.root, UPLOADS_DIR, uploadId);
    const meta = await this.readUploadMeta(folder, uploadId);
    if (meta.key !== key) throw this.noUpload(uploadId);
    return folder;
  }

  private async readUploadMeta(folder: string, uploadId: string): Promise<UploadMeta> {
    let text: string;
    try {
      text = await readFile(path.join(folder, 'upload.json'), 'utf8');
    } catch (error) {
      if (MISSING.has(errnoCode(error) ?? '')) throw this.noUpload(uploadId);
      throw fsFailure(error, 'read an upload');
    }
    try {
      const meta = JSON.parse(text) as Partial<UploadMeta>;
      if (typeof meta.key === 'string' && typeof meta.contentType === 'string') return meta as UploadMeta;
    } catch {
      // fall through
    }
    throw new StorageError('unavailable', `multipart upload ${uploadId} has a damaged record`);
  }

  /** Removes empty folders from `folder` up to (not including) the root. */
  private async pruneEmptyParents(folder: string): Promise<void> {
    let current = folder;
    while (current.startsWith(this.rootWithSep) && current !== this.root) {
      try {
        await rmdir(current);
      } catch {
        return; // not empty, already gone, or busy: leave it
      }
      current = path.dirname(current);
    }
  }

  /** Depth-first walk in ascending key order; folders sort as `name/` so the order matches S3's. */
  private async *walk(folder: string, keyPrefix: string): AsyncGenerator<string> {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (MISSING.has(errnoCode(error) ?? '')) return;
      throw fsFailure(error, `list ${keyPrefix || 'the store'}`);
    }
    const visible = entries
      .filter((entry) => !entry.name.startsWith('.') && (entry.isFile() || entry.isDirectory()))
      .map((entry) => ({ entry, sortKey: entry.isDirectory() ? `${entry.name}/` : entry.name }))
      .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    for (const { entry } of visible) {
      const key = `${keyPrefix}${entry.name}`;
      if (entry.isDirectory()) {
        yield* this.walk(path.join(folder, entry.name), `${key}/`);
      } else if (isValidKey(key)) {
        yield key;
      }
    }
  }

  private async removeStaleTemp(): Promise<void> {
    const folder = path.join(this.root, TMP_DIR);
    const cutoff = this.now() - STALE_TMP_MS;
    for (const name of await readdir(folder)) {
      const file = path.join(folder, name);
      const info = await lstat(file).catch(() => null);
      if (info && info.mtimeMs < cutoff) await rm(file, { recursive: true, force: true }).catch(() => {});
    }
  }
}
