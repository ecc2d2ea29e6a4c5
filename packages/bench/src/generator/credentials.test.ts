import { type Content, defaultContentDir, loadContent } from '@hts/content';
import { type DatabaseHandle, queryRows } from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { verifyChain, verifyCredential } from '@hts/domain';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchCredentialSettings } from './bench-issuer.ts';
import { type GenerationReport, generateProvince, indicatorSteps } from './generate.ts';
import { citizensStep } from './steps/citizens.ts';
import { coursesStep } from './steps/courses.ts';
import { credentialsStep } from './steps/credentials.ts';
import { evidenceStep } from './steps/evidence.ts';
import { geographyStep } from './steps/geography.ts';

const passwordHash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$0000000000000000000000000000000000000000000';
// the verifier's "now": after every synthetic credential, whatever the machine's clock says
const clock = { now: () => new Date('2026-12-01T00:00:00Z') };

describe('the credentials and evidence chain step at small scale', () => {
  let content: Content;
  let database: DatabaseHandle;
  let report: GenerationReport;
  const rows = <T extends Record<string, unknown>>(q: ReturnType<typeof sql>) => queryRows<T>(database.db, q);

  beforeAll(async () => {
    content = await loadContent(defaultContentDir);
    database = await openTestDatabase(process.env.TEST_DATABASE_URL);
    // the whole indicator province, so the chain holds titles as well as completions
    report = await generateProvince(database.db, { content, seed: 42, scale: 'small', passwordHash, steps: indicatorSteps });
  }, 300_000);
  afterAll(async () => database?.close());

  it('issues exactly one credential per course completion, for its learner, course and version', async () => {
    const [r] = await rows<{ completions: number; credentials: number; matched: number; keys: number }>(sql`
      select (select count(*)::int from course_completions) as completions, (select count(*)::int from credentials) as credentials,
             (select count(*)::int from course_completions c where (select count(*) from credentials x
                where x.completion_id = c.id and x.user_id = c.user_id and x.course_id = c.course_id and x.version_id = c.version_id) = 1) as matched,
             (select count(*)::int from credential_issuer_keys) as keys`);
    expect(r?.completions).toBeGreaterThan(1000);
    expect(r).toEqual({ completions: r?.completions, credentials: r?.completions, matched: r?.completions, keys: 1 });
    expect(report.rows.credentials).toBe(r?.completions);
  });

  it('issues each credential a few seconds after its completion, as the worker would', async () => {
    const [r] = await rows<{ early: number; late: number }>(sql`
      select count(*) filter (where x.issued_at < c.completed_at + interval '2 seconds')::int as early,
             count(*) filter (where x.issued_at > c.completed_at + interval '30 seconds')::int as late
      from credentials x join course_completions c on c.id = x.completion_id`);
    expect(r).toEqual({ early: 0, late: 0 });
  });

  it("signs credentials the domain's verifier accepts, and rejects once a byte of the signed payload changes", async () => {
    const settings = benchCredentialSettings(42);
    const stored = await rows<{ jwt: string }>(sql`select jwt from credentials order by id limit 3`);
    expect(stored).toHaveLength(3);
    for (const { jwt } of stored) {
      const verdict = await verifyCredential(database.db, settings, jwt, clock);
      expect(verdict.checks.filter((c) => !c.ok)).toEqual([]);
      expect(verdict.valid).toBe(true);
    }
    const [header, payload, signature] = (stored[0]?.jwt ?? '').split('.') as [string, string, string];
    const bytes = Buffer.from(payload, 'base64url');
    const at = bytes.indexOf('"name":"') + 8;
    bytes[at] = (bytes[at] ?? 0) ^ 1;
    const tampered = await verifyCredential(database.db, settings, `${header}.${bytes.toString('base64url')}.${signature}`, clock);
    expect(tampered.valid).toBe(false);
    expect(tampered.checks.find((c) => c.check === 'signature')?.ok).toBe(false);
  });

  it('chains a completion, a credential and a title entry for every fact, numbered from 1 without gaps, in time order', async () => {
    const [r] = await rows<{ n: number; first: number; last: number; backwards: number; completions: number; issued: number; titles: number }>(sql`
      select count(*)::int as n, min(seq)::int as first, max(seq)::int as last,
             count(*) filter (where kind = 'course.completion')::int as completions, count(*) filter (where kind = 'credential.issued')::int as issued,
             count(*) filter (where kind = 'title.award')::int as titles,
             (select count(*)::int from (select created_at < lag(created_at) over (order by seq) as back from evidence_chain) b where back) as backwards
      from evidence_chain`);
    const [facts] = await rows<{ completions: number; titles: number }>(sql`
      select (select count(*)::int from course_completions) as completions, (select count(*)::int from person_title_awards) as titles`);
    expect(facts?.titles).toBeGreaterThan(100);
    expect(r).toEqual({
      n: r?.last,
      first: 1,
      last: (facts?.completions ?? 0) * 2 + (facts?.titles ?? 0),
      backwards: 0,
      completions: facts?.completions,
      issued: facts?.completions,
      titles: facts?.titles,
    });
  });

  it('commits each credential entry to the exact JWT bytes stored', async () => {
    const [r] = await rows<{ mismatched: number }>(sql`
      select count(*)::int as mismatched from evidence_chain e join credentials x on x.id::text = e.subject_id
      where e.kind = 'credential.issued' and e.payload->>'jwtSha256' <> encode(sha256(convert_to(x.jwt, 'UTF8')), 'hex')`);
    expect(r?.mismatched).toBe(0);
  });

  it('makes a chain verifyChain finds intact, and names the entry whose payload was changed', async () => {
    const intact = await verifyChain(database.db, 500);
    expect(intact).toMatchObject({ ok: true, entries: report.rows.evidence_chain });
    const [victim] = await rows<{ seq: number; payload: Record<string, unknown> }>(
      sql`select seq::int as seq, payload from evidence_chain where kind = 'credential.issued' order by seq offset 7 limit 1`,
    );
    const seq = victim?.seq ?? 0;
    // the append-only trigger refuses the edit an attacker with the table owner's rights would make first
    await database.db.execute(sql`alter table evidence_chain disable trigger evidence_chain_no_update`);
    try {
      await database.db.execute(sql`update evidence_chain set payload = jsonb_set(payload, '{userId}', '"someone-else"') where seq = ${seq}`);
      expect(await verifyChain(database.db, 500)).toMatchObject({ ok: false, brokenSeq: seq, reason: 'its payload does not match its payload hash' });
      await database.db.execute(sql`update evidence_chain set payload = ${JSON.stringify(victim?.payload)}::jsonb where seq = ${seq}`);
    } finally {
      await database.db.execute(sql`alter table evidence_chain enable trigger evidence_chain_no_update`);
    }
    expect(await verifyChain(database.db, 500)).toMatchObject({ ok: true });
  });
});

describe('the credentials and evidence chain step determinism', () => {
  // without the registry (titles are covered above): two PGlite generations must fit the timeout
  it('gives the same credentials and chain for the same seed on two fresh databases', async () => {
    const content = await loadContent(defaultContentDir);
    const fingerprint = async () => {
      const database = await openTestDatabase(process.env.TEST_DATABASE_URL);
      try {
        await generateProvince(database.db, {
          content,
          seed: 9,
          scale: 'small',
          passwordHash,
          steps: [geographyStep, citizensStep, coursesStep, evidenceStep, credentialsStep],
        });
        const [r] = await queryRows<{ f: string; n: number }>(
          database.db,
          sql`select md5((select string_agg(id::text || completion_id || jwt || identity_salt || issued_at::text, ',' order by id) from credentials)
                || (select string_agg(seq || kind || subject_id || payload::text || entry_hash || created_at::text, ',' order by seq) from evidence_chain)) as f,
                (select count(*)::int from evidence_chain) as n`,
        );
        return r;
      } finally {
        await database.close();
      }
    };
    const first = await fingerprint();
    expect(first?.n).toBeGreaterThan(1000);
    expect(await fingerprint()).toEqual(first);
  }, 300_000);
});

describe('the credentials and evidence chain step on a province the bench has used', () => {
  it('leaves alone a completion a learner made through the API (a random id, chained by the API), and credentials every generated one', async () => {
    const content = await loadContent(defaultContentDir);
    const database = await openTestDatabase(process.env.TEST_DATABASE_URL);
    try {
      const options = { content, seed: 11, scale: 'small' as const, passwordHash };
      await generateProvince(database.db, { ...options, steps: [geographyStep, citizensStep, coursesStep, evidenceStep] });
      // what a bench learner's completion through the API leaves: a random id, with a large last group (it overflowed
      // the synthetic-number arithmetic before the step kept to generated completions)
      await database.db.execute(sql`
        insert into course_completions (id, enrolment_id, user_id, course_id, version_id, completed_at)
        select 'a1b2c3d4-0000-4000-8000-ffffffffffff', e.id, e.user_id, e.course_id, e.version_id, now() from enrolments e
        where not exists (select 1 from course_completions c where c.enrolment_id = e.id) order by e.id limit 1`);
      await generateProvince(database.db, { ...options, steps: [credentialsStep], continuing: true });
      const [r] = await queryRows<{ completions: number; credentials: number; api: number; chained: number }>(
        database.db,
        sql`select (select count(*)::int from course_completions) as completions, (select count(*)::int from credentials) as credentials,
                   (select count(*)::int from credentials where completion_id = 'a1b2c3d4-0000-4000-8000-ffffffffffff') as api,
                   (select count(*)::int from evidence_chain where subject_id = 'a1b2c3d4-0000-4000-8000-ffffffffffff') as chained`,
      );
      expect(r?.completions).toBeGreaterThan(1000);
      expect(r).toEqual({ completions: r?.completions, credentials: (r?.completions ?? 0) - 1, api: 0, chained: 0 });
    } finally {
      await database.close();
    }
  }, 300_000);
});
