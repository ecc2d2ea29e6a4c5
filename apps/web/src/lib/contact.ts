/** One input "e-mail or phone number", split into what the API expects. */
export type Contact = { email: string } | { phone: string };

const PHONE = /^(0|\+84)[35789][0-9]{8}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Spaces, dots, dashes and brackets people type in phone numbers; "84…" becomes "+84…". */
export function normalizePhone(input: string): string {
  let phone = input.replace(/[\s.\-()]/g, '');
  if (/^84[35789][0-9]{8}$/.test(phone)) phone = `+${phone}`;
  return phone;
}

export type ContactResult = { ok: true; contact: Contact } | { ok: false; error: 'contact' | 'email' | 'phone' };

export function parseContact(input: string): ContactResult {
  const value = input.trim();
  if (!value) return { ok: false, error: 'contact' };
  if (value.includes('@')) {
    return EMAIL.test(value) && value.length <= 254 ? { ok: true, contact: { email: value } } : { ok: false, error: 'email' };
  }
  const phone = normalizePhone(value);
  return PHONE.test(phone) ? { ok: true, contact: { phone } } : { ok: false, error: 'phone' };
}

/** The login field as sent to the API: e-mails as typed, phone numbers without separators. */
export function normalizeLogin(input: string): string {
  const value = input.trim();
  return value.includes('@') ? value : normalizePhone(value);
}
