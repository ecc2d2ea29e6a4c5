import { index, integer, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.ts';
import { users } from './users.ts';

export const notificationChannel = pgEnum('notification_channel', ['email', 'sms']);
/**
 * `failed`: this attempt failed and the job will try again after its backoff; `gave_up`: the last attempt (or a
 * refusal no retry can fix) failed and nothing more will be tried; `skipped`: nothing to send to (no address,
 * channel no longer configured, account disabled).
 */
export const deliveryOutcome = pgEnum('delivery_outcome', ['sent', 'failed', 'gave_up', 'skipped']);

/**
 * One attempt to deliver a notification by e-mail or SMS (the in-app notice is the `notifications` row itself).
 * Written by the `notification.deliver` job, one row per try, so an officer asking "why did she get no SMS?"
 * finds every try with its error. The address is kept masked: the row proves a send, not a contact list.
 */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: id(),
    /** The job that made the attempt; its retries share it. Not a foreign key: jobs are housekeeping rows. */
    jobId: uuid().notNull(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    channel: notificationChannel().notNull(),
    /** The notification kind, e.g. assessment.confirmed. */
    kind: text().notNull(),
    attempt: integer().notNull(),
    outcome: deliveryOutcome().notNull(),
    /** "+84•••••5678", "l•••@example.vn". */
    recipient: text(),
    /** Why it failed or was skipped, as the transport or gateway said it. */
    error: text(),
    /** The message id the SMTP server or the SMS gateway gave back. */
    providerRef: text(),
    durationMs: integer(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.userId, t.createdAt), index().on(t.jobId)],
);

export type NotificationDeliveryRow = typeof notificationDeliveries.$inferSelect;
export type NotificationChannel = (typeof notificationChannel.enumValues)[number];
