import { loadSigningKey } from '@hts/domain';
import { describe, expect, it } from 'vitest';
import { benchCredentialSettings, benchSigningKeyPem } from './bench-issuer.ts';

describe('the synthetic issuer key', () => {
  it('is the same key for the same seed and another for another seed', () => {
    expect(benchCredentialSettings(42).signingKey.kid).toBe(benchCredentialSettings(42).signingKey.kid);
    expect(benchCredentialSettings(42).signingKey.kid).not.toBe(benchCredentialSettings(43).signingKey.kid);
  });

  it('loads from its PEM as the API loads CREDENTIAL_SIGNING_KEY, to the same published key', () => {
    const loaded = loadSigningKey(benchSigningKeyPem(42));
    expect(loaded.kid).toBe(benchCredentialSettings(42).signingKey.kid);
    expect(loaded.publicJwk).toEqual(benchCredentialSettings(42).signingKey.publicJwk);
  });
});
