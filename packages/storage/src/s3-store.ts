import type { Readable } from 'node:stream';
import { Client, type ClientOptions } from 'minio';
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
import { chunked, readAll, sizeMismatch, toReadable } from './streams.ts';

export interface S3StoreConfig {
  endPoint: string;
  port: number;
  useSSL: boolean;
  accessKey: string;
  secretKey: string;
  bucket: string;
  /** When absent the client asks the server for the bucket's region. */
  region?: string;
  /** Path-style URLs (`host/bucket/key`); MinIO and s3rver need them. Default true. */
  pathStyle?: boolean;
  /**
   * Origin browsers reach the object store at, when it differs from `endPoint`
   * (e.g. the API talks to `http://minio:9000`, browsers to `https://media.example.org`).
   * Presigned URLs are signed for this host, without a network call.
   */
  publicUrl?: string;
  /** Part size used when `put` gets a stream: 5 MiB to 64 MiB, default 16 MiB. At most two parts are in memory. */
  partSize?: number;
  /** How long `health()` waits for an answer. Default 5000 ms. */
  healthTimeoutMs?: number;
}

const NOT_FOUND_CODES = new Set(['NoSuchKey', 'NotFound', 'NoSuchUpload', 'NoSuchVersion']);
const INVALID_ARGUMENT_CODES = new Set([
  'EntityTooSmall',
  'EntityTooLarge',
  'InvalidPart',
  'InvalidPartOrder',
  'InvalidArgument',
  'BadDigest',
  'IncompleteBody',
  'InvalidDigest',
]);

/** Maps what the minio client throws to a StorageError: S3 error codes and socket failures. */
export function mapS3Error(error: unknown, what: string): StorageError {
  if (error instanceof StorageError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NOT_FOUND_CODES.has(code)) {
    return new StorageError('not_found', `${what}: not found (${code})`, { cause: error });
  }
  if (typeof code === 'string' && INVALID_ARGUMENT_CODES.has(code)) {
    return new StorageError('invalid_argument', `${what}: rejected by the object store (${code})`, { cause: error });
  }
  // Connection refused/reset, DNS failures, timeouts, access denied, missing bucket, 5xx: the store is unusable.
  const detail = typeof code === 'string' ? code : error instanceof Error ? error.message : 'error';
  return new StorageError('unavailable', `${what}: object store unavailable (${detail})`, { cause: error });
}

function cleanEtag(etag: string | undefined | null): string {
  return (etag ?? '').replace(/"/g, '');
}

function checkUploadId(uploadId: string): void {
  if (typeof uploadId !== 'string' || uploadId.length === 0 || uploadId.length > 1024) {
    throw new StorageError('not_found', 'no such multipart upload');
  }
}

/** Production: an S3-compatible bucket (MinIO, AWS S3, s3rver in tests) through the minio client. */
export class S3ObjectStore implements ObjectStore {
  readonly kind = 's3' as const;
  readonly bucket: string;
  private readonly client: Client;
  private readonly signer: Client;
  private readonly region: string | undefined;
  private readonly partSize: number;
  private readonly healthTimeoutMs: number;

  constructor(config: S3StoreConfig) {
    if (!config.bucket) throw new Error('s3 store: bucket is required');
    const pathStyle = config.pathStyle ?? true;
    const options: ClientOptions = {
      endPoint: config.endPoint,
      port: config.port,
      useSSL: config.useSSL,
      accessKey: config.accessKey,
      secretKey: config.secretKey,
      pathStyle,
    };
    if (config.region !== undefined) options.region = config.region;
    this.client = new Client(options);
    this.bucket = config.bucket;
    this.region = config.region;
    this.partSize = config.partSize ?? 16 * 1024 * 1024;
    if (!Number.isInteger(this.partSize) || this.partSize < MIN_PART_SIZE || this.partSize > MAX_PART_SIZE) {
      throw new Error(`s3 store: partSize must be from ${MIN_PART_SIZE} to ${MAX_PART_SIZE} bytes`);
    }
    this.healthTimeoutMs = config.healthTimeoutMs ?? 5000;
    if (config.publicUrl === undefined) {
      this.signer = this.client;
    } else {
      const url = new URL(config.publicUrl);
      if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search || url.hash) {
        throw new Error('s3 store: publicUrl must be an http(s) origin without a path');
      }
      const useSSL = url.protocol === 'https:';
      this.signer = new Client({
        ...options,
        endPoint: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port === '' ? (useSSL ? 443 : 80) : Number(url.port),
        useSSL,
        // Signing needs the region; with one set, minio signs without asking the server.
        region: config.region ?? 'us-east-1',
      });
    }
  }

  async init(): Promise<void> {
    try {
      if (await this.client.bucketExists(this.bucket)) return;
      await this.client.makeBucket(this.bucket, this.region ?? 'us-east-1');
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (code === 'BucketAlreadyOwnedByYou') return; // created concurrently by another replica
      throw mapS3Error(error, `create bucket ${this.bucket}`);
    }
  }

  async health(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StorageError('unavailable', `object store did not answer within ${this.healthTimeoutMs} ms`)), this.healthTimeoutMs);
    });
    try {
      const exists = await Promise.race([this.client.bucketExists(this.bucket), timeout]);
      if (!exists) throw new StorageError('unavailable', `bucket ${this.bucket} does not exist`);
    } catch (error) {
      throw mapS3Error(error, 'health check');
    } finally {
      clearTimeout(timer);
    }
  }

  async put(key: string, body: Buffer | Readable, options: PutOptions = {}): Promise<{ etag: string }> {
    assertValidKey(key);
    assertSize(options.size);
    const contentType = normalizeContentType(options.contentType);
    if (Buffer.isBuffer(body)) {
      if (options.size !== undefined && options.size !== body.length) throw sizeMismatch(options.size, body.length);
      return this.putBuffer(key, body, contentType);
    }
    // Streams go up in parts of `partSize`: one PUT when the body fits in one part, otherwise a
    // multipart upload, so memory stays bounded whatever the size (minio's own putObject would
    // buffer up to ~600 MB for a stream of unknown length and resume stray uploads of the key).
    const expected = options.size;
    let total = 0;
    const pieces = chunked(toReadable(body), this.partSize)[Symbol.asyncIterator]();
    const next = async (): Promise<Buffer | undefined> => {
      const result = await pieces.next();
      if (result.done) return undefined;
      total += result.value.length;
      if (expected !== undefined && total > expected) throw sizeMismatch(expected, total);
      return result.value;
    };
    const first = (await next()) ?? Buffer.alloc(0);
    let second = await next();
    if (second === undefined) {
      if (expected !== undefined && total !== expected) throw sizeMismatch(expected, total);
      return this.putBuffer(key, first, contentType);
    }
    const uploadId = await this.createMultipartUpload(key, contentType);
    try {
      const parts: CompletedPart[] = [];
      let current: Buffer | undefined = first;
      let partNumber = 1;
      while (current !== undefined) {
        const { etag } = await this.uploadPart(key, uploadId, partNumber, current);
        parts.push({ partNumber, etag });
        partNumber += 1;
        current = second;
        second = current === undefined ? undefined : await next();
      }
      if (expected !== undefined && total !== expected) throw sizeMismatch(expected, total);
      return await this.completeMultipartUpload(key, uploadId, parts);
    } catch (error) {
      await this.abortMultipartUpload(key, uploadId).catch(() => {});
      throw error;
    }
  }

  async get(key: string): Promise<Readable> {
    assertValidKey(key);
    try {
      return await this.client.getObject(this.bucket, key);
    } catch (error) {
      throw mapS3Error(error, `get ${key}`);
    }
  }

  async getBuffer(key: string): Promise<Buffer> {
    const stream = await this.get(key);
    try {
      return await readAll(stream);
    } catch (error) {
      throw mapS3Error(error, `get ${key}`);
    }
  }

  async stat(key: string): Promise<ObjectStat | null> {
    assertValidKey(key);
    try {
      const info = await this.client.statObject(this.bucket, key);
      const metaData = info.metaData as Record<string, unknown>;
      const contentType = metaData['content-type'];
      return {
        size: info.size,
        contentType: typeof contentType === 'string' ? contentType : undefined,
        etag: cleanEtag(info.etag) || undefined,
        lastModified: info.lastModified,
      };
    } catch (error) {
      const mapped = mapS3Error(error, `stat ${key}`);
      if (mapped.code === 'not_found') return null;
      throw mapped;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  async remove(key: string): Promise<void> {
    assertValidKey(key);
    try {
      await this.client.removeObject(this.bucket, key);
    } catch (error) {
      const mapped = mapS3Error(error, `remove ${key}`);
      if (mapped.code !== 'not_found') throw mapped;
    }
  }

  async removePrefix(prefix: string): Promise<number> {
    const folderPrefix = normalizePrefix(prefix, { allowEmpty: false });
    let count = 0;
    let batch: string[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const failures = (await this.client.removeObjects(this.bucket, batch)) as unknown[];
      const failed = failures.filter((item) => item !== null && item !== undefined);
      if (failed.length > 0) {
        throw new StorageError('unavailable', `could not remove ${failed.length} objects under ${folderPrefix}`, {
          cause: failed,
        });
      }
      count += batch.length;
      batch = [];
    };
    try {
      // Every object under the prefix goes, including any with names this package would not build.
      for await (const name of this.listNames(folderPrefix)) {
        batch.push(name);
        if (batch.length === 1000) await flush();
      }
      await flush();
      return count;
    } catch (error) {
      throw mapS3Error(error, `remove prefix ${folderPrefix}`);
    }
  }

  async *list(prefix: string): AsyncGenerator<string> {
    const folderPrefix = normalizePrefix(prefix, { allowEmpty: true });
    for await (const name of this.listNames(folderPrefix)) {
      // Objects written by other tools under names this package would not build are skipped.
      if (isValidKey(name)) yield name;
    }
  }

  async signedGetUrl(key: string, options: SignedUrlOptions): Promise<string> {
    assertValidKey(key);
    assertExpiry(options.expiresInSeconds);
    try {
      return await this.signer.presignedGetObject(this.bucket, key, options.expiresInSeconds);
    } catch (error) {
      throw mapS3Error(error, `sign ${key}`);
    }
  }

  /*
   * Multipart primitives. minio 8 exposes the low-level calls publicly on its TypedClient
   * (initiateNewMultipartUpload, uploadPart, completeMultipartUpload, abortMultipartUpload);
   * they are marked internal in its docs, so a minio upgrade must re-run the multipart tests.
   * uploadPart and abortMultipartUpload put the upload id into the query string unescaped,
   * so it is escaped here; completeMultipartUpload escapes it itself.
   */

  async createMultipartUpload(key: string, contentType?: string): Promise<string> {
    assertValidKey(key);
    const type = normalizeContentType(contentType);
    try {
      return await this.client.initiateNewMultipartUpload(this.bucket, key, { 'Content-Type': type });
    } catch (error) {
      throw mapS3Error(error, `start an upload for ${key}`);
    }
  }

  async uploadPart(key: string, uploadId: string, partNumber: number, body: Buffer | Readable): Promise<{ etag: string }> {
    assertValidKey(key);
    checkUploadId(uploadId);
    assertPartNumber(partNumber);
    // Over plain HTTP the request is signed over the payload's SHA-256, so one part is read into
    // memory first; MAX_PART_SIZE bounds it.
    const payload = Buffer.isBuffer(body) ? body : await readAll(body, MAX_PART_SIZE);
    if (payload.length > MAX_PART_SIZE) {
      throw new StorageError('invalid_argument', `body is larger than ${MAX_PART_SIZE} bytes`);
    }
    try {
      const result = await this.client.uploadPart(
        {
          bucketName: this.bucket,
          objectName: key,
          uploadID: encodeURIComponent(uploadId),
          partNumber,
          headers: {},
        },
        payload,
      );
      return { etag: cleanEtag(result.etag) };
    } catch (error) {
      throw mapS3Error(error, `store part ${partNumber} of ${key}`);
    }
  }

  async completeMultipartUpload(key: string, uploadId: string, parts: CompletedPart[]): Promise<{ etag: string }> {
    assertValidKey(key);
    checkUploadId(uploadId);
    assertPartList(parts);
    try {
      const result = await this.client.completeMultipartUpload(
        this.bucket,
        key,
        uploadId,
        parts.map((part) => ({ part: part.partNumber, etag: cleanEtag(part.etag) })),
      );
      return { etag: cleanEtag(result.etag) };
    } catch (error) {
      throw mapS3Error(error, `complete the upload of ${key}`);
    }
  }

  async abortMultipartUpload(key: string, uploadId: string): Promise<void> {
    assertValidKey(key);
    if (typeof uploadId !== 'string' || uploadId.length === 0 || uploadId.length > 1024) return;
    try {
      await this.client.abortMultipartUpload(this.bucket, key, encodeURIComponent(uploadId));
    } catch (error) {
      const mapped = mapS3Error(error, `abort the upload of ${key}`);
      if (mapped.code !== 'not_found') throw mapped;
    }
  }

  private async putBuffer(key: string, body: Buffer, contentType: string): Promise<{ etag: string }> {
    try {
      const result = await this.client.putObject(this.bucket, key, body, body.length, { 'Content-Type': contentType });
      return { etag: cleanEtag(result.etag) };
    } catch (error) {
      throw mapS3Error(error, `put ${key}`);
    }
  }

  private async *listNames(folderPrefix: string): AsyncGenerator<string> {
    const stream = this.client.listObjectsV2(this.bucket, folderPrefix, true);
    try {
      for await (const item of stream as AsyncIterable<{ name?: string }>) {
        if (typeof item.name === 'string') yield item.name;
      }
    } catch (error) {
      throw mapS3Error(error, `list ${folderPrefix || 'the bucket'}`);
    }
  }
}
