import type { IndicatorPeople, PersonEvidence } from '@hts/contracts';
import { type Db, geoUnits, queryRows } from '@hts/db';
import { eq, sql } from 'drizzle-orm';
import { type Actor, coversCommune, requireRole } from '../access/actor.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { RequestContext } from '../shared/deps.ts';
import { DomainError, fieldError } from '../shared/errors.ts';
import { memberQuery, officialNumeratorQuery } from './rollup-queries.ts';
import { definitionsForYear, loadIndicatorDefinitions } from './rollups.ts';

async function communeInScope(db: Db, actor: Actor, code: string, ctx: RequestContext): Promise<{ id: string; code: string; name: string }> {
  requireRole(actor, ['officer', 'admin']);
  const [c] = await db.select({ id: geoUnits.id, code: geoUnits.code, name: geoUnits.name, type: geoUnits.type }).from(geoUnits).where(eq(geoUnits.code, code));
  if (!c || (c.type !== 'commune' && c.type !== 'ward')) throw fieldError('not_found', '/query/commune', `no commune has the code ${code}`);
  if (!actor.roles.has('admin') && !coversCommune(actor, ['officer'], c.id)) {
    await recordAudit(
      db,
      {
        action: 'auth.permission_denied',
        outcome: 'denied',
        actorUserId: actor.userId,
        subjectType: 'commune',
        subjectId: c.code,
        details: { what: 'indicator people' },
      },
      ctx,
    );
    throw new DomainError('forbidden', `commune ${c.code} (${c.name}) is outside your scope`);
  }
  return c;
}

/**
 * The people (or collectives) behind one indicator number in one commune: the same member query the rollup
 * counts, so the list adds up to the dashboard's numbers. Only for officers whose scope covers the commune;
 * every read is written to the audit log.
 */
export async function listIndicatorPeople(
  db: Db,
  actor: Actor,
  query: { year: number; indicator: string; commune: string },
  ctx: RequestContext = {},
): Promise<IndicatorPeople> {
  const commune = await communeInScope(db, actor, query.commune, ctx);
  const def = definitionsForYear(await loadIndicatorDefinitions(db), query.year).find((d) => d.id === query.indicator);
  if (!def) throw fieldError('not_found', '/query/indicator', `indicator ${query.indicator} is not defined for ${query.year}`);
  const opts = { year: query.year, communeIds: [commune.id], withSubject: true };
  const members = def.base === 'official' ? officialNumeratorQuery(def, opts) : memberQuery(def, opts);
  const person = def.subject === 'person';
  // registry people for registry populations; accounts for title holders and official bases
  const byAccount = def.population.kind === 'title-holders' || def.base === 'official';
  const nameOf = !person
    ? sql`coalesce((select name from registry_households where id = m.subject_id), (select name from registry_clans where id = m.subject_id), (select name from registry_communities where id = m.subject_id), (select name from registry_units where id = m.subject_id))`
    : byAccount
      ? sql`(select full_name from users where id = m.subject_id)`
      : sql`(select full_name from registry_people where id = m.subject_id)`;
  const birthYear = !person
    ? sql`null::int`
    : byAccount
      ? sql`(select birth_year from users where id = m.subject_id)`
      : sql`(select birth_year from registry_people where id = m.subject_id)`;
  const rows = await queryRows<{
    subject_id: string;
    name: string | null;
    birth_year: number | null;
    group_code: string | null;
    attained_at: string | Date | null;
  }>(
    db,
    sql`select m.subject_id, ${nameOf} as name, ${birthYear} as birth_year, (select code from target_groups where id = m.target_group_id) as group_code, m.attained_at
        from (${members}) m order by (m.attained_at is null), ${nameOf}`,
  );
  await recordAudit(
    db,
    {
      action: 'personal_data.read',
      outcome: 'success',
      actorUserId: actor.userId,
      subjectType: 'indicator_people',
      subjectId: `${def.id}/${query.year}/${commune.code}`,
      details: { rows: rows.length },
    },
    ctx,
  );
  return {
    indicator: { id: def.id, version: def.version, nameVi: def.nameVi, nameEn: def.nameEn, subject: def.subject },
    year: query.year,
    commune: { code: commune.code, name: commune.name },
    subjectKind: !person ? 'collective' : byAccount ? 'account' : 'registry',
    items: rows.map((r) => ({
      id: r.subject_id,
      name: r.name ?? '',
      birthYear: r.birth_year,
      targetGroup: r.group_code,
      counted: r.attained_at !== null,
      since: r.attained_at === null ? null : new Date(r.attained_at).toISOString(),
    })),
  };
}

/**
 * One person's evidence, as the indicators count it: course completions, Hội Khuyến học training, title
 * awards (with decision numbers), digital-skill confirmations (with their source and evidence links) and
 * memberships. `kind` says whether `id` is a registry person or an account. Scope: the officer must cover the
 * commune the person is registered in (or, for an account, the commune of the account). Audited.
 */
export async function getPersonEvidence(
  db: Db,
  actor: Actor,
  query: { kind: 'registry' | 'account'; id: string },
  ctx: RequestContext = {},
): Promise<PersonEvidence> {
  requireRole(actor, ['officer', 'admin']);
  const [who] =
    query.kind === 'registry'
      ? await queryRows<{
          person_id: string | null;
          user_id: string | null;
          full_name: string;
          birth_year: number | null;
          commune_id: string;
          code: string;
          name: string;
        }>(
          db,
          sql`select p.id as person_id, p.user_id, p.full_name, p.birth_year, p.commune_id, g.code, g.name from registry_people p join geo_units g on g.id = p.commune_id where p.id = ${query.id}`,
        )
      : await queryRows<{
          person_id: string | null;
          user_id: string | null;
          full_name: string;
          birth_year: number | null;
          commune_id: string;
          code: string;
          name: string;
        }>(
          db,
          sql`select (select id from registry_people where user_id = u.id) as person_id, u.id as user_id, u.full_name, u.birth_year,
                coalesce(u.commune_id, (select commune_id from person_title_awards where user_id = u.id order by awarded_at desc limit 1)) as commune_id, g.code, g.name
              from users u left join geo_units g on g.id = coalesce(u.commune_id, (select commune_id from person_title_awards where user_id = u.id order by awarded_at desc limit 1)) where u.id = ${query.id}`,
        );
  if (!who) throw fieldError('not_found', '/params/id', 'no such person');
  if (!actor.roles.has('admin') && !(who.commune_id && coversCommune(actor, ['officer'], who.commune_id))) {
    await recordAudit(
      db,
      {
        action: 'auth.permission_denied',
        outcome: 'denied',
        actorUserId: actor.userId,
        subjectType: 'person',
        subjectId: query.id,
        details: { what: 'evidence' },
      },
      ctx,
    );
    throw new DomainError('forbidden', 'this person is outside your scope');
  }
  const uid = who.user_id;
  const pid = who.person_id;
  const completions = uid
    ? await queryRows<{ id: string; course: string; slug: string; completed_at: string | Date }>(
        db,
        sql`select cc.id, c.title as course, c.slug, cc.completed_at from course_completions cc join courses c on c.id = cc.course_id where cc.user_id = ${uid} order by cc.completed_at`,
      )
    : [];
  const credentials = uid
    ? await queryRows<{ id: string; course: string; issued_at: string | Date; revoked_at: string | Date | null }>(
        db,
        sql`select cr.id, c.title as course, cr.issued_at, rv.revoked_at from credentials cr join courses c on c.id = cr.course_id
            left join credential_revocations rv on rv.credential_id = cr.id where cr.user_id = ${uid} order by cr.issued_at`,
      )
    : [];
  const titles = uid
    ? await queryRows<{
        id: string;
        year: number;
        title: string;
        classification: string;
        score: number;
        decision_number: string;
        decision_date: string;
        awarded_at: string | Date;
        revoked_at: string | Date | null;
        revocation_reason: string | null;
        criteria_set_version_id: string;
      }>(
        db,
        sql`select id, year, title, classification, score, decision_number, decision_date::text, awarded_at, revoked_at, revocation_reason, criteria_set_version_id from person_title_awards where user_id = ${uid} order by year, awarded_at`,
      )
    : [];
  const confirmations = uid
    ? await queryRows<{
        id: string;
        source: string;
        source_ref: string | null;
        rule_version_id: string;
        confirmed_at: string | Date;
        revoked_at: string | Date | null;
        evidence: Array<{ kind: string; id: string; label: string }>;
      }>(
        db,
        sql`select id, source::text, source_ref, rule_version_id, confirmed_at, revoked_at, evidence from digital_skill_confirmations where user_id = ${uid} order by confirmed_at`,
      )
    : [];
  const memberships = pid
    ? await queryRows<{ kind: string; name: string; valid_to: string | null }>(
        db,
        sql`select ms.kind::text, coalesce(h.name, cl.name, co.name, un.name) as name, ms.valid_to::text from registry_memberships ms
            left join registry_households h on h.id = ms.household_id left join registry_clans cl on cl.id = ms.clan_id
            left join registry_communities co on co.id = ms.community_id left join registry_units un on un.id = ms.unit_id
            where ms.person_id = ${pid} order by ms.valid_to nulls first`,
      )
    : [];
  const [kh] = pid
    ? await queryRows<{ role: string; trained_on: string | null; branch: string }>(
        db,
        sql`select k.role::text, k.trained_on::text, b.name as branch from khuyen_hoc_members k join khuyen_hoc_branches b on b.id = k.branch_id where k.person_id = ${pid}`,
      )
    : [];
  await recordAudit(
    db,
    {
      action: 'personal_data.read',
      outcome: 'success',
      actorUserId: actor.userId,
      subjectType: query.kind === 'registry' ? 'registry_person' : 'user',
      subjectId: query.id,
      details: { what: 'evidence' },
    },
    ctx,
  );
  const iso = (d: string | Date | null) => (d === null ? null : new Date(d).toISOString());
  return {
    person: { name: who.full_name, birthYear: who.birth_year, commune: { code: who.code, name: who.name }, hasAccount: uid !== null },
    completions: completions.map((c) => ({ id: c.id, course: c.course, slug: c.slug, completedAt: new Date(c.completed_at).toISOString() })),
    credentials: credentials.map((c) => ({
      id: c.id,
      course: c.course,
      issuedAt: new Date(c.issued_at).toISOString(),
      revokedAt: c.revoked_at === null ? null : new Date(c.revoked_at).toISOString(),
    })),
    khuyenHoc: kh ? { role: kh.role, branch: kh.branch, trainedOn: kh.trained_on } : null,
    titles: titles.map((t) => ({
      id: t.id,
      year: t.year,
      title: t.title,
      classification: t.classification,
      score: t.score,
      decisionNumber: t.decision_number,
      decisionDate: t.decision_date,
      criteriaVersion: t.criteria_set_version_id,
      awardedAt: new Date(t.awarded_at).toISOString(),
      revokedAt: iso(t.revoked_at),
      revocationReason: t.revocation_reason,
    })),
    confirmations: confirmations.map((c) => ({
      id: c.id,
      source: c.source,
      sourceRef: c.source_ref,
      ruleVersion: c.rule_version_id,
      confirmedAt: new Date(c.confirmed_at).toISOString(),
      revokedAt: iso(c.revoked_at),
      evidence: c.evidence ?? [],
    })),
    memberships: memberships.map((m) => ({ kind: m.kind, name: m.name, current: m.valid_to === null })),
  };
}
