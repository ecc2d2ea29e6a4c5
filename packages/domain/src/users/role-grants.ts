import { type RoleGrantInput, scopedRoles } from '@hts/contracts';
import { type Db, geoUnits, userRoleScopes, userRoles } from '@hts/db';
import { eq, inArray } from 'drizzle-orm';
import { DomainError, fieldError } from '../shared/errors.ts';

/** Checks role grants and resolves their scope codes to geographic unit ids. */
export async function resolveRoleGrants(db: Db, grants: RoleGrantInput[], field: string): Promise<Array<{ role: RoleGrantInput['role']; geoIds: string[] }>> {
  const seen = new Set<string>();
  const codes = [...new Set(grants.flatMap((g) => g.scopeCodes ?? []))];
  const units = codes.length
    ? await db.select({ id: geoUnits.id, code: geoUnits.code, type: geoUnits.type }).from(geoUnits).where(inArray(geoUnits.code, codes))
    : [];
  const byCode = new Map(units.map((u) => [u.code, u]));
  return grants.map((grant, i) => {
    const at = `${field}/${i}`;
    if (seen.has(grant.role)) throw fieldError('validation_failed', `${at}/role`, `role ${grant.role} is listed twice`);
    seen.add(grant.role);
    const scopeCodes = grant.scopeCodes ?? [];
    if (scopedRoles.includes(grant.role) && scopeCodes.length === 0) {
      throw fieldError('validation_failed', `${at}/scopeCodes`, `role ${grant.role} needs at least one commune code, or the province code for all`);
    }
    if (!scopedRoles.includes(grant.role) && scopeCodes.length > 0) {
      throw fieldError('validation_failed', `${at}/scopeCodes`, `role ${grant.role} does not take a scope`);
    }
    const geoIds = scopeCodes.map((code, j) => {
      const unit = byCode.get(code);
      if (!unit) throw fieldError('not_found', `${at}/scopeCodes/${j}`, `no province, commune or ward has the code ${code}`);
      if (unit.type !== 'province' && unit.type !== 'commune' && unit.type !== 'ward') {
        throw fieldError('validation_failed', `${at}/scopeCodes/${j}`, 'a scope must be the province or a commune/ward');
      }
      return unit.id;
    });
    return { role: grant.role, geoIds: [...new Set(geoIds)] };
  });
}

export async function writeRoleGrants(
  tx: Pick<Db, 'insert' | 'delete'>,
  userId: string,
  grants: Array<{ role: RoleGrantInput['role']; geoIds: string[] }>,
  grantedBy: string | null,
): Promise<void> {
  await tx.delete(userRoles).where(eq(userRoles.userId, userId));
  for (const grant of grants) {
    const [row] = await tx.insert(userRoles).values({ userId, role: grant.role, grantedBy }).returning({ id: userRoles.id });
    if (!row) throw new DomainError('internal', 'role insert returned nothing');
    if (grant.geoIds.length) await tx.insert(userRoleScopes).values(grant.geoIds.map((geoUnitId) => ({ userRoleId: row.id, geoUnitId })));
  }
}
