import { hash, verify } from '@node-rs/argon2';

// @node-rs/argon2 defaults to argon2id, m=19 MiB, t=2, p=1: the OWASP-recommended minimum.
export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFC'));
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password.normalize('NFC'));
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/** Unknown accounts still cost one verification, so response time does not reveal who is registered. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('not-a-real-password-placeholder');
  await verifyPassword(await dummyHash, password);
}
