import type { NotificationList } from '@hts/contracts';
import { notifications } from '@hts/db';
import { and, count, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import type { CriteriaDeps } from './criteria-deps.ts';

/** The caller's 30 latest notifications and the number unread. */
export async function listNotifications(deps: Pick<CriteriaDeps, 'db'>, actor: Actor): Promise<NotificationList> {
  const rows = await deps.db.select().from(notifications).where(eq(notifications.userId, actor.userId)).orderBy(desc(notifications.createdAt)).limit(30);
  const [unread] = await deps.db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, actor.userId), isNull(notifications.readAt)));
  return {
    items: rows.map((r) => ({ id: r.id, kind: r.kind, params: r.params, readAt: r.readAt?.toISOString() ?? null, createdAt: r.createdAt.toISOString() })),
    unread: Number(unread?.n ?? 0),
  };
}

/** Marks the caller's given notifications (all when none are given) as read; others' ids are ignored. */
export async function markNotificationsRead(deps: Pick<CriteriaDeps, 'db' | 'clock'>, actor: Actor, ids?: string[]): Promise<void> {
  const mine = and(eq(notifications.userId, actor.userId), isNull(notifications.readAt));
  await deps.db
    .update(notifications)
    .set({ readAt: deps.clock.now() })
    .where(ids ? and(mine, inArray(notifications.id, ids.length ? ids : ['00000000-0000-0000-0000-000000000000'])) : mine);
}
