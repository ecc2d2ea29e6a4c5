import type { Role } from '@hts/contracts';
import { type Db, geoUnits, targetGroups, users } from '@hts/db';
import { eq } from 'drizzle-orm';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { writeRoleGrants } from './role-grants.ts';

export const demoAccounts: ReadonlyArray<{ email: string; role: Role; fullName: string; scope: 'province' | 'commune' | null }> = [
  { email: 'admin@demo.local', role: 'admin', fullName: 'Quản trị viên Demo', scope: null },
  { email: 'trainer@demo.local', role: 'trainer', fullName: 'Giảng viên Lê Thị Hoa', scope: null },
  { email: 'branch@demo.local', role: 'branch', fullName: 'Chi hội Khuyến học Đại Sơn', scope: 'commune' },
  { email: 'officer@demo.local', role: 'officer', fullName: 'Cán bộ xã Nguyễn Văn Đức', scope: 'commune' },
  { email: 'citizen@demo.local', role: 'citizen', fullName: 'Trần Thị Mai', scope: null },
];

/**
 * One account per role for trying the platform. Creates missing ones and resets their password to the
 * one in force, so the password printed at start always works. The caller never runs this in production.
 */
export async function ensureDemoAccounts(db: Db, password: string): Promise<void> {
  const [commune] = await db.select({ id: geoUnits.id }).from(geoUnits).where(eq(geoUnits.code, '07627'));
  const [province] = await db.select({ id: geoUnits.id }).from(geoUnits).where(eq(geoUnits.type, 'province')).limit(1);
  const [group] = await db.select({ id: targetGroups.id }).from(targetGroups).where(eq(targetGroups.code, 'nong-dan'));
  let passwordHash: string | undefined;
  for (const account of demoAccounts) {
    const [existing] = await db.select({ id: users.id, passwordHash: users.passwordHash }).from(users).where(eq(users.email, account.email));
    if (existing && (await verifyPassword(existing.passwordHash, password))) continue;
    passwordHash ??= await hashPassword(password);
    if (existing) {
      await db.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, existing.id));
      continue;
    }
    const scopeId = account.scope === 'commune' ? commune?.id : account.scope === 'province' ? province?.id : undefined;
    await db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({
          email: account.email,
          fullName: account.fullName,
          birthYear: 1985,
          communeId: commune?.id ?? null,
          targetGroupId: account.role === 'citizen' ? (group?.id ?? null) : null,
          passwordHash: passwordHash as string,
        })
        .returning({ id: users.id });
      if (!user) throw new Error('demo user insert returned nothing');
      await writeRoleGrants(tx, user.id, [{ role: account.role, geoIds: scopeId ? [scopeId] : [] }], null);
    });
  }
}
