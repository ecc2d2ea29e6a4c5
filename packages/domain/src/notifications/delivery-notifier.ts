import { jobs } from '@hts/db';
import { inAppNotifier, type Notifier } from '../criteria/notifier.ts';
import { configuredChannels, type NotificationSettings } from './notification-settings.ts';

export const NOTIFICATION_DELIVER_JOB = 'notification.deliver';

export interface DeliveryPayload {
  channel: 'email' | 'sms';
  userId: string;
  kind: string;
  params: Record<string, string | number | null>;
}

/**
 * The notifier the configuration asks for: in-app always, plus one `notification.deliver` job per configured
 * channel (e-mail, SMS), queued in the caller's transaction. Sending happens later in the worker, so a slow or
 * failing gateway never holds up the review or approval that caused the notice, and a step that rolls back
 * sends nothing. With no channel configured this is the in-app notifier itself (the embedded default).
 */
export function notifierFor(settings: NotificationSettings): Notifier {
  const channels = configuredChannels(settings);
  if (channels.length === 0) return inAppNotifier;
  return {
    async notify(tx, message) {
      await inAppNotifier.notify(tx, message);
      await tx.insert(jobs).values(
        channels.map((channel) => ({
          kind: NOTIFICATION_DELIVER_JOB,
          payload: { channel, userId: message.userId, kind: message.kind, params: message.params } satisfies DeliveryPayload,
          maxAttempts: settings.maxAttempts,
        })),
      );
    },
  };
}
