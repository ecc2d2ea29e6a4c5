import { auditLog } from '@hts/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, signInAs, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await createTestApp();
  admin = (await signInAs(t.app, 'admin@demo.local')).accessToken;
}, 60_000);
afterAll(async () => t?.close());

const create = (token: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url: '/api/admin/users', payload: payload as object, headers: bearer(token) });
let n = 0;
const staff = (roles: unknown, extra: Record<string, unknown> = {}) => ({
  email: `can.bo.${Date.now()}.${++n}@bacninh.gov.vn`,
  fullName: 'Phạm Văn Hùng',
  password: 'mat-khau-can-bo',
  roles,
  ...extra,
});

describe('admin creates users', () => {
  it('creates a commune officer whose scope is that commune', async () => {
    const res = await create(admin, staff([{ role: 'officer', scopeCodes: ['07627'] }]));
    expect(res.statusCode).toBe(201);
    expect(res.json().roles).toEqual([{ role: 'officer', scope: [{ code: '07627', name: 'Đại Sơn', type: 'commune' }] }]);
  });

  it('creates a province officer with the province as scope', async () => {
    const res = await create(admin, staff([{ role: 'officer', scopeCodes: ['24'] }]));
    expect(res.statusCode).toBe(201);
    expect(res.json().roles[0].scope[0]).toMatchObject({ code: '24', type: 'province' });
  });

  it('refuses an officer without a scope, naming the field', async () => {
    const res = await create(admin, staff([{ role: 'officer' }]));
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('/body/roles/0/scopeCodes');
  });

  it('refuses a scope on a role that takes none', async () => {
    const res = await create(admin, staff([{ role: 'trainer', scopeCodes: ['07627'] }]));
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('/body/roles/0/scopeCodes');
  });

  it('answers 404 naming the scope code that does not exist', async () => {
    const res = await create(admin, staff([{ role: 'branch', scopeCodes: ['07627', '00000'] }]));
    expect(res.statusCode).toBe(404);
    expect(res.json().details[0].field).toBe('/body/roles/0/scopeCodes/1');
  });

  it('refuses an unknown role through the schema', async () => {
    const res = await create(admin, staff([{ role: 'superuser' }]));
    expect(res.statusCode).toBe(400);
    expect(res.json().details.some((d: { field: string }) => d.field.startsWith('/body/roles/0/role'))).toBe(true);
  });

  it('forbids a citizen with 403 and audits the attempt', async () => {
    const citizen = await signInAs(t.app, 'citizen@demo.local');
    const res = await create(citizen.accessToken, staff([{ role: 'admin' }]));
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('forbidden');
    const denied = await t.app.services.db.select().from(auditLog).where(eq(auditLog.action, 'auth.permission_denied'));
    expect(denied.length).toBeGreaterThan(0);
  });

  it('forbids an officer from listing users', async () => {
    const officer = await signInAs(t.app, 'officer@demo.local');
    const res = await t.app.inject({ method: 'GET', url: '/api/admin/users', headers: bearer(officer.accessToken) });
    expect(res.statusCode).toBe(403);
  });
});

describe('admin changes roles', () => {
  it('replaces roles, audits the change with before and after, and the new role works at once', async () => {
    const created = (await create(admin, staff([{ role: 'citizen' }], { password: 'mat-khau-moi-1' }))).json();
    const theirToken = (await signInAs(t.app, created.email, 'mat-khau-moi-1')).accessToken;
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/users', headers: bearer(theirToken) })).statusCode).toBe(403);

    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/admin/users/${created.id}/roles`,
      payload: { roles: [{ role: 'admin' }] },
      headers: bearer(admin),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().roles).toEqual([{ role: 'admin', scope: [] }]);
    const rows = await t.app.services.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'user.roles_change'), eq(auditLog.subjectId, created.id)));
    expect(rows.at(-1)?.details).toMatchObject({ before: [{ role: 'citizen', scopeCodes: [] }], after: [{ role: 'admin' }] });
    // Roles are read per request, so the same access token now passes.
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/users', headers: bearer(theirToken) })).statusCode).toBe(200);
  });

  it('answers 404 for a user id that does not exist and 400 for one that is not a uuid', async () => {
    const missing = await t.app.inject({
      method: 'PUT',
      url: '/api/admin/users/00000000-0000-4000-8000-000000000000/roles',
      payload: { roles: [{ role: 'citizen' }] },
      headers: bearer(admin),
    });
    expect(missing.statusCode).toBe(404);
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/admin/users/not-a-uuid/roles',
      payload: { roles: [{ role: 'citizen' }] },
      headers: bearer(admin),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].field).toBe('/params/id');
  });

  it('does not let an admin remove their own admin role', async () => {
    const me = (await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(admin) })).json();
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/admin/users/${me.id}/roles`,
      payload: { roles: [{ role: 'citizen' }] },
      headers: bearer(admin),
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('admin lists users', () => {
  it('finds users by a part of their name, e-mail or phone and by role', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/admin/users?q=demo.local&role=trainer', headers: bearer(admin) });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((u: { email: string }) => u.email)).toEqual(['trainer@demo.local']);
    expect(res.json().total).toBe(1);
  });

  it('rejects a limit above 100', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/admin/users?limit=1000', headers: bearer(admin) });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('/querystring/limit');
  });
});
