import { createHmac, timingSafeEqual } from 'node:crypto';

function sign(secret: string, assetId: string, name: string, expires: number): string {
  return createHmac('sha256', secret).update(`playlist\n${assetId}\n${name}\n${expires}`).digest('base64url');
}

/** Query string of a rendition playlist URL: it works without a token until it expires. */
export function signPlaylistQuery(secret: string, assetId: string, name: string, expiresAt: number): string {
  return `expires=${expiresAt}&signature=${sign(secret, assetId, name, expiresAt)}`;
}

/** False for an expired, altered or foreign URL; never throws. `now` in milliseconds. */
export function verifyPlaylistSignature(secret: string, assetId: string, name: string, expires: string, signature: string, now: number): boolean {
  const expiresAt = /^[0-9]{1,12}$/.test(expires) ? Number(expires) : Number.NaN;
  if (!Number.isSafeInteger(expiresAt) || now >= expiresAt * 1000) return false;
  const expected = Buffer.from(sign(secret, assetId, name, expiresAt));
  const given = Buffer.from(String(signature));
  return expected.length === given.length && timingSafeEqual(expected, given);
}
