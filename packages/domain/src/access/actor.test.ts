import { describe, expect, it } from 'vitest';
import { type Actor, coversCommune, hasAnyRole, requireCommuneScope, requireRole } from './actor.ts';

const officerOf = (communes: string[] | 'all'): Actor => ({
  userId: 'u1',
  roles: new Set(['officer']),
  scopes: new Map([['officer', communes === 'all' ? 'all' : new Set(communes)]]),
});

describe('access checks', () => {
  it('lets a commune officer see only their commune', () => {
    const actor = officerOf(['c1']);
    expect(coversCommune(actor, ['officer'], 'c1')).toBe(true);
    expect(coversCommune(actor, ['officer'], 'c2')).toBe(false);
    expect(() => requireCommuneScope(actor, ['officer'], 'c2')).toThrow(/outside your scope/);
  });

  it('lets a province officer see every commune', () => {
    expect(coversCommune(officerOf('all'), ['officer'], 'any')).toBe(true);
  });

  it('does not let a role cover communes through another role', () => {
    expect(coversCommune(officerOf(['c1']), ['branch'], 'c1')).toBe(false);
  });

  it('refuses a role the actor does not hold with a forbidden error', () => {
    expect(hasAnyRole(officerOf(['c1']), ['admin'])).toBe(false);
    expect(() => requireRole(officerOf(['c1']), ['admin'])).toThrow(expect.objectContaining({ code: 'forbidden' }));
  });
});
