import { describe, expect, it } from 'vitest';
import { normalizeEmail, normalizePhone, parseLogin } from './identifiers.ts';

describe('identifiers', () => {
  it('writes every common spelling of a Vietnamese mobile number as +84', () => {
    for (const spelling of ['0912345678', '+84912345678', '84912345678', '091 234 5678', '091.234.5678', '(091) 234-5678']) {
      expect(normalizePhone(spelling)).toBe('+84912345678');
    }
  });

  it('refuses numbers that are not Vietnamese mobiles', () => {
    for (const bad of ['0212345678', '091234567', '09123456789', '+1 202 555 0100', 'abc']) expect(normalizePhone(bad)).toBeNull();
  });

  it('lower-cases e-mails and trims spaces', () => {
    expect(normalizeEmail('  Lan.Nguyen@Example.VN ')).toBe('lan.nguyen@example.vn');
  });

  it('tells an e-mail login from a phone login', () => {
    expect(parseLogin('A@b.vn')).toEqual({ kind: 'email', value: 'a@b.vn' });
    expect(parseLogin('0356 789 012')).toEqual({ kind: 'phone', value: '+84356789012' });
    expect(parseLogin('nguyenvana')).toBeNull();
  });
});
