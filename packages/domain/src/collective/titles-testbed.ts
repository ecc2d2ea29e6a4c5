import { defaultContentDir, loadContent } from '@hts/content';
import type { CollectiveRuleDoc } from '@hts/contracts';
import { type DatabaseHandle, type Db, geoUnits, seedGeography, seedTargetGroups, users } from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { eq } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { seedCriteria } from '../criteria/seed-criteria.ts';
import { type IndicatorFixture, seedIndicatorFixture } from '../indicators/fixture.ts';
import { seedIndicatorDefinitions } from '../indicators/seed-indicator-definitions.ts';
import type { Clock } from '../shared/deps.ts';

/**
 * A database for the title use-case tests (never imported by production code): geography, target groups,
 * criteria, indicator definitions and the indicator fixture commune (people, households, clan, units, 2025 titles),
 * plus officer and branch actors of that commune and an officer of another.
 */
export interface TitlesTestbed {
  handle: DatabaseHandle;
  db: Db;
  clock: Clock;
  collectiveRules: CollectiveRuleDoc[];
  fixture: IndicatorFixture;
  officer: Actor;
  branch: Actor;
  officerElsewhere: Actor;
}

async function staffUser(db: Db, email: string, fullName: string): Promise<string> {
  const [u] = await db.insert(users).values({ fullName, email, passwordHash: 'x' }).returning({ id: users.id });
  if (!u) throw new Error('no user');
  return u.id;
}

export async function openTitlesTestbed(): Promise<TitlesTestbed> {
  const handle = await openTestDatabase(process.env.TEST_DATABASE_URL);
  const { db } = handle;
  const content = await loadContent(defaultContentDir);
  await seedGeography(db, content.province);
  await seedTargetGroups(db, content.targetGroups);
  await seedCriteria(
    db,
    content.criteria.map((c) => c.doc),
  );
  await seedIndicatorDefinitions(db, content.indicators);
  const fixture = await seedIndicatorFixture(db, '07627');
  const [other] = await db.select({ id: geoUnits.id }).from(geoUnits).where(eq(geoUnits.code, '07615'));
  const scoped = (userId: string, role: 'officer' | 'branch', communeId: string): Actor => ({
    userId,
    roles: new Set([role]),
    scopes: new Map([[role, new Set([communeId])]]),
  });
  return {
    handle,
    db,
    clock: { now: () => new Date('2026-03-02T08:00:00Z') },
    collectiveRules: content.collectiveRules.map((r) => r.doc),
    fixture,
    officer: scoped(await staffUser(db, 'officer@testbed.example.vn', 'Cán bộ xã Thử Nghiệm'), 'officer', fixture.communeId),
    branch: scoped(await staffUser(db, 'branch@testbed.example.vn', 'Chi hội Thử Nghiệm'), 'branch', fixture.communeId),
    officerElsewhere: scoped(await staffUser(db, 'officer2@testbed.example.vn', 'Cán bộ xã Khác'), 'officer', other?.id as string),
  };
}
