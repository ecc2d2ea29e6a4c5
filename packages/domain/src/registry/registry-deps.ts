import type { Db } from '@hts/db';
import type { ObjectStore } from '@hts/storage';
import type { Clock } from '../shared/deps.ts';
import type { IdNumberCodec } from './id-numbers.ts';

export interface RegistrySettings {
  /** Hashes and encrypts national ID numbers (built once from PII_SECRET). */
  codec: IdNumberCodec;
  /** Largest import file accepted, in bytes (REGISTRY_IMPORT_MAX_BYTES). */
  maxImportBytes: number;
}

export const DEFAULT_MAX_IMPORT_BYTES = 10 * 1024 * 1024;

export interface RegistryDeps {
  db: Db;
  store: ObjectStore;
  clock: Clock;
  registry: RegistrySettings;
}
