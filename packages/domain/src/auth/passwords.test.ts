import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords.ts';

describe('passwords', () => {
  it('hashes with argon2id and verifies the same password', async () => {
    const hash = await hashPassword('mật-khẩu-dài');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(hash, 'mật-khẩu-dài')).toBe(true);
    expect(await verifyPassword(hash, 'mat-khau-dai')).toBe(false);
  });

  it('accepts a Vietnamese password typed in decomposed form (NFD) on another keyboard', async () => {
    const hash = await hashPassword('Học tập số'.normalize('NFC'));
    expect(await verifyPassword(hash, 'Học tập số'.normalize('NFD'))).toBe(true);
  });

  it('answers false, not an exception, for a malformed hash', async () => {
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
  });
});
