import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** A citizen identity card (CCCD) number: exactly 12 digits. */
export const ID_NUMBER_PATTERN = /^[0-9]{12}$/;

/**
 * National ID numbers are never stored in clear (DESIGN §9): a keyed hash to match and keep them unique,
 * an AES-256-GCM ciphertext for the few screens allowed to show them, and the last four digits for a
 * masked display. Both keys are derived from one secret (PII_SECRET) with HKDF.
 */
export class IdNumberCodec {
  private readonly hashKey: Buffer;
  private readonly encKey: Buffer;

  constructor(secret: string) {
    if (secret.length < 32) throw new Error('the ID number secret must be at least 32 characters');
    this.hashKey = Buffer.from(hkdfSync('sha256', secret, 'hts', 'registry id-number hash', 32));
    this.encKey = Buffer.from(hkdfSync('sha256', secret, 'hts', 'registry id-number encryption', 32));
  }

  hash(idNumber: string): string {
    return createHmac('sha256', this.hashKey).update(idNumber).digest('hex');
  }

  encrypt(idNumber: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([cipher.update(idNumber, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  decrypt(stored: string): string {
    const raw = Buffer.from(stored, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}

export const lastFour = (idNumber: string) => idNumber.slice(-4);

/** How screens show an ID number: "••••••••1234". */
export const maskIdNumber = (last4: string | null) => (last4 ? `••••••••${last4}` : null);
