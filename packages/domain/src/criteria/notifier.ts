import { type Db, notifications } from '@hts/db';

export type NotificationKind =
  | 'assessment.submitted'
  | 'assessment.confirmed'
  | 'assessment.returned'
  | 'title.awarded'
  | 'title.revoked'
  | 'digital_skill.confirmed'
  | 'collective_title.awarded'
  | 'collective_title.revoked';

export interface NotificationMessage {
  userId: string;
  kind: NotificationKind;
  params: Record<string, string | number | null>;
}

/**
 * Tells a person that something happened to them. Called inside the transaction that made it happen, so a
 * notice is never sent for a step that rolled back. The in-app notifier is the one in use; an e-mail or SMS
 * notifier implements the same interface (and should queue a job in `tx` rather than send from inside it).
 */
export interface Notifier {
  notify(tx: Pick<Db, 'insert'>, message: NotificationMessage): Promise<void>;
}

/** Writes the notice to the notifications table, shown in the web header and on the profile. */
export const inAppNotifier: Notifier = {
  async notify(tx, message) {
    await tx.insert(notifications).values({ userId: message.userId, kind: message.kind, params: message.params });
  },
};

/** Sends to every notifier, in order (e.g. in-app, then an SMS adapter). */
export function combinedNotifier(...notifiers: Notifier[]): Notifier {
  return {
    async notify(tx, message) {
      for (const n of notifiers) await n.notify(tx, message);
    },
  };
}
