import type { ListUsersQuery, UserList } from '@hts/contracts';
import { type Db, userRoles, users } from '@hts/db';
import { and, count, desc, eq, exists, ilike, or, type SQL } from 'drizzle-orm';
import { type Actor, requireRole } from '../access/actor.ts';
import { loadUserViews } from './user-view.ts';

export async function listUsers(deps: { db: Db }, actor: Actor, query: ListUsersQuery): Promise<UserList> {
  requireRole(actor, ['admin']);
  const { db } = deps;
  const filters: SQL[] = [];
  const q = query.q?.trim().normalize('NFC');
  if (q) {
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    filters.push(or(ilike(users.fullName, like), ilike(users.email, like), ilike(users.phone, like)) as SQL);
  }
  if (query.role) {
    filters.push(
      exists(
        db
          .select({ one: userRoles.id })
          .from(userRoles)
          .where(and(eq(userRoles.userId, users.id), eq(userRoles.role, query.role))),
      ),
    );
  }
  const where = filters.length ? and(...filters) : undefined;
  const [total] = await db.select({ n: count() }).from(users).where(where);
  const page = await db
    .select({ id: users.id })
    .from(users)
    .where(where)
    .orderBy(desc(users.createdAt), users.id)
    .limit(query.limit ?? 50)
    .offset(query.offset ?? 0);
  const views = await loadUserViews(
    db,
    page.map((p) => p.id),
  );
  return { items: page.map((p) => views.get(p.id)).filter((v) => v !== undefined), total: Number(total?.n ?? 0) };
}
