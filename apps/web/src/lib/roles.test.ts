import type { Me, Role } from '@hts/contracts';
import { describe, expect, it } from 'vitest';
import { navItems, rolesOf } from './roles.ts';

const user = (...roles: Role[]): Pick<Me, 'roles'> => ({ roles: roles.map((role) => ({ role, scope: [] })) });
const hrefs = (u: Pick<Me, 'roles'> | null) => navItems(u).map((i) => i.href);

describe('navigation by role', () => {
  it('offers sign in and sign up to anonymous visitors', () => {
    expect(hrefs(null)).toEqual(['/', '/indicators', '/login', '/register']);
  });

  it('shows the admin page to admins only', () => {
    expect(hrefs(user('admin'))).toEqual([
      '/',
      '/officer/indicators',
      '/officer/registry',
      '/officer/collectives',
      '/officer/khuyen-hoc',
      '/admin/users',
      '/profile',
    ]);
    for (const role of ['citizen', 'trainer', 'branch', 'officer'] as const) expect(hrefs(user(role))).not.toContain('/admin/users');
  });

  it('shows the self-assessment to citizens and the review list to branches and officers', () => {
    expect(hrefs(user('citizen'))).toContain('/self-assessment');
    expect(hrefs(user('branch'))).toContain('/reviews');
    expect(hrefs(user('officer'))).toContain('/reviews');
    expect(hrefs(user('trainer'))).not.toContain('/reviews');
    expect(hrefs(user('trainer'))).not.toContain('/self-assessment');
  });

  it('shows the registry to officers and admins only', () => {
    expect(hrefs(user('officer'))).toEqual([
      '/',
      '/reviews',
      '/officer/indicators',
      '/officer/registry',
      '/officer/collectives',
      '/officer/khuyen-hoc',
      '/profile',
    ]);
    expect(hrefs(user('branch'))).toEqual(['/', '/reviews', '/officer/khuyen-hoc', '/profile']);
    for (const role of ['citizen', 'trainer', 'branch'] as const) expect(hrefs(user(role))).not.toContain('/officer/registry');
  });

  it('shows the courses to learners and trainers', () => {
    expect(hrefs(user('citizen'))).toEqual(['/', '/courses', '/self-assessment', '/collectives', '/profile']);
    expect(hrefs(user('trainer'))).toContain('/courses');
    expect(hrefs(user('officer'))).not.toContain('/courses');
    expect(hrefs(user('officer'))).toContain('/officer/indicators');
  });

  it('shows the lesson videos page to trainers only', () => {
    expect(hrefs(user('trainer'))).toContain('/trainer/media');
    expect(hrefs(user('citizen'))).not.toContain('/trainer/media');
  });

  it('shows the indicators dashboard to officers and admins, and the public results to visitors', () => {
    expect(hrefs(user('officer'))).toContain('/officer/indicators');
    expect(hrefs(user('citizen'))).not.toContain('/officer/indicators');
    expect(hrefs(null)).toContain('/indicators');
  });

  it('orders role sections admin first, learner last', () => {
    expect(rolesOf(user('citizen', 'officer', 'admin'))).toEqual(['admin', 'officer', 'citizen']);
  });
});
