import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from './client.ts';
import { collectiveTitleAwards, geoUnits, registryHouseholds, registryMemberships, registryPeople } from './schema/index.ts';
import { openTestDatabase } from './testing.ts';

let handle: DatabaseHandle;
let communeId: string;
beforeAll(async () => {
  handle = await openTestDatabase(process.env.TEST_DATABASE_URL);
  const [c] = await handle.db.insert(geoUnits).values({ code: '99001', name: 'Xã Thử', type: 'commune' }).returning({ id: geoUnits.id });
  if (!c) throw new Error('no commune');
  communeId = c.id;
});
afterAll(async () => handle?.close());

const person = (matchKey: string, extra: Partial<typeof registryPeople.$inferInsert> = {}) => ({
  fullName: 'Nguyễn Văn A',
  nameKey: 'nguyen van a',
  communeId,
  matchKey,
  ...extra,
});

describe('registry tables', () => {
  it('refuses a second person with the same ID number hash but allows many without one', async () => {
    await handle.db.insert(registryPeople).values([person('p:1'), person('p:2'), person('id:h1', { idNumberHash: 'h1' })]);
    await expect(handle.db.insert(registryPeople).values(person('id:h1-again', { idNumberHash: 'h1' }))).rejects.toThrow();
  });

  it('refuses an impossible birth year', async () => {
    await expect(handle.db.insert(registryPeople).values(person('p:old', { birthYear: 1800 }))).rejects.toThrow();
  });

  it('refuses a membership whose subject column does not match its kind', async () => {
    const [p] = await handle.db.insert(registryPeople).values(person('p:m')).returning({ id: registryPeople.id });
    const [h] = await handle.db.insert(registryHouseholds).values({ communeId, name: 'Hộ ông A' }).returning({ id: registryHouseholds.id });
    if (!p || !h) throw new Error('insert returned nothing');
    await expect(handle.db.insert(registryMemberships).values({ personId: p.id, kind: 'clan', householdId: h.id })).rejects.toThrow();
    await handle.db.insert(registryMemberships).values({ personId: p.id, kind: 'household', householdId: h.id, role: 'head' });
    // a second current membership of the same household is refused; an ended one is history and allowed
    await expect(handle.db.insert(registryMemberships).values({ personId: p.id, kind: 'household', householdId: h.id })).rejects.toThrow();
    await handle.db
      .insert(registryMemberships)
      .values({ personId: p.id, kind: 'household', householdId: h.id, validFrom: '2020-01-01', validTo: '2021-01-01' });
  });

  it('keeps one unrevoked collective award per subject, title and year', async () => {
    const [h] = await handle.db.insert(registryHouseholds).values({ communeId, name: 'Hộ bà B' }).returning({ id: registryHouseholds.id });
    if (!h) throw new Error('insert returned nothing');
    const award = {
      subjectKind: 'household' as const,
      householdId: h.id,
      communeId,
      year: 2026,
      title: 'gia-dinh-hoc-tap',
      ruleVersion: 'gia-dinh-hoc-tap@1',
      decisionNumber: '12/QĐ-UBND',
      decisionDate: '2026-11-20',
    };
    await handle.db.insert(collectiveTitleAwards).values(award);
    await expect(handle.db.insert(collectiveTitleAwards).values(award)).rejects.toThrow();
    await expect(handle.db.insert(collectiveTitleAwards).values({ ...award, year: 2025, subjectKind: 'unit' })).rejects.toThrow();
    await handle.db.insert(collectiveTitleAwards).values({ ...award, revokedAt: new Date(), revokedReason: 'nhầm quyết định' });
  });
});
