import { createHash } from 'node:crypto';
import { queryRows } from '@hts/db';
import {
  buildOpenBadge,
  type CompetenceAlignment,
  type CredentialSettings,
  type EvidenceInput,
  entryHash,
  GENESIS_HASH,
  keyReference,
  payloadHash,
  registerIssuerKey,
  signCompactJws,
} from '@hts/domain';
import { sql } from 'drizzle-orm';
import { benchCredentialSettings } from '../bench-issuer.ts';
import { type BulkColumn, bulkWrite } from '../bulk-write.ts';
import { KIND, lit, syntheticId, syntheticIdSql, uniform } from '../sql.ts';
import type { GeneratorContext, GeneratorStep } from '../step.ts';
import { withoutSecondaryIndexes } from '../xapi-sql.ts';

/*
 * What the platform writes after the evidence step's history, in the order it would have written it:
 *  - at each course completion, the `course.completion` chain entry (complete-course.ts appends it; the
 *    completion's `completed` statement is recorded with chain: false, so no `xapi.completion` entry);
 *  - 2–30 s later (ASSUMPTION: the worker's delay), the Open Badge the worker issues for it
 *    (issueCredentialForCompletion) and its `credential.issued` entry;
 *  - at each person title award, the `title.award` entry review.ts appends.
 * Each entry hashes the one before: a sequential walk in Node over the events sorted once in the database,
 * read in pages of consecutive positions and written by COPY (PostgreSQL) or one JSON INSERT (PGlite).
 * Not chained: digital-skill confirmations and collective titles (their own entry kinds), which no bench
 * reads yet.
 */

/** Events per page read and written: a page's credentials are a few megabytes of JSON. */
const PAGE = 2000;
/** Events signed and hashed between two turns of the event loop (a few milliseconds of work). */
const YIELD_EVERY = 50;
/** Progress is logged every this many events. */
const LOG_EVERY = 100_000;
const WALK_TABLE = 'bench_evidence_walk';

/** Which event a walk row is; also the order of events at the same millisecond. */
const Rank = { completion: 0, credential: 1, title: 2 } as const;
type Rank = (typeof Rank)[keyof typeof Rank];

const CREDENTIAL_COLUMNS: BulkColumn[] = [
  { name: 'id', type: 'uuid' },
  { name: 'completion_id', type: 'uuid' },
  { name: 'user_id', type: 'uuid' },
  { name: 'course_id', type: 'uuid' },
  { name: 'version_id', type: 'uuid' },
  { name: 'kid', type: 'text' },
  { name: 'jwt', type: 'text' },
  { name: 'credential', type: 'jsonb' },
  { name: 'identity_salt', type: 'text' },
  { name: 'issued_at', type: 'timestamptz' },
];
const CHAIN_COLUMNS: BulkColumn[] = [
  { name: 'seq', type: 'bigint' },
  { name: 'kind', type: 'text' },
  { name: 'subject_id', type: 'text' },
  { name: 'payload', type: 'jsonb' },
  { name: 'payload_hash', type: 'text' },
  { name: 'prev_hash', type: 'text' },
  { name: 'entry_hash', type: 'text' },
  { name: 'created_at', type: 'timestamptz' },
];

interface WalkRow extends Record<string, unknown> {
  ord: number;
  rank: Rank;
  at: string;
  subject_id: string;
  credential_id: string | null;
  user_id: string | null;
  course_id: string | null;
  version_id: string | null;
  full_name: string | null;
  t_user_id: string | null;
  title: string | null;
  year: number | null;
  classification: string | null;
  score: number | null;
  criteria_set_version_id: string | null;
  assessment_id: string | null;
  commune_id: string | null;
  decision_number: string | null;
  decision_date: string | null;
  approved_by: string | null;
}

interface VersionInfo {
  slug: string;
  number: number;
  title: string;
  summary: string;
  competences: CompetenceAlignment[];
}

const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The salt a credential's hashed identity uses: 16 bytes, as randomBytes(16) would give, but from the seed. */
export const identitySaltOf = (seed: number, completionId: string) =>
  createHash('sha256').update(`hts-bench-${seed}-identity-salt-${completionId}`).digest().subarray(0, 16).toString('base64url');

type Row = Array<string | number | null | Record<string, unknown>>;

export const credentialsStep: GeneratorStep = {
  name: 'credentials and evidence chain',
  async run(ctx) {
    const settings = benchCredentialSettings(ctx.seed);
    await registerIssuerKey(ctx.db, settings);
    const versions = await courseVersions(ctx);
    const total = await sortEvents(ctx);
    const [last] = await queryRows<{ seq: number; entry_hash: string }>(
      ctx.db,
      sql`select seq::float8 as seq, entry_hash from evidence_chain order by seq desc limit 1`,
    );
    const chain = { seq: last?.seq ?? 0, prevHash: last?.entry_hash ?? GENESIS_HASH };
    let credentials = 0;

    /** The rows one page of events becomes, each entry hashing the one before. */
    const walk = async (rows: WalkRow[]) => {
      const credentialRows: Row[] = [];
      const chainRows: Row[] = [];
      for (const [i, row] of rows.entries()) {
        // signing is synchronous: let the previous page's COPY and the next page's read move meanwhile
        if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise(setImmediate);
        const at = new Date(row.at);
        let entry: EvidenceInput;
        if (row.rank === Rank.credential) {
          const issued = issue(settings, ctx.seed, row, at, versions);
          credentialRows.push(issued.row);
          entry = issued.entry;
        } else entry = row.rank === Rank.completion ? completionEntry(row, at) : titleEntry(row, at);
        chain.seq += 1;
        const fields = {
          seq: chain.seq,
          kind: entry.kind,
          subjectId: entry.subjectId,
          payloadHash: payloadHash(entry.payload),
          prevHash: chain.prevHash,
          createdAt: at,
        };
        const hash = entryHash(fields);
        chainRows.push([fields.seq, fields.kind, fields.subjectId, entry.payload, fields.payloadHash, fields.prevHash, hash, at.toISOString()]);
        chain.prevHash = hash;
      }
      return { credentialRows, chainRows };
    };

    const page = (from: number) => queryRows<WalkRow>(ctx.db, sql.raw(pageSql(from, Math.min(total, from + PAGE - 1))));
    await withoutSecondaryIndexes(ctx.db, 'credentials', ctx.log, () =>
      withoutSecondaryIndexes(ctx.db, 'evidence_chain', ctx.log, async () => {
        let writing: Promise<unknown> = Promise.resolve();
        let next = total > 0 ? page(1) : null;
        for (let from = 1; from <= total; from += PAGE) {
          const rows = await (next as Promise<WalkRow[]>);
          // the next page is read while this one is signed, and this one written while the next is signed;
          // a failure is rethrown by the await below, not reported as unhandled meanwhile
          next = from + PAGE <= total ? page(from + PAGE) : null;
          next?.catch(() => {});
          const { credentialRows, chainRows } = await walk(rows);
          await writing;
          writing = Promise.all([
            bulkWrite(ctx.db, 'credentials', CREDENTIAL_COLUMNS, credentialRows),
            bulkWrite(ctx.db, 'evidence_chain', CHAIN_COLUMNS, chainRows),
          ]);
          writing.catch(() => {});
          credentials += credentialRows.length;
          const done = Math.min(total, from + PAGE - 1);
          if (Math.floor(done / LOG_EVERY) > Math.floor((from - 1) / LOG_EVERY) || done === total)
            ctx.log(`credentials and evidence chain: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} entries`);
        }
        await writing;
      }),
    );
    await ctx.exec(`drop table ${WALK_TABLE}`);
    return { credential_issuer_keys: 1, credentials, evidence_chain: total };
  },
};

/**
 * Every event, sorted once by time into a table numbered 1…n, so the walk reads pages of consecutive
 * numbers by primary key (no OFFSET, no cursor held open across the writes). Answers n.
 */
async function sortEvents(ctx: GeneratorContext): Promise<number> {
  const { seed } = ctx;
  // a completion's synthetic number (the last 12 hex digits of its id) keys its credential's id and delay
  const num = `('x' || right(c.id::text, 12))::bit(48)::bigint`;
  // Only the evidence step's completions: a kept province the bench has run on also holds completions its
  // learners made through the API, which the API's worker has already chained and credentialed (and whose
  // random ids are no synthetic number)
  const generated = `c.id::text like ${lit(`${syntheticId(KIND.completion, seed, 0).slice(0, -12)}%`)}
    and not exists (select 1 from credentials cr where cr.completion_id = c.id)`;
  await ctx.exec(`drop table if exists ${WALK_TABLE}`);
  await ctx.exec(`
create unlogged table ${WALK_TABLE} as
select row_number() over (order by e.at, e.rank, e.subject_id) as ord, e.rank, e.at, e.subject_id, e.credential_id
from (
  select ${Rank.completion} as rank, date_trunc('milliseconds', c.completed_at) as at, c.id as subject_id, null::uuid as credential_id
  from course_completions c where ${generated}
  union all
  select ${Rank.credential}, date_trunc('milliseconds', c.completed_at + make_interval(secs => 2 + floor(${uniform(num, seed, 90)} * 28000) / 1000)),
         c.id, ${syntheticIdSql(KIND.credential, seed, num)}
  from course_completions c where ${generated}
  union all
  select ${Rank.title}, date_trunc('milliseconds', t.awarded_at), t.id, null::uuid from person_title_awards t
) e`);
  await ctx.exec(`alter table ${WALK_TABLE} add primary key (ord)`);
  const [n] = await queryRows<{ n: number }>(ctx.db, sql.raw(`select count(*)::int as n from ${WALK_TABLE}`));
  return n?.n ?? 0;
}

function pageSql(from: number, to: number): string {
  return `
select w.ord::float8 as ord, w.rank, ${iso('w.at')} as at, w.subject_id::text, w.credential_id::text,
       c.user_id::text, c.course_id::text, c.version_id::text, u.full_name,
       t.user_id::text as t_user_id, t.title, t.year, t.classification, t.score, t.criteria_set_version_id, t.assessment_id::text,
       t.commune_id::text, t.decision_number, t.decision_date::text, t.approved_by::text
from ${WALK_TABLE} w
left join course_completions c on w.rank < ${Rank.title} and c.id = w.subject_id
left join users u on w.rank = ${Rank.credential} and u.id = c.user_id
left join person_title_awards t on w.rank = ${Rank.title} and t.id = w.subject_id
where w.ord between ${from} and ${to}
order by w.ord`;
}

/** What issueCredentialForCompletion reads of a course version, for every version (3,000 at any scale). */
async function courseVersions(ctx: GeneratorContext): Promise<Map<string, VersionInfo>> {
  const competences = new Map(
    (
      await queryRows<{ code: string; framework: string; name_vi: string; name_en: string }>(
        ctx.db,
        sql`select code, framework, name_vi, name_en from competences`,
      )
    ).map((c) => [c.code, { code: c.code, framework: c.framework, nameVi: c.name_vi, nameEn: c.name_en }]),
  );
  const rows = await queryRows<{ id: string; number: number; slug: string; title: string; summary: string; competences: string[] }>(
    ctx.db,
    sql`select v.id::text, v.number, c.slug, v.doc->>'title' as title, coalesce(v.doc->>'summary', '') as summary,
               coalesce(v.doc->'competences', '[]'::jsonb) as competences
        from course_versions v join courses c on c.id = v.course_id`,
  );
  return new Map(
    rows.map((v) => {
      // the version's own order, each code once: what the use case's IN query sorted by indexOf gives
      const codes = [...new Set(typeof v.competences === 'string' ? (JSON.parse(v.competences) as string[]) : v.competences)];
      const aligned = codes.flatMap((code) => competences.get(code) ?? []);
      return [v.id, { slug: v.slug, number: v.number, title: v.title, summary: v.summary, competences: aligned }];
    }),
  );
}

/** The credential row and chain entry issueCredentialForCompletion writes, with the seed's id, salt and key. */
function issue(settings: CredentialSettings, seed: number, row: WalkRow, issuedAt: Date, versions: Map<string, VersionInfo>) {
  const completionId = row.subject_id;
  const credentialId = row.credential_id as string;
  const userId = row.user_id as string;
  const versionId = row.version_id as string;
  const version = versions.get(versionId);
  if (!version) throw new Error(`completion ${completionId} is of course version ${versionId}, which has no course`);
  const identitySalt = identitySaltOf(seed, completionId);
  const credential = buildOpenBadge(settings, {
    credentialId,
    issuedAt,
    identitySalt,
    learner: { userId, fullName: row.full_name as string },
    course: { slug: version.slug, title: version.title, summary: version.summary, versionId, versionNumber: version.number },
    competences: version.competences,
  });
  const { signingKey } = settings;
  const jwt = signCompactJws({ alg: 'EdDSA', typ: 'vc+jwt', cty: 'vc', kid: keyReference(settings, signingKey.kid) }, credential, signingKey.privateKey);
  const entry: EvidenceInput = {
    kind: 'credential.issued',
    subjectId: credentialId,
    payload: {
      credentialId,
      completionId,
      userId,
      courseId: row.course_id,
      versionId,
      kid: signingKey.kid,
      jwtSha256: createHash('sha256').update(jwt).digest('hex'),
      issuedAt: issuedAt.toISOString(),
    },
  };
  return { row: [credentialId, completionId, userId, row.course_id, versionId, signingKey.kid, jwt, credential, identitySalt, issuedAt.toISOString()], entry };
}

/** The entry complete-course.ts appends with the completion. */
function completionEntry(row: WalkRow, at: Date): EvidenceInput {
  return {
    kind: 'course.completion',
    subjectId: row.subject_id,
    payload: { userId: row.user_id, courseId: row.course_id, versionId: row.version_id, completedAt: at.toISOString() },
  };
}

/** The entry review.ts appends when an officer approves the title (no assessment or approver for imported history). */
function titleEntry(row: WalkRow, at: Date): EvidenceInput {
  return {
    kind: 'title.award',
    subjectId: row.subject_id,
    payload: {
      userId: row.t_user_id,
      title: row.title,
      year: row.year,
      classification: row.classification,
      score: row.score,
      criteriaSetVersionId: row.criteria_set_version_id,
      assessmentId: row.assessment_id,
      communeId: row.commune_id,
      decisionNumber: row.decision_number,
      decisionDate: row.decision_date,
      approvedBy: row.approved_by,
      awardedAt: at.toISOString(),
    },
  };
}
