import type { Me, RoleGrant } from '@hts/contracts';
import { type Db, geoUnits, targetGroups, userRoleScopes, userRoles, users } from '@hts/db';
import { eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { DomainError } from '../shared/errors.ts';

/** The public view of users (no password hash), with their commune, target group, roles and scopes. */
export async function loadUserViews(db: Db, userIds: string[]): Promise<Map<string, Me>> {
  const out = new Map<string, Me>();
  if (userIds.length === 0) return out;
  const commune = alias(geoUnits, 'commune');
  const rows = await db
    .select({
      id: users.id,
      fullName: users.fullName,
      email: users.email,
      phone: users.phone,
      birthYear: users.birthYear,
      createdAt: users.createdAt,
      communeCode: commune.code,
      communeName: commune.name,
      communeType: commune.type,
      groupCode: targetGroups.code,
      groupName: targetGroups.nameVi,
    })
    .from(users)
    .leftJoin(commune, eq(commune.id, users.communeId))
    .leftJoin(targetGroups, eq(targetGroups.id, users.targetGroupId))
    .where(inArray(users.id, userIds));
  const grants = await loadRoleGrants(db, userIds);
  for (const r of rows) {
    out.set(r.id, {
      id: r.id,
      fullName: r.fullName,
      email: r.email,
      phone: r.phone,
      birthYear: r.birthYear,
      commune: r.communeCode ? { code: r.communeCode, name: r.communeName ?? '', type: r.communeType ?? '' } : null,
      targetGroup: r.groupCode ? { code: r.groupCode, name: r.groupName ?? '' } : null,
      roles: grants.get(r.id) ?? [],
      createdAt: r.createdAt.toISOString(),
    });
  }
  return out;
}

export async function loadUserView(db: Db, userId: string): Promise<Me> {
  const view = (await loadUserViews(db, [userId])).get(userId);
  if (!view) throw new DomainError('not_found', 'user not found');
  return view;
}

async function loadRoleGrants(db: Db, userIds: string[]): Promise<Map<string, RoleGrant[]>> {
  const rows = await db
    .select({ userId: userRoles.userId, role: userRoles.role, code: geoUnits.code, name: geoUnits.name, type: geoUnits.type })
    .from(userRoles)
    .leftJoin(userRoleScopes, eq(userRoleScopes.userRoleId, userRoles.id))
    .leftJoin(geoUnits, eq(geoUnits.id, userRoleScopes.geoUnitId))
    .where(inArray(userRoles.userId, userIds))
    .orderBy(userRoles.role, geoUnits.code);
  const byUser = new Map<string, RoleGrant[]>();
  for (const r of rows) {
    const list = byUser.get(r.userId) ?? [];
    let grant = list.find((g) => g.role === r.role);
    if (!grant) {
      grant = { role: r.role, scope: [] };
      list.push(grant);
    }
    if (r.code) grant.scope.push({ code: r.code, name: r.name ?? '', type: r.type ?? '' });
    byUser.set(r.userId, list);
  }
  return byUser;
}
