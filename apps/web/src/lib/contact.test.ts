import { describe, expect, it } from 'vitest';
import { normalizeLogin, parseContact } from './contact.ts';

describe('the "e-mail or phone" field', () => {
  it('reads an e-mail address', () => {
    expect(parseContact('  lan@example.vn ')).toEqual({ ok: true, contact: { email: 'lan@example.vn' } });
  });

  it('reads Vietnamese mobile numbers written the way people write them', () => {
    expect(parseContact('0912 345 678')).toEqual({ ok: true, contact: { phone: '0912345678' } });
    expect(parseContact('091.234.5678')).toEqual({ ok: true, contact: { phone: '0912345678' } });
    expect(parseContact('+84 912-345-678')).toEqual({ ok: true, contact: { phone: '+84912345678' } });
    expect(parseContact('84912345678')).toEqual({ ok: true, contact: { phone: '+84912345678' } });
  });

  it('says which kind of value is wrong', () => {
    expect(parseContact('')).toEqual({ ok: false, error: 'contact' });
    expect(parseContact('lan@')).toEqual({ ok: false, error: 'email' });
    expect(parseContact('0123')).toEqual({ ok: false, error: 'phone' });
    expect(parseContact('0212345678')).toEqual({ ok: false, error: 'phone' });
  });

  it('sends a phone login without separators and an e-mail login as typed', () => {
    expect(normalizeLogin(' 0912 345 678 ')).toBe('0912345678');
    expect(normalizeLogin('Lan@Example.vn')).toBe('Lan@Example.vn');
  });
});
