import type { Me, Role } from '@hts/contracts';
import { error, redirect } from '@sveltejs/kit';
import { loginUrlFor } from '../next.ts';
import { hasRole } from '../roles.ts';

/** The signed-in user, or a redirect to the login page that comes back here. */
export function requireUser(locals: App.Locals, url: URL): Me {
  if (!locals.user || !locals.session) redirect(303, loginUrlFor(url));
  return locals.user;
}

/** The signed-in user with `role`; anonymous users go to login, others get a 403 page. */
export function requireRole(locals: App.Locals, url: URL, role: Role): { user: Me; token: string } {
  const user = requireUser(locals, url);
  if (!hasRole(user, role)) error(403, 'Forbidden');
  if (!locals.session) error(401, 'Unauthorized');
  return { user, token: locals.session.accessToken };
}

/** A Hội Khuyến học branch reviewer, a commune officer or an admin; others get a 403 page. */
export function requireReviewer(locals: App.Locals, url: URL): { user: Me; token: string } {
  const user = requireUser(locals, url);
  if (!hasRole(user, 'branch') && !hasRole(user, 'officer') && !hasRole(user, 'admin')) error(403, 'Forbidden');
  if (!locals.session) error(401, 'Unauthorized');
  return { user, token: locals.session.accessToken };
}
