import { LocalObjectStore, type LocalStoreConfig } from './local-store.ts';
import type { ObjectStore } from './object-store.ts';
import { S3ObjectStore, type S3StoreConfig } from './s3-store.ts';

export {
  assertValidKey,
  childKey,
  isValidKey,
  isValidSegment,
  keyParent,
  MAX_KEY_LENGTH,
  MAX_SEGMENT_LENGTH,
  MAX_SEGMENTS,
  normalizePrefix,
  objectKey,
} from './keys.ts';
export { LocalObjectStore, type LocalStoreConfig, verifyLocalSignature } from './local-store.ts';
export {
  type CompletedPart,
  DEFAULT_CONTENT_TYPE,
  isStorageError,
  MAX_PART_NUMBER,
  MAX_PART_SIZE,
  MIN_PART_SIZE,
  type ObjectStat,
  type ObjectStore,
  type PutOptions,
  type SignedUrlOptions,
  StorageError,
  type StorageErrorCode,
} from './object-store.ts';
export { mapS3Error, S3ObjectStore, type S3StoreConfig } from './s3-store.ts';

export type ObjectStoreConfig = ({ kind: 'local' } & LocalStoreConfig) | ({ kind: 's3' } & S3StoreConfig);

/**
 * Builds the configured store. Does no I/O: call `await store.init()` once at startup
 * (creates the folder or the bucket when missing).
 */
export function createObjectStore(config: ObjectStoreConfig): ObjectStore {
  switch (config.kind) {
    case 'local': {
      const { kind: _kind, ...local } = config;
      return new LocalObjectStore(local);
    }
    case 's3': {
      const { kind: _kind, ...s3 } = config;
      return new S3ObjectStore(s3);
    }
    default:
      throw new Error(`unknown object store kind ${JSON.stringify((config as { kind?: unknown }).kind)}`);
  }
}

/** Collects the keys of `store.list(prefix)` into an array (Array.fromAsync needs Node 22). */
export async function listKeys(store: Pick<ObjectStore, 'list'>, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.list(prefix)) keys.push(key);
  return keys;
}

/** The first `bytes` bytes of an object (fewer when it is shorter), without reading the rest. */
export async function readHead(store: Pick<ObjectStore, 'get'>, key: string, bytes: number): Promise<Buffer> {
  const stream = await store.get(key);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      chunks.push(buffer);
      total += buffer.length;
      if (total >= bytes) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks, total).subarray(0, bytes);
}
export { objectStoreConfigFromEnv, StorageConfigError } from './env-config.ts';
