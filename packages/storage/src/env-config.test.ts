import { describe, expect, it } from 'vitest';
import { objectStoreConfigFromEnv } from './env-config.ts';

const local = { dataDir: '/srv/hts/data', fallbackSigningSecret: () => 's'.repeat(40) };

describe('object store settings from the environment', () => {
  it('defaults to the local folder under the data folder, with path-only signed URLs', () => {
    expect(objectStoreConfigFromEnv({}, local)).toEqual({
      kind: 'local',
      dir: '/srv/hts/data/objects',
      publicBaseUrl: '/objects',
      signingSecret: 's'.repeat(40),
    });
    expect(objectStoreConfigFromEnv({ OBJECTS_PUBLIC_URL: 'https://cdn.example/o', OBJECTS_SIGNING_SECRET: 'k'.repeat(32) }, local)).toMatchObject({
      publicBaseUrl: 'https://cdn.example/o',
      signingSecret: 'k'.repeat(32),
    });
  });

  it('reads S3 settings, with the port following S3_USE_SSL unless given', () => {
    const env = { S3_ENDPOINT: 'minio', S3_ACCESS_KEY: 'a', S3_SECRET_KEY: 'b' };
    expect(objectStoreConfigFromEnv(env, local)).toEqual({
      kind: 's3',
      endPoint: 'minio',
      port: 443,
      useSSL: true,
      accessKey: 'a',
      secretKey: 'b',
      bucket: 'hoc-tap-so',
    });
    expect(objectStoreConfigFromEnv({ ...env, S3_USE_SSL: 'false', S3_REGION: 'vn' }, local)).toMatchObject({ port: 80, useSSL: false, region: 'vn' });
    expect(objectStoreConfigFromEnv({ ...env, S3_PORT: '9000', S3_BUCKET: 'b2' }, local)).toMatchObject({ port: 9000, bucket: 'b2' });
  });

  it('names the setting at fault', () => {
    expect(() => objectStoreConfigFromEnv({ S3_ENDPOINT: 'minio', S3_ACCESS_KEY: 'a' }, local)).toThrow(/S3_ACCESS_KEY and S3_SECRET_KEY/);
    expect(() => objectStoreConfigFromEnv({ S3_ENDPOINT: 'minio', S3_ACCESS_KEY: 'a', S3_SECRET_KEY: 'b', S3_PORT: 'nine' }, local)).toThrow(/S3_PORT/);
    expect(() => objectStoreConfigFromEnv({}, { ...local, fallbackSigningSecret: () => '' })).toThrow(/OBJECTS_SIGNING_SECRET/);
  });
});
