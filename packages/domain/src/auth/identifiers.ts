export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase();
}

/** 0912345678, +84912345678, 84912345678 and "091 234 5678" all become +84912345678. */
export function normalizePhone(phone: string): string | null {
  const digits = phone.replace(/[\s.\-()]/g, '');
  const m = /^(?:\+?84|0)([35789][0-9]{8})$/.exec(digits);
  return m ? `+84${m[1]}` : null;
}

export type LoginId = { kind: 'email'; value: string } | { kind: 'phone'; value: string };

export function parseLogin(login: string): LoginId | null {
  const trimmed = login.trim();
  if (trimmed.includes('@')) return { kind: 'email', value: normalizeEmail(trimmed) };
  const phone = normalizePhone(trimmed);
  return phone ? { kind: 'phone', value: phone } : null;
}
