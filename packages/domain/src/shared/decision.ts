import { fieldError } from './errors.ts';

function validDate(text: string): boolean {
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/**
 * The decision behind an award or a revocation: a number that is not blank and a calendar date not after today
 * (a decision is recorded once it is signed). Returns the trimmed number; bad input is 400 naming the field.
 */
export function checkDecision(body: { decisionNumber: string; decisionDate?: string | undefined }, now: Date): string {
  const decisionNumber = body.decisionNumber.trim();
  if (!decisionNumber) throw fieldError('validation_failed', '/body/decisionNumber', 'the decision number is required');
  if (body.decisionDate !== undefined) {
    if (!validDate(body.decisionDate)) throw fieldError('validation_failed', '/body/decisionDate', 'not a calendar date');
    if (body.decisionDate > today(now)) throw fieldError('validation_failed', '/body/decisionDate', 'the decision date is in the future');
  }
  return decisionNumber;
}

export const today = (now: Date): string => now.toISOString().slice(0, 10);

/** What a revocation carries: the reason (required, trimmed) and the decision behind it, checked as above. */
export function checkRevocation(
  body: { reason: string; decisionNumber: string; decisionDate?: string | undefined },
  now: Date,
): { reason: string; decisionNumber: string; decisionDate: string } {
  const reason = body.reason.trim();
  if (reason.length < 3) throw fieldError('validation_failed', '/body/reason', 'say why the title is revoked');
  const decisionNumber = checkDecision(body, now);
  return { reason, decisionNumber, decisionDate: body.decisionDate ?? today(now) };
}
