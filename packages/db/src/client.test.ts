import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from './client.ts';
import { queryRows } from './client.ts';
import { auditLog, geoUnits, targetGroups, users } from './schema/index.ts';
import { seedGeography, seedTargetGroups } from './seed.ts';
import { openTestDatabase } from './testing.ts';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase(process.env.TEST_DATABASE_URL);
});
afterAll(async () => handle?.close());

const province = {
  code: '24',
  name: 'Bắc Ninh',
  source: 'test',
  communes: [
    { code: '07627', name: 'Đại Sơn', type: 'commune' as const, areaKm2: 76.38, population: 12153, formedFrom: 'Xã Giáo Liêm', source: 'test' },
    { code: '09187', name: 'Kinh Bắc', type: 'ward' as const, areaKm2: null, population: null, formedFrom: null, source: 'test' },
  ],
};

describe('database', () => {
  it('runs every migration and answers a ping', async () => {
    await handle.ping();
    const tables = await queryRows<{ table_name: string }>(
      handle.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining([
        'audit_log',
        'geo_units',
        'idempotency_keys',
        'jobs',
        'refresh_tokens',
        'target_groups',
        'user_role_scopes',
        'user_roles',
        'users',
      ]),
    );
  });

  it('seeds the geography under the province, and seeding again changes nothing', async () => {
    await seedGeography(handle.db, province);
    await seedGeography(handle.db, { ...province, communes: province.communes.map((c) => ({ ...c })) });
    const rows = await handle.db.select().from(geoUnits).orderBy(geoUnits.code);
    expect(rows).toHaveLength(3);
    const prov = rows.find((r) => r.type === 'province');
    expect(rows.filter((r) => r.parentId === prov?.id).map((r) => r.name)).toEqual(['Đại Sơn', 'Kinh Bắc']);
    expect(rows.find((r) => r.code === '07627')?.areaKm2).toBe('76.38');
  });

  it('updates a renamed target group in place on re-seed', async () => {
    await seedTargetGroups(handle.db, [{ code: 'nong-dan', nameVi: 'Nông dân', nameEn: 'Farmers', source: null }]);
    await seedTargetGroups(handle.db, [{ code: 'nong-dan', nameVi: 'Nông dân, lao động nông thôn', nameEn: 'Farmers and rural workers', source: null }]);
    const rows = await handle.db.select().from(targetGroups);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.nameVi).toBe('Nông dân, lao động nông thôn');
  });

  it('keeps the audit log append-only: updates and deletes are refused by the database', async () => {
    await handle.db.insert(auditLog).values({ action: 'test.append', outcome: 'success' });
    await expect(handle.db.update(auditLog).set({ action: 'rewritten' }).where(eq(auditLog.action, 'test.append'))).rejects.toThrow();
    await expect(handle.db.delete(auditLog).where(eq(auditLog.action, 'test.append'))).rejects.toThrow();
    const rows = await handle.db.select().from(auditLog).where(eq(auditLog.action, 'test.append'));
    expect(rows).toHaveLength(1);
  });

  it('refuses two users with the same e-mail but allows many without one', async () => {
    const base = { fullName: 'Người thử', passwordHash: 'x' };
    await handle.db.insert(users).values([{ ...base }, { ...base }, { ...base, email: 'a@b.vn' }]);
    await expect(handle.db.insert(users).values({ ...base, email: 'a@b.vn' })).rejects.toThrow();
  });
});
