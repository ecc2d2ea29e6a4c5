import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Db, lrsClients } from '@hts/db';
import { and, eq, isNull } from 'drizzle-orm';
import { fieldError } from '../shared/errors.ts';
import { type LrsPrincipal, type LrsScope, lrsScopes } from './principal.ts';

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

export function parseScopes(raw: readonly string[]): LrsScope[] {
  const scopes = raw
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = scopes.find((s) => !(lrsScopes as readonly string[]).includes(s));
  if (bad !== undefined || scopes.length === 0) throw fieldError('validation_failed', '/scopes', `scopes must be some of: ${lrsScopes.join(', ')}`);
  return [...new Set(scopes)] as LrsScope[];
}

/** An admin issues credentials per xAPI client; the secret is shown once and only its hash is kept. */
export async function createLrsClient(
  db: Db,
  input: { name: string; scopes: readonly string[] },
): Promise<{ key: string; secret: string; scopes: LrsScope[] }> {
  const name = input.name.trim();
  if (!name) throw fieldError('validation_failed', '/name', 'is required');
  const scopes = parseScopes(input.scopes);
  const key = `lrs_${randomBytes(9).toString('base64url')}`;
  const secret = randomBytes(32).toString('base64url');
  await db.insert(lrsClients).values({ name, key, secretHash: hashSecret(secret), scopes });
  return { key, secret, scopes };
}

/** The embedded demo client: created or updated from configuration so its key and secret stay as set. */
export async function ensureLrsClient(db: Db, input: { name: string; key: string; secret: string; scopes: readonly LrsScope[] }): Promise<void> {
  const values = { name: input.name, key: input.key, secretHash: hashSecret(input.secret), scopes: [...input.scopes] };
  await db
    .insert(lrsClients)
    .values(values)
    .onConflictDoUpdate({ target: lrsClients.key, set: { secretHash: values.secretHash, scopes: values.scopes, disabledAt: null } });
}

/** Checks Basic credentials; null when they are wrong (the caller answers 401 either way). */
export async function authenticateLrsClient(db: Db, homePage: string, key: string, secret: string): Promise<LrsPrincipal | null> {
  const [client] = await db
    .select()
    .from(lrsClients)
    .where(and(eq(lrsClients.key, key), isNull(lrsClients.disabledAt)));
  const given = Buffer.from(hashSecret(secret));
  const expected = Buffer.from(client?.secretHash ?? hashSecret(''));
  if (!client || !timingSafeEqual(given, expected)) return null;
  return {
    authorityKey: `client:${client.id}`,
    authority: { objectType: 'Agent', name: client.name, account: { homePage, name: client.key } },
    scopes: new Set(client.scopes as LrsScope[]),
  };
}

/**
 * authenticateLrsClient with the answers remembered for `ttlMs` (10 s by default): an xAPI client sends
 * credentials with every statement, and at high rate the lookup would cost as much as storing. Only
 * successes are remembered, keyed by the secret's hash, so a changed secret or scope list takes effect
 * within `ttlMs` at most, and a wrong secret is always checked against the database.
 */
export function createLrsClientAuthenticator(
  db: Db,
  homePage: string,
  options: { ttlMs?: number; now?: () => number } = {},
): (key: string, secret: string) => Promise<LrsPrincipal | null> {
  const ttlMs = options.ttlMs ?? 10_000;
  const now = options.now ?? Date.now;
  const remembered = new Map<string, { principal: LrsPrincipal; until: number }>();
  return async (key, secret) => {
    const id = `${key}\u0000${hashSecret(secret)}`;
    const hit = remembered.get(id);
    if (hit && hit.until > now()) return hit.principal;
    const principal = await authenticateLrsClient(db, homePage, key, secret);
    if (remembered.size >= 1000) remembered.clear();
    if (principal) remembered.set(id, { principal, until: now() + ttlMs });
    else remembered.delete(id);
    return principal;
  };
}
