import { type Db, users } from '@hts/db';
import { eq } from 'drizzle-orm';
import { DomainError, fieldError } from '../shared/errors.ts';
import { normalizeEmail, normalizePhone } from './identifiers.ts';

/** E-mail and/or phone, normalised; at least one is required and neither may belong to someone else. */
export async function checkContactFields(db: Db, input: { email?: string; phone?: string }): Promise<{ email: string | null; phone: string | null }> {
  const email = input.email ? normalizeEmail(input.email) : null;
  const phone = input.phone ? normalizePhone(input.phone) : null;
  if (input.phone && !phone) throw fieldError('validation_failed', '/body/phone', 'must be a Vietnamese mobile number');
  if (!email && !phone) {
    throw new DomainError('validation_failed', 'an e-mail or a phone number is required', [
      { field: '/body/email', message: 'give an e-mail or a phone number' },
      { field: '/body/phone', message: 'give an e-mail or a phone number' },
    ]);
  }
  if (email && (await db.select({ id: users.id }).from(users).where(eq(users.email, email))).length > 0) {
    throw fieldError('conflict', '/body/email', 'this e-mail is already registered');
  }
  if (phone && (await db.select({ id: users.id }).from(users).where(eq(users.phone, phone))).length > 0) {
    throw fieldError('conflict', '/body/phone', 'this phone number is already registered');
  }
  return { email, phone };
}

/** The unique indexes are the real guard against two registrations racing; map their violation to 409. */
export function mapUniqueViolation(error: unknown): never {
  const text = String((error as { message?: string; cause?: { message?: string } })?.cause?.message ?? (error as Error)?.message ?? '');
  if (text.includes('users_email_key')) throw fieldError('conflict', '/body/email', 'this e-mail is already registered');
  if (text.includes('users_phone_key')) throw fieldError('conflict', '/body/phone', 'this phone number is already registered');
  throw error;
}
