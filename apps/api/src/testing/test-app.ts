import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultContentDir, loadContent } from '@hts/content';
import { type Db, seedGeography, seedTargetGroups } from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import {
  CatalogCache,
  type Clock,
  type CredentialSettings,
  DEFAULT_MAX_IMPORT_BYTES,
  defaultMediaSettings,
  ensureDemoAccounts,
  ensureDemoVideo,
  generateSigningKeyPem,
  IdNumberCodec,
  IndicatorReportCache,
  loadSigningKey,
  type MediaSettings,
  type Notifier,
  type RegistrySettings,
  seedContentCourses,
  seedCriteria,
  seedIndicatorDefinitions,
  systemClock,
} from '@hts/domain';
import { createObjectStore, type ObjectStore } from '@hts/storage';
import type { FastifyInstance } from 'fastify';
import { type AppConfig, buildApp } from '../app.ts';

export const DEMO_PASSWORD = 'demo-pass-123';

export const testConfig: AppConfig = {
  nodeEnv: 'test',
  publicUrl: 'http://localhost:3000',
  jwtSecret: 'test-secret-test-secret-test-secret-0123456789',
  accessTokenTtlSeconds: 900,
  refreshTokenTtlSeconds: 3600,
  trustProxy: 'loopback',
  logLevel: 'warn',
  signInRateLimit: { perAddressPerMinute: 1000, perAccountFailures: 5, perAccountWindowSeconds: 900 },
};

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  objectStore: ObjectStore;
  close(): Promise<void>;
}

/**
 * The real API on a fresh, migrated and seeded database: real PostgreSQL when TEST_DATABASE_URL is set
 * (CI), in-memory PGlite otherwise; a real local object folder in a temp dir.
 */
export const testIdNumberCodec = new IdNumberCodec('i'.repeat(40));

/** One key per test process: signing is what is tested, not key generation. */
export const testCredentialSettings: CredentialSettings = {
  signingKey: loadSigningKey(generateSigningKeyPem()),
  publicUrl: testConfig.publicUrl,
  issuerName: 'Học tập số (thử nghiệm)',
};

export const testMediaSettings: MediaSettings = { ...defaultMediaSettings, playlistSigningSecret: 'p'.repeat(40) };

export async function createTestApp(
  options: {
    config?: Partial<AppConfig>;
    clock?: Clock;
    objectStore?: ObjectStore;
    media?: Partial<MediaSettings>;
    registry?: Partial<RegistrySettings>;
    /** The notifier the use cases get (default: in-app only, as without configuration). */
    notifier?: Notifier;
    /** Generate the demo clip (needs ffmpeg) and queue its transcode before seeding content, as the embedded default does. */
    demoVideo?: boolean;
    /** Sees the text of every statement sent through drizzle (to count what a request costs). */
    onQuery?: (query: string, params: unknown[]) => void;
  } = {},
): Promise<TestApp> {
  const database = await openTestDatabase(process.env.TEST_DATABASE_URL, options.onQuery ? { onQuery: options.onQuery } : {});
  const content = await loadContent(defaultContentDir);
  await seedGeography(database.db, content.province);
  await seedTargetGroups(database.db, content.targetGroups);
  await ensureDemoAccounts(database.db, DEMO_PASSWORD);
  const objectDir = await mkdtemp(join(tmpdir(), 'hts-objects-'));
  const objectStore =
    options.objectStore ?? createObjectStore({ kind: 'local', dir: objectDir, publicBaseUrl: 'http://localhost:3000/objects', signingSecret: 'x'.repeat(40) });
  await objectStore.init();
  // as bootstrap does: the demo clip before the courses, so the content lesson naming it is seeded
  if (options.demoVideo) await ensureDemoVideo({ db: database.db, store: objectStore });
  await seedContentCourses(database.db, { competences: content.frameworks.flatMap((f) => f.competences), courses: content.courses });
  await seedCriteria(
    database.db,
    content.criteria.map((c) => c.doc),
  );
  await seedIndicatorDefinitions(database.db, content.indicators);
  const app = await buildApp(
    { ...testConfig, ...options.config },
    {
      db: database.db,
      pingDatabase: database.ping,
      objectStore,
      clock: options.clock ?? systemClock,
      media: { ...testMediaSettings, ...options.media },
      registry: { codec: testIdNumberCodec, maxImportBytes: DEFAULT_MAX_IMPORT_BYTES, ...options.registry },
      collectiveRules: content.collectiveRules.map((r) => r.doc),
      ...(options.notifier ? { notifier: options.notifier } : {}),
      credentials: testCredentialSettings,
      catalogCache: new CatalogCache(),
      indicatorCache: new IndicatorReportCache(),
    },
  );
  return {
    app,
    db: database.db,
    objectStore,
    close: async () => {
      await app.close();
      await database.close();
      await rm(objectDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
/** A unique citizen registration body; pass overrides for the field under test. */
export function newCitizen(overrides: Record<string, unknown> = {}) {
  counter += 1;
  const n = `${Date.now() % 1_000_000}${counter}`;
  return {
    email: `nguoi.dan.${n}@example.vn`,
    fullName: 'Nguyễn Thị Lan',
    birthYear: 1980,
    communeCode: '07627',
    targetGroupCode: 'nong-dan',
    password: 'mat-khau-123',
    ...overrides,
  };
}

export async function signInAs(app: FastifyInstance, login: string, password = DEMO_PASSWORD): Promise<{ accessToken: string; refreshToken: string }> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in as ${login} failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
