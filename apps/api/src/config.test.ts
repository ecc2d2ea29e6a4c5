import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKeyPem } from '@hts/domain';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const dataDir = () => mkdtempSync(join(tmpdir(), 'hts-config-'));
const signingKeyPem = generateSigningKeyPem();

describe('API config', () => {
  it('defaults to the embedded mode: PGlite and a local object folder in the data folder', () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.port).toBe(3001);
    expect(config.storage).toMatchObject({ kind: 'local', dir: join(dir, 'objects'), publicBaseUrl: '/objects' });
    expect(config.demoPassword).toHaveLength(12);
    expect(config.demoPasswordGenerated).toBe(true);
  });

  it('keeps generated secrets and the demo password across restarts', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(second.jwtSecret).toBe(first.jwtSecret);
    expect(second.demoPassword).toBe(first.demoPassword);
  });

  it('never creates demo accounts in production and demands real secrets there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir() })).toThrow(/JWT_SECRET/);
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      OBJECTS_SIGNING_SECRET: 'y'.repeat(40),
      PII_SECRET: 'z'.repeat(40),
      CREDENTIAL_SIGNING_KEY: signingKeyPem,
      DEMO_PASSWORD: 'ignored-here',
      DATA_DIR: dataDir(),
    });
    expect(config.demoPassword).toBeNull();
  });

  it('demands PII_SECRET in production and keeps the generated one across restarts elsewhere', () => {
    const base = {
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      OBJECTS_SIGNING_SECRET: 'y'.repeat(40),
      CREDENTIAL_SIGNING_KEY: signingKeyPem,
      DATA_DIR: dataDir(),
    };
    expect(() => loadConfig(base)).toThrow(/PII_SECRET/);
    expect(() => loadConfig({ ...base, PII_SECRET: 'short' })).toThrow(/at least 32/);
    const dir = dataDir();
    expect(loadConfig({ DATA_DIR: dir }).registry.piiSecret).toBe(loadConfig({ DATA_DIR: dir }).registry.piiSecret);
  });

  it('takes the demo LRS client from LRS_DEMO_KEY and LRS_DEMO_SECRET only when both are set, never in production', () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).lrsDemoClient).toBeNull();
    expect(loadConfig({ LRS_DEMO_KEY: 'demo', DATA_DIR: dataDir() }).lrsDemoClient).toBeNull();
    expect(loadConfig({ LRS_DEMO_KEY: 'demo', LRS_DEMO_SECRET: 'bi-mat', DATA_DIR: dataDir() }).lrsDemoClient).toEqual({ key: 'demo', secret: 'bi-mat' });
    const production = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      OBJECTS_SIGNING_SECRET: 'y'.repeat(40),
      PII_SECRET: 'z'.repeat(40),
      CREDENTIAL_SIGNING_KEY: signingKeyPem,
      LRS_DEMO_KEY: 'demo',
      LRS_DEMO_SECRET: 'bi-mat',
      DATA_DIR: dataDir(),
    });
    expect(production.lrsDemoClient).toBeNull();
  });

  it('switches to S3 when S3_ENDPOINT is set and insists on its keys', () => {
    expect(() => loadConfig({ S3_ENDPOINT: 'minio', DATA_DIR: dataDir() })).toThrow(ConfigError);
    const config = loadConfig({ S3_ENDPOINT: 'minio', S3_PORT: '9000', S3_USE_SSL: 'false', S3_ACCESS_KEY: 'a', S3_SECRET_KEY: 'b', DATA_DIR: dataDir() });
    expect(config.storage).toEqual({
      kind: 's3',
      endPoint: 'minio',
      port: 9000,
      useSSL: false,
      accessKey: 'a',
      secretKey: 'b',
      bucket: 'hoc-tap-so',
      region: undefined,
    });
  });

  it('names the variable that is not a number', () => {
    expect(() => loadConfig({ API_PORT: 'three', DATA_DIR: dataDir() })).toThrow(/API_PORT/);
  });

  it('reads the media upload limit and source policy, and refuses a part size S3 would reject', () => {
    const config = loadConfig({ DATA_DIR: dataDir(), MEDIA_MAX_UPLOAD_BYTES: '1048576', MEDIA_KEEP_SOURCE: 'false' });
    expect(config.media).toMatchObject({ maxUploadBytes: 1_048_576, keepSource: false, partSize: 8 * 1024 * 1024 });
    expect(() => loadConfig({ DATA_DIR: dataDir(), MEDIA_PART_SIZE: '1000' })).toThrow(/MEDIA_PART_SIZE/);
    expect(() => loadConfig({ DATA_DIR: dataDir(), MEDIA_MAX_UPLOAD_BYTES: 'lots' })).toThrow(ConfigError);
  });
});

describe('the credential signing key', () => {
  const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), OBJECTS_SIGNING_SECRET: 'y'.repeat(40), PII_SECRET: 'z'.repeat(40) };

  it('refuses to start in production without CREDENTIAL_SIGNING_KEY, or with one that is not an Ed25519 PEM', () => {
    expect(() => loadConfig({ ...production, DATA_DIR: dataDir() })).toThrow(/CREDENTIAL_SIGNING_KEY is required/);
    expect(() => loadConfig({ ...production, CREDENTIAL_SIGNING_KEY: 'not a key', DATA_DIR: dataDir() })).toThrow(ConfigError);
  });

  it('takes the configured key, with \\n escapes as a one-line value has them', () => {
    const config = loadConfig({ ...production, CREDENTIAL_SIGNING_KEY: signingKeyPem.replace(/\n/g, '\\n'), DATA_DIR: dataDir() });
    expect(config.credentials.signingKey.kid).toBe(
      loadConfig({ ...production, CREDENTIAL_SIGNING_KEY: signingKeyPem, DATA_DIR: dataDir() }).credentials.signingKey.kid,
    );
  });

  it('generates one into the data folder on first start and keeps it across restarts elsewhere', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir }).credentials.signingKey.kid;
    expect(loadConfig({ DATA_DIR: dir }).credentials.signingKey.kid).toBe(first);
    expect(loadConfig({ DATA_DIR: dataDir() }).credentials.signingKey.kid).not.toBe(first);
  });
});
