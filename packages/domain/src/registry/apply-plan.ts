import {
  type Db,
  geoUnits,
  khuyenHocBranches,
  khuyenHocMembers,
  registryClans,
  registryCommunities,
  registryHouseholds,
  registryMemberships,
  registryPeople,
  registryUnits,
} from '@hts/db';
import { eq, inArray } from 'drizzle-orm';
import type { ImportPlan } from './plan-import.ts';

const CHUNK = 1000;

/** Multi-row inserts of at most CHUNK rows each (PostgreSQL takes at most 65535 parameters a statement). */
async function insertChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/**
 * Writes a plan that has no errors. Run it inside the transaction the plan was made in, so what was
 * checked is what is written. Rows whose action is 'unchanged' are not touched at all.
 */
export async function applyPlan(db: Db, plan: ImportPlan, now: Date, today: string): Promise<void> {
  if (plan.errors.length > 0) throw new Error('a plan with errors cannot be applied');

  const newUnits = plan.villages.flatMap((v) => (v.geoUnit ? [v.geoUnit] : []));
  await insertChunks(newUnits, (chunk) => db.insert(geoUnits).values(chunk.map((g) => ({ ...g, source: 'registry import' }))));
  const newCommunities = plan.villages.flatMap((v) => (v.community ? [v.community] : []));
  await insertChunks(newCommunities, (chunk) => db.insert(registryCommunities).values(chunk));

  const created = plan.people.filter((p) => p.action === 'create');
  await insertChunks(created, (chunk) => db.insert(registryPeople).values(chunk.map((p) => ({ id: p.id, ...p.values, source: 'import' as const }))));
  for (const p of plan.people) {
    if (p.action === 'update')
      await db
        .update(registryPeople)
        .set({ ...p.values, updatedAt: now })
        .where(eq(registryPeople.id, p.id));
  }

  for (const c of plan.collectives) {
    if (c.action === 'unchanged') continue;
    if (c.table === 'household') {
      if (c.action === 'create') await db.insert(registryHouseholds).values({ id: c.id, ...c.values });
      else
        await db
          .update(registryHouseholds)
          .set({ ...c.values, updatedAt: now })
          .where(eq(registryHouseholds.id, c.id));
    } else if (c.table === 'clan') {
      if (c.action === 'create') await db.insert(registryClans).values({ id: c.id, ...c.values });
      else
        await db
          .update(registryClans)
          .set({ ...c.values, updatedAt: now })
          .where(eq(registryClans.id, c.id));
    } else if (c.table === 'unit') {
      if (c.action === 'create') await db.insert(registryUnits).values({ id: c.id, ...c.values });
      else
        await db
          .update(registryUnits)
          .set({ ...c.values, updatedAt: now })
          .where(eq(registryUnits.id, c.id));
    } else if (c.action === 'create') {
      await db.insert(khuyenHocBranches).values({ id: c.id, ...c.values });
    }
  }

  // Ends first: a person moving from one community or household to another frees the unique "current" slot.
  const ended = plan.memberships.flatMap((m) => (m.action === 'end' ? [m.id] : []));
  for (let i = 0; i < ended.length; i += CHUNK) {
    await db
      .update(registryMemberships)
      .set({ validTo: today, updatedAt: now })
      .where(inArray(registryMemberships.id, ended.slice(i, i + CHUNK)));
  }
  const createdMemberships = plan.memberships.flatMap((m) => (m.action === 'create' ? [m] : []));
  await insertChunks(createdMemberships, (chunk) =>
    db.insert(registryMemberships).values(
      chunk.map((m) => ({
        id: m.id,
        personId: m.personId,
        kind: m.kind,
        householdId: m.kind === 'household' ? m.collectiveId : null,
        clanId: m.kind === 'clan' ? m.collectiveId : null,
        communityId: m.kind === 'community' ? m.collectiveId : null,
        unitId: m.kind === 'unit' ? m.collectiveId : null,
        role: m.role,
        validFrom: today,
      })),
    ),
  );
  for (const m of plan.memberships) {
    if (m.action === 'update') await db.update(registryMemberships).set({ role: m.role, updatedAt: now }).where(eq(registryMemberships.id, m.id));
  }

  const khCreated = plan.khMembers.filter((m) => m.action === 'create');
  await insertChunks(khCreated, (chunk) => db.insert(khuyenHocMembers).values(chunk.map((m) => ({ id: m.id, ...m.values }))));
  for (const m of plan.khMembers) {
    if (m.action === 'update')
      await db
        .update(khuyenHocMembers)
        .set({ ...m.values, updatedAt: now })
        .where(eq(khuyenHocMembers.id, m.id));
  }
}
