import type { CredentialSigningKey } from './signing-key.ts';

/** What issuing and verifying need besides the database: the key and the platform's public address. */
export interface CredentialSettings {
  signingKey: CredentialSigningKey;
  /** The address people open (PUBLIC_URL), without a trailing slash. */
  publicUrl: string;
  issuerName: string;
}

export const OB3_CONTEXT = ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'];

export const issuerId = (s: Pick<CredentialSettings, 'publicUrl'>) => `${s.publicUrl}/api/credentials/issuer`;
export const credentialUrl = (s: Pick<CredentialSettings, 'publicUrl'>, id: string) => `${s.publicUrl}/api/credentials/${id}`;
export const verifyPageUrl = (s: Pick<CredentialSettings, 'publicUrl'>, id: string) => `${s.publicUrl}/verify/${id}`;
/** The `kid` header: the issuer profile's URL with the key's thumbprint as fragment, as its JWK set names it. */
export const keyReference = (s: Pick<CredentialSettings, 'publicUrl'>, kid: string) => `${issuerId(s)}#${kid}`;

/** The issuer profile (OB 3.0 Profile) with its public keys: what a verifier fetches to check a signature. */
export function issuerProfile(s: CredentialSettings, keys: Array<{ kid: string; publicJwk: Record<string, string> }>) {
  return {
    '@context': OB3_CONTEXT,
    id: issuerId(s),
    type: ['Profile'],
    name: s.issuerName,
    url: s.publicUrl,
    publicKeys: keys.map((k) => ({ ...k.publicJwk, kid: keyReference(s, k.kid), alg: 'EdDSA', use: 'sig' })),
  };
}
