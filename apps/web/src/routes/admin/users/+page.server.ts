import { ApiError } from '@hts/api-client';
import type { CreateUserBody, Role, RoleGrantInput } from '@hts/contracts';
import { error, fail, redirect } from '@sveltejs/kit';
import { parseContact } from '$lib/contact.ts';
import type { Message } from '$lib/i18n/index.ts';
import { loginUrlFor } from '$lib/next.ts';
import { isRole, scopedRoleNames } from '$lib/roles.ts';
import { formString, mapApiError } from '$lib/server/forms.ts';
import { requireRole } from '$lib/server/guards.ts';
import { getCommunes } from '$lib/server/reference.ts';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 20;

type CreateField = 'fullName' | 'contact' | 'password' | 'role' | 'scope';
type RolesField = 'roles' | 'scope';

function positiveInt(value: string | null, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

function failOnAuth(err: unknown, url: URL): void {
  if (err instanceof ApiError && err.status === 401) redirect(303, loginUrlFor(url));
  if (err instanceof ApiError && err.status === 403) error(403, 'Forbidden');
}

export const load: PageServerLoad = async ({ locals, url }) => {
  const { token } = requireRole(locals, url, 'admin');
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 100);
  const roleParam = url.searchParams.get('role') ?? '';
  const role = isRole(roleParam) ? roleParam : undefined;
  const page = positiveInt(url.searchParams.get('page'), 1);
  const edit = url.searchParams.get('edit') ?? '';
  try {
    const [list, communes] = await Promise.all([
      locals.api.call('adminListUsers', {
        token,
        query: { q: q || undefined, role, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
      }),
      getCommunes(locals.api),
    ]);
    return {
      q,
      role: role ?? '',
      page,
      pages: Math.max(1, Math.ceil(list.total / PAGE_SIZE)),
      total: list.total,
      users: list.items,
      edit,
      province: communes.province,
      communes: communes.items,
    };
  } catch (err) {
    failOnAuth(err, url);
    console.error('admin users: loading failed:', err instanceof Error ? err.message : err);
    error(503, 'Unavailable');
  }
};

/** One role with the scope chosen in the form; scopes only go with the roles that need them. */
function grant(role: Role, scope: string): RoleGrantInput {
  return scopedRoleNames.includes(role) && scope ? { role, scopeCodes: [scope] } : { role };
}

export const actions: Actions = {
  create: async ({ request, locals, url }) => {
    const { token } = requireRole(locals, url, 'admin');
    const data = await request.formData();
    const values = {
      fullName: formString(data, 'fullName').trim().replace(/\s+/g, ' ').normalize('NFC'),
      contact: formString(data, 'contact').trim(),
      role: formString(data, 'role'),
      scope: formString(data, 'scope'),
    };
    const password = formString(data, 'password');
    const errors: Partial<Record<CreateField, Message>> = {};
    if (values.fullName.length < 2) errors.fullName = { key: 'err.fullName' };
    const contact = parseContact(values.contact);
    if (!contact.ok) errors.contact = { key: contact.error === 'contact' ? 'err.contact' : contact.error === 'email' ? 'err.email' : 'err.phone' };
    if (password.length < 8) errors.password = { key: 'err.password' };
    const role = isRole(values.role) ? values.role : null;
    if (!role) errors.role = { key: 'err.roles' };
    else if (scopedRoleNames.includes(role) && !values.scope) errors.scope = { key: 'err.scopeRequired' };
    if (values.scope && !/^[0-9]{2,5}$/.test(values.scope)) errors.scope = { key: 'err.scope' };
    if (Object.keys(errors).length > 0 || !contact.ok || !role) {
      return fail(400, { action: 'create' as const, message: { key: 'err.fixBelow' } as Message, errors, values });
    }
    const body: CreateUserBody = { ...contact.contact, fullName: values.fullName, password, roles: [grant(role, values.scope)] };
    try {
      const user = await locals.api.call('adminCreateUser', { token, body });
      return { action: 'create' as const, done: { key: 'admin.users.created', params: { name: user.fullName } } as Message };
    } catch (err) {
      failOnAuth(err, url);
      const mapped = mapApiError<CreateField>(err, {
        fields: { fullName: 'fullName', email: 'contact', phone: 'contact', password: 'password', roles: 'role', scopeCodes: 'scope' },
        fieldMessages: {
          fullName: 'err.fullName',
          contact: 'email' in contact.contact ? 'err.email' : 'err.phone',
          password: 'err.password',
          role: 'err.roles',
          scope: 'err.scope',
        },
        conflicts: { email: 'err.emailTaken', phone: 'err.phoneTaken' },
      });
      return fail(mapped.status, { action: 'create' as const, message: mapped.message, errors: mapped.errors, values });
    }
  },

  setRoles: async ({ request, locals, url }) => {
    const { token } = requireRole(locals, url, 'admin');
    const data = await request.formData();
    const userId = formString(data, 'userId');
    const scope = formString(data, 'scope');
    const roles = data.getAll('roles').filter((r): r is Role => typeof r === 'string' && isRole(r));
    const errors: Partial<Record<RolesField, Message>> = {};
    if (roles.length === 0) errors.roles = { key: 'err.roles' };
    if (roles.some((r) => scopedRoleNames.includes(r)) && !scope) errors.scope = { key: 'err.scopeRequired' };
    if (scope && !/^[0-9]{2,5}$/.test(scope)) errors.scope = { key: 'err.scope' };
    if (Object.keys(errors).length > 0) {
      return fail(400, { action: 'setRoles' as const, userId, message: { key: 'err.fixBelow' } as Message, errors });
    }
    try {
      const user = await locals.api.call('adminSetRoles', { token, params: { id: userId }, body: { roles: roles.map((r) => grant(r, scope)) } });
      return { action: 'setRoles' as const, userId, done: { key: 'admin.users.rolesSaved', params: { name: user.fullName } } as Message };
    } catch (err) {
      failOnAuth(err, url);
      const mapped = mapApiError<RolesField>(err, {
        fields: { roles: 'roles', scopeCodes: 'scope' },
        fieldMessages: { roles: 'err.roles', scope: 'err.scope' },
      });
      return fail(mapped.status, { action: 'setRoles' as const, userId, message: mapped.message, errors: mapped.errors });
    }
  },
};
