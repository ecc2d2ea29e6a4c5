import { type Db, type JobRow, notificationDeliveries, users } from '@hts/db';
import { eq } from 'drizzle-orm';
import type { JobHandler } from '../jobs/worker-loop.ts';
import { type DeliveryPayload, NOTIFICATION_DELIVER_JOB } from './delivery-notifier.ts';
import type { NotificationSettings } from './notification-settings.ts';
import { renderNotification } from './templates.ts';
import { PermanentDeliveryError, sendEmail, sendSms } from './transports.ts';

/** "+84•••••5678" / "l•••@example.vn": enough to tell which address was used, not a contact list. */
export function maskAddress(address: string): string {
  const at = address.indexOf('@');
  if (at > 0) return `${address[0]}•••${address.slice(at)}`;
  return `${address.slice(0, 3)}•••••${address.slice(-4)}`;
}

/**
 * Runs one try of a `notification.deliver` job and records it in `notification_deliveries`. A failed try
 * throws, so the job queue retries it with backoff; the last try, or a refusal no retry can fix, is recorded
 * as given up with its reason (and the job ends failed with the same reason).
 */
export async function deliverNotification(
  db: Db,
  settings: NotificationSettings,
  job: Pick<JobRow, 'id' | 'attempts' | 'maxAttempts' | 'payload'>,
): Promise<void> {
  const p = job.payload as unknown as DeliveryPayload;
  const record = (
    outcome: 'sent' | 'failed' | 'gave_up' | 'skipped',
    extra: { recipient?: string | null; error?: string; providerRef?: string | null; durationMs?: number },
  ) =>
    db.insert(notificationDeliveries).values({
      jobId: job.id,
      userId: p.userId,
      channel: p.channel,
      kind: p.kind,
      attempt: job.attempts,
      outcome,
      recipient: extra.recipient ?? null,
      error: extra.error?.slice(0, 1000) ?? null,
      providerRef: extra.providerRef ?? null,
      durationMs: extra.durationMs ?? null,
    });
  const [user] = await db.select({ email: users.email, phone: users.phone, status: users.status }).from(users).where(eq(users.id, p.userId));
  const address = p.channel === 'email' ? user?.email : user?.phone;
  const transport = p.channel === 'email' ? settings.email : settings.sms;
  if (user?.status !== 'active' || !address || !transport) {
    const why =
      user?.status !== 'active'
        ? 'the account is gone or disabled'
        : !transport
          ? `the ${p.channel} channel is no longer configured`
          : `no ${p.channel === 'email' ? 'e-mail address' : 'phone number'} on the account`;
    await record('skipped', { error: why });
    return;
  }
  const message = renderNotification(p.kind, p.params, { publicUrl: settings.publicUrl });
  const started = Date.now();
  try {
    const providerRef =
      p.channel === 'email' && settings.email
        ? await sendEmail(settings.email, address, message, settings.timeoutMs)
        : settings.sms
          ? await sendSms(settings.sms, address, message, { timeoutMs: settings.timeoutMs, requestId: job.id })
          : null;
    await record('sent', { recipient: maskAddress(address), providerRef, durationMs: Date.now() - started });
  } catch (error) {
    const permanent = error instanceof PermanentDeliveryError;
    const last = permanent || job.attempts >= job.maxAttempts;
    const reason = (error as Error).message || String(error);
    await record(last ? 'gave_up' : 'failed', { recipient: maskAddress(address), error: reason, durationMs: Date.now() - started });
    // a PermanentDeliveryError makes the queue fail the job at once; anything else is retried with backoff
    throw error;
  }
}

/** The worker's handler for notification deliveries; registered whether or not a channel is configured, so queued jobs always drain. */
export function notificationJobHandlers(settings: NotificationSettings): Record<string, JobHandler> {
  return { [NOTIFICATION_DELIVER_JOB]: (job, { db }) => deliverNotification(db, settings, job) };
}
