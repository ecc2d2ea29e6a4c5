import type { Readable } from 'node:stream';

/**
 * What can go wrong in an object store, in terms a caller can map to an HTTP status:
 * - `not_found`: the object, or the multipart upload, does not exist (404)
 * - `invalid_key`: a key or prefix failed validation, or collides with another key (400)
 * - `invalid_argument`: a bad size, part number, part list or expiry (400)
 * - `unavailable`: the backend cannot be reached or refuses us (503)
 */
export type StorageErrorCode = 'not_found' | 'invalid_key' | 'invalid_argument' | 'unavailable';

export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isStorageError(error: unknown, code?: StorageErrorCode): error is StorageError {
  return error instanceof StorageError && (code === undefined || error.code === code);
}

export interface PutOptions {
  /** Stored with the object and returned by `stat`; `application/octet-stream` when absent. */
  contentType?: string;
  /** Exact byte length of `body` when known; a body of another length is rejected. */
  size?: number;
}

export interface ObjectStat {
  size: number;
  contentType?: string;
  /** Opaque version tag; changes when the content changes. */
  etag?: string;
  lastModified: Date;
}

export interface SignedUrlOptions {
  /** Whole seconds, 1 to 604800 (7 days, the S3 maximum). */
  expiresInSeconds: number;
}

export interface CompletedPart {
  partNumber: number;
  /** The etag `uploadPart` returned for this part. */
  etag: string;
}

/** S3 rejects parts below 5 MiB except the last; both stores enforce it so the modes agree. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
/** Largest part this package accepts; the S3 store holds one part in memory while signing it. */
export const MAX_PART_SIZE = 64 * 1024 * 1024;
/** S3 part numbers run from 1 to 10000. */
export const MAX_PART_NUMBER = 10_000;
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/**
 * An object store. Keys are built with `objectKey()` and validated by every method;
 * a prefix is a key of folder segments and matches whole segments only
 * (`list('a/b')` lists `a/b/...`, never `a/bc`).
 */
export interface ObjectStore {
  readonly kind: 'local' | 's3';
  /** Creates the folder or the bucket when missing. Call once at startup. */
  init(): Promise<void>;
  put(key: string, body: Buffer | Readable, options?: PutOptions): Promise<{ etag: string }>;
  /** A stream of the object's bytes; rejects with `not_found` when there is no such object. */
  get(key: string): Promise<Readable>;
  getBuffer(key: string): Promise<Buffer>;
  /** `null` when there is no such object. */
  stat(key: string): Promise<ObjectStat | null>;
  exists(key: string): Promise<boolean>;
  /** Removes one object; removing a missing object is not an error. */
  remove(key: string): Promise<void>;
  /** Removes every object under the prefix (which must not be empty); returns how many. */
  removePrefix(prefix: string): Promise<number>;
  /** Keys under the prefix (`''` for all), in ascending byte order. */
  list(prefix: string): AsyncIterable<string>;
  /** A URL anyone holding it can GET the object from until it expires. */
  signedGetUrl(key: string, options: SignedUrlOptions): Promise<string>;
  /** Resolves when the store is usable; rejects with `unavailable` otherwise. */
  health(): Promise<void>;

  /** Starts a multipart upload; returns its upload id. */
  createMultipartUpload(key: string, contentType?: string): Promise<string>;
  /** Stores one part (1..10000, at most MAX_PART_SIZE bytes); uploading a part number again replaces it. */
  uploadPart(key: string, uploadId: string, partNumber: number, body: Buffer | Readable): Promise<{ etag: string }>;
  /** Assembles the listed parts, in ascending part order, into the object. */
  completeMultipartUpload(key: string, uploadId: string, parts: CompletedPart[]): Promise<{ etag: string }>;
  /** Discards an upload and its parts; aborting an unknown upload is not an error. */
  abortMultipartUpload(key: string, uploadId: string): Promise<void>;
}

export function assertExpiry(expiresInSeconds: number): void {
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > 604_800) {
    throw new StorageError('invalid_argument', 'expiresInSeconds must be a whole number from 1 to 604800');
  }
}

export function assertPartNumber(partNumber: number): void {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    throw new StorageError('invalid_argument', `part number must be a whole number from 1 to ${MAX_PART_NUMBER}`);
  }
}

export function assertSize(size: number | undefined): void {
  if (size !== undefined && (!Number.isSafeInteger(size) || size < 0)) {
    throw new StorageError('invalid_argument', 'size must be a non-negative whole number');
  }
}

/** Checks a part list: not empty, valid numbers, strictly ascending, etags present. */
export function assertPartList(parts: CompletedPart[]): void {
  if (parts.length === 0) throw new StorageError('invalid_argument', 'a multipart upload needs at least one part');
  let previous = 0;
  for (const part of parts) {
    assertPartNumber(part.partNumber);
    if (part.partNumber <= previous) {
      throw new StorageError('invalid_argument', 'parts must be listed in strictly ascending part order');
    }
    if (typeof part.etag !== 'string' || part.etag.length === 0) {
      throw new StorageError('invalid_argument', `part ${part.partNumber} has no etag`);
    }
    previous = part.partNumber;
  }
}

/** Content types are stored as given; reject header injection and absurd values. */
export function normalizeContentType(contentType: string | undefined): string {
  if (contentType === undefined || contentType === '') return DEFAULT_CONTENT_TYPE;
  if (contentType.length > 255 || !/^[\x20-\x7e]+$/.test(contentType)) {
    throw new StorageError('invalid_argument', 'content type must be printable ASCII, at most 255 characters');
  }
  return contentType;
}
