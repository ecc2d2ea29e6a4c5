import type { CollectiveKindName, CollectiveListQuery, CollectiveRuleDoc, CollectiveStatus } from '@hts/contracts';
import {
  collectiveTitleAwards,
  type Db,
  geoUnits,
  personTitleAwards,
  registryClans,
  registryCommunities,
  registryHouseholds,
  registryMemberships,
  registryPeople,
  registryUnits,
} from '@hts/db';
import { and, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import { type Actor, coversCommune } from '../access/actor.ts';
import { DomainError } from '../shared/errors.ts';
import { evaluateCollective, type HouseholdStatus, type MemberStatus, ruleFor } from './evaluate-collective.ts';

export interface CollectiveDeps {
  db: Db;
  clock: { now(): Date };
  /** The collective title rules of content/criteria/collective, loaded on start. */
  collectiveRules: CollectiveRuleDoc[];
}

export interface CollectiveRow {
  id: string;
  name: string;
  communeId: string;
  headPersonId: string | null;
  geoUnitId?: string;
}

const titles: Record<CollectiveKindName, string> = {
  household: 'Gia đình học tập',
  clan: 'Dòng họ học tập',
  community: 'Cộng đồng học tập',
  unit: 'Đơn vị học tập',
};

const membershipColumn = (kind: CollectiveKindName) =>
  kind === 'household'
    ? registryMemberships.householdId
    : kind === 'clan'
      ? registryMemberships.clanId
      : kind === 'community'
        ? registryMemberships.communityId
        : registryMemberships.unitId;

const awardColumn = (kind: CollectiveKindName) =>
  kind === 'household'
    ? collectiveTitleAwards.householdId
    : kind === 'clan'
      ? collectiveTitleAwards.clanId
      : kind === 'community'
        ? collectiveTitleAwards.communityId
        : collectiveTitleAwards.unitId;

export async function loadCollectives(
  db: Pick<Db, 'select'>,
  kind: CollectiveKindName,
  where: { ids?: string[]; communeIds?: string[] },
): Promise<CollectiveRow[]> {
  const filter = (idCol: SQL | unknown, communeCol: unknown) => {
    const parts: SQL[] = [];
    if (where.ids) parts.push(inArray(idCol as typeof registryUnits.id, where.ids));
    if (where.communeIds) parts.push(inArray(communeCol as typeof registryUnits.communeId, where.communeIds));
    return parts.length > 0 ? and(...parts) : undefined;
  };
  if (kind === 'household') {
    const t = registryHouseholds;
    return db.select({ id: t.id, name: t.name, communeId: t.communeId, headPersonId: t.headPersonId }).from(t).where(filter(t.id, t.communeId)).orderBy(t.name);
  }
  if (kind === 'clan') {
    const t = registryClans;
    return db.select({ id: t.id, name: t.name, communeId: t.communeId, headPersonId: t.headPersonId }).from(t).where(filter(t.id, t.communeId)).orderBy(t.name);
  }
  if (kind === 'unit') {
    const t = registryUnits;
    return db.select({ id: t.id, name: t.name, communeId: t.communeId, headPersonId: t.headPersonId }).from(t).where(filter(t.id, t.communeId)).orderBy(t.name);
  }
  const t = registryCommunities;
  const rows = await db
    .select({ id: t.id, name: t.name, communeId: t.communeId, geoUnitId: t.geoUnitId })
    .from(t)
    .where(filter(t.id, t.communeId))
    .orderBy(t.name);
  return rows.map((r) => ({ ...r, headPersonId: null }));
}

/**
 * Evaluates collectives of one kind for a year: members and their titles are read in a few set queries.
 * `deps.db` may be a transaction (an award re-evaluates the rule inside the transaction that writes it).
 */
export async function statusesOf(
  deps: Pick<CollectiveDeps, 'collectiveRules'> & { db: Pick<Db, 'select'> },
  kind: CollectiveKindName,
  collectives: CollectiveRow[],
  year: number,
): Promise<CollectiveStatus[]> {
  if (collectives.length === 0) return [];
  const { db } = deps;
  const rule = ruleFor(deps.collectiveRules, kind, year);
  const ids = collectives.map((c) => c.id);
  const column = membershipColumn(kind);
  const memberRows = await db
    .select({
      collectiveId: column,
      personId: registryPeople.id,
      fullName: registryPeople.fullName,
      birthYear: registryPeople.birthYear,
      userId: registryPeople.userId,
      role: registryMemberships.role,
    })
    .from(registryMemberships)
    .innerJoin(registryPeople, eq(registryPeople.id, registryMemberships.personId))
    .where(and(inArray(column, ids), isNull(registryMemberships.validTo)));

  const personTitle = rule?.personTitle ?? 'cong-dan-hoc-tap';
  const userIds = [...new Set(memberRows.flatMap((m) => (m.userId ? [m.userId] : [])))];
  const holders = new Set(
    userIds.length === 0
      ? []
      : (
          await db
            .select({ userId: personTitleAwards.userId })
            .from(personTitleAwards)
            .where(
              and(
                inArray(personTitleAwards.userId, userIds),
                eq(personTitleAwards.year, year),
                eq(personTitleAwards.title, personTitle),
                isNull(personTitleAwards.revokedAt),
              ),
            )
        ).map((r) => r.userId),
  );

  // Households of clans (where their members live) and of communities (in their village).
  const householdsOf = new Map<string, HouseholdStatus[]>();
  if (kind === 'clan' || kind === 'community') {
    let links: Array<{ collectiveId: string; householdId: string; name: string }> = [];
    if (kind === 'clan') {
      const personIds = [...new Set(memberRows.map((m) => m.personId))];
      const homes =
        personIds.length === 0
          ? []
          : await db
              .select({ personId: registryMemberships.personId, householdId: registryHouseholds.id, name: registryHouseholds.name })
              .from(registryMemberships)
              .innerJoin(registryHouseholds, eq(registryHouseholds.id, registryMemberships.householdId))
              .where(and(inArray(registryMemberships.personId, personIds), isNull(registryMemberships.validTo)));
      for (const m of memberRows)
        for (const h of homes) if (h.personId === m.personId) links.push({ collectiveId: m.collectiveId as string, householdId: h.householdId, name: h.name });
    } else {
      const byGeo = new Map(collectives.map((c) => [c.geoUnitId as string, c.id]));
      const homes = await db
        .select({ villageId: registryHouseholds.villageId, householdId: registryHouseholds.id, name: registryHouseholds.name })
        .from(registryHouseholds)
        .where(inArray(registryHouseholds.villageId, [...byGeo.keys()]));
      links = homes.map((h) => ({ collectiveId: byGeo.get(h.villageId as string) as string, householdId: h.householdId, name: h.name }));
    }
    const familyTitle = rule?.familyTitle ?? 'gia-dinh-hoc-tap';
    const householdIds = [...new Set(links.map((l) => l.householdId))];
    const titled = new Set(
      householdIds.length === 0
        ? []
        : (
            await db
              .select({ id: collectiveTitleAwards.householdId })
              .from(collectiveTitleAwards)
              .where(
                and(
                  inArray(collectiveTitleAwards.householdId, householdIds),
                  eq(collectiveTitleAwards.year, year),
                  eq(collectiveTitleAwards.title, familyTitle),
                  isNull(collectiveTitleAwards.revokedAt),
                ),
              )
          ).map((r) => r.id),
    );
    for (const l of links) {
      const list = householdsOf.get(l.collectiveId) ?? [];
      if (!list.some((h) => h.householdId === l.householdId)) list.push({ householdId: l.householdId, name: l.name, hasTitle: titled.has(l.householdId) });
      householdsOf.set(l.collectiveId, list);
    }
  }

  const awardCol = awardColumn(kind);
  const awards = await db
    .select({
      id: collectiveTitleAwards.id,
      subjectId: awardCol,
      decisionNumber: collectiveTitleAwards.decisionNumber,
      decisionDate: collectiveTitleAwards.decisionDate,
    })
    .from(collectiveTitleAwards)
    .where(and(inArray(awardCol, ids), eq(collectiveTitleAwards.year, year), isNull(collectiveTitleAwards.revokedAt)));
  const communes = new Map(
    (
      await db
        .select({ id: geoUnits.id, code: geoUnits.code, name: geoUnits.name })
        .from(geoUnits)
        .where(inArray(geoUnits.id, [...new Set(collectives.map((c) => c.communeId))]))
    ).map((g) => [g.id, g]),
  );

  return collectives.map((c) => {
    const members: MemberStatus[] = memberRows
      .filter((m) => m.collectiveId === c.id)
      .map((m) => ({
        personId: m.personId,
        fullName: m.fullName,
        birthYear: m.birthYear,
        role: m.role === 'head' || m.personId === c.headPersonId ? 'head' : 'member',
        hasTitle: m.userId !== null && holders.has(m.userId),
      }));
    const evaluation = rule ? evaluateCollective(rule, { year, members, households: householdsOf.get(c.id) ?? [] }) : null;
    const award = awards.find((a) => a.subjectId === c.id);
    const commune = communes.get(c.communeId);
    return {
      kind,
      id: c.id,
      name: c.name,
      communeCode: commune?.code ?? '',
      communeName: commune?.name ?? '',
      year,
      ruleId: rule?.id ?? null,
      title: rule?.title ?? titles[kind],
      members: members.length,
      passed: evaluation?.passed ?? false,
      award: award ? { id: award.id, decisionNumber: award.decisionNumber, decisionDate: award.decisionDate } : null,
      requirements: evaluation?.requirements ?? [],
      missing: evaluation?.missing ?? [],
    };
  });
}

const yearOf = (deps: CollectiveDeps, year: number | undefined) => year ?? deps.clock.now().getUTCFullYear();

/** Officers: the collectives of one kind in their communes (or one commune of them), each checked for the year. */
export async function listCollectiveStatuses(deps: CollectiveDeps, actor: Actor, query: CollectiveListQuery): Promise<CollectiveStatus[]> {
  const admin = actor.roles.has('admin');
  if (!admin && !actor.roles.has('officer')) throw new DomainError('forbidden', 'this needs one of the roles: officer, admin');
  let communeIds: string[] | undefined;
  if (query.communeCode) {
    const [c] = await deps.db.select({ id: geoUnits.id }).from(geoUnits).where(eq(geoUnits.code, query.communeCode));
    if (!c)
      throw new DomainError('not_found', `no commune has the code ${query.communeCode}`, [{ field: '/query/communeCode', message: 'unknown commune code' }]);
    if (!admin && !coversCommune(actor, ['officer'], c.id)) throw new DomainError('forbidden', 'this commune is outside your scope');
    communeIds = [c.id];
  } else if (!admin) {
    const scope = actor.scopes.get('officer');
    if (scope instanceof Set) communeIds = [...scope];
    else if (scope !== 'all') communeIds = [];
  }
  if (communeIds && communeIds.length === 0) return [];
  const rows = await loadCollectives(deps.db, query.kind, communeIds ? { communeIds } : {});
  return statusesOf(deps, query.kind, rows.slice(0, 500), yearOf(deps, query.year));
}

/** One collective: officers of its commune, admins, and its head (the registry person linked to the user). */
export async function getCollectiveStatus(deps: CollectiveDeps, actor: Actor, kind: CollectiveKindName, id: string, year?: number): Promise<CollectiveStatus> {
  const [row] = await loadCollectives(deps.db, kind, { ids: [id] });
  if (!row) throw new DomainError('not_found', 'no such collective');
  const officer = actor.roles.has('admin') || coversCommune(actor, ['officer'], row.communeId);
  if (!officer && !(await headsCollective(deps.db, actor.userId, kind, row))) throw new DomainError('not_found', 'no such collective');
  const [status] = await statusesOf(deps, kind, [row], yearOf(deps, year));
  return status as CollectiveStatus;
}

async function headsCollective(db: Db, userId: string, kind: CollectiveKindName, row: CollectiveRow): Promise<boolean> {
  const [person] = await db.select({ id: registryPeople.id }).from(registryPeople).where(eq(registryPeople.userId, userId));
  if (!person) return false;
  if (row.headPersonId === person.id) return true;
  const column = membershipColumn(kind);
  const [m] = await db
    .select({ id: registryMemberships.id })
    .from(registryMemberships)
    .where(and(eq(column, row.id), eq(registryMemberships.personId, person.id), eq(registryMemberships.role, 'head'), isNull(registryMemberships.validTo)));
  return !!m;
}

/** The collectives the user heads, as the registry links them, each checked for the year. */
export async function listMyCollectives(deps: CollectiveDeps, actor: Actor, year?: number): Promise<CollectiveStatus[]> {
  const [person] = await deps.db.select({ id: registryPeople.id }).from(registryPeople).where(eq(registryPeople.userId, actor.userId));
  if (!person) return [];
  const headed = await deps.db
    .select({
      kind: registryMemberships.kind,
      householdId: registryMemberships.householdId,
      clanId: registryMemberships.clanId,
      unitId: registryMemberships.unitId,
    })
    .from(registryMemberships)
    .where(and(eq(registryMemberships.personId, person.id), eq(registryMemberships.role, 'head'), isNull(registryMemberships.validTo)));
  const out: CollectiveStatus[] = [];
  for (const kind of ['household', 'clan', 'unit'] as const) {
    const ids = headed.flatMap((h) => {
      const v = kind === 'household' ? h.householdId : kind === 'clan' ? h.clanId : h.unitId;
      return h.kind === kind && v ? [v] : [];
    });
    if (ids.length === 0) continue;
    out.push(...(await statusesOf(deps, kind, await loadCollectives(deps.db, kind, { ids }), yearOf(deps, year))));
  }
  return out;
}
