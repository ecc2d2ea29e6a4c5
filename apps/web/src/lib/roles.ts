import type { Me, Role } from '@hts/contracts';
import type { MessageKey } from './i18n/index.ts';

/** The order role sections appear on the home page. */
export const roleOrder: readonly Role[] = ['admin', 'officer', 'branch', 'trainer', 'citizen'];
/** Roles that only make sense with a geographic scope (as in @hts/contracts). */
export const scopedRoleNames: readonly Role[] = ['branch', 'officer'];

export const roleLabel: Record<Role, MessageKey> = {
  citizen: 'role.citizen',
  trainer: 'role.trainer',
  branch: 'role.branch',
  officer: 'role.officer',
  admin: 'role.admin',
};

export function isRole(value: string): value is Role {
  return (roleOrder as readonly string[]).includes(value);
}

export function hasRole(user: Pick<Me, 'roles'> | null | undefined, role: Role): boolean {
  return !!user?.roles.some((r) => r.role === role);
}

export function rolesOf(user: Pick<Me, 'roles'> | null | undefined): Role[] {
  if (!user) return [];
  return roleOrder.filter((role) => hasRole(user, role));
}

export interface NavItem {
  href: string;
  label: MessageKey;
}

/** Only what the user may use: anonymous users get sign in / sign up. */
export function navItems(user: Pick<Me, 'roles'> | null | undefined): NavItem[] {
  if (!user) {
    return [
      { href: '/', label: 'nav.home' },
      { href: '/indicators', label: 'nav.publicIndicators' },
      { href: '/login', label: 'nav.login' },
      { href: '/register', label: 'nav.register' },
    ];
  }
  const items: NavItem[] = [{ href: '/', label: 'nav.home' }];
  if (hasRole(user, 'citizen') || hasRole(user, 'trainer')) items.push({ href: '/courses', label: 'nav.courses' });
  if (hasRole(user, 'citizen')) items.push({ href: '/self-assessment', label: 'nav.selfAssessment' });
  if (hasRole(user, 'branch') || hasRole(user, 'officer')) items.push({ href: '/reviews', label: 'nav.reviews' });
  if (hasRole(user, 'trainer')) items.push({ href: '/trainer/media', label: 'nav.media' });
  const officer = hasRole(user, 'officer') || hasRole(user, 'admin');
  if (officer) items.push({ href: '/officer/indicators', label: 'nav.indicators' });
  if (officer) items.push({ href: '/officer/registry', label: 'nav.registry' }, { href: '/officer/collectives', label: 'nav.collectives' });
  else if (hasRole(user, 'citizen')) items.push({ href: '/collectives', label: 'nav.collectives' });
  if (officer || hasRole(user, 'branch')) items.push({ href: '/officer/khuyen-hoc', label: 'nav.khuyenHoc' });
  if (hasRole(user, 'admin')) items.push({ href: '/admin/users', label: 'nav.admin' });
  items.push({ href: '/profile', label: 'nav.profile' });
  return items;
}
