import { sign, verify } from 'node:crypto';
import { type DatabaseHandle, openDatabase } from '@hts/db';
import { type CredentialSettings, generateSigningKeyPem, getCredential, issueCredentialForCompletion, keyReference, loadSigningKey } from '@hts/domain';
import { seedCompletion, seedCredentialCourse, seedUser } from '@hts/domain/testing';
import { type DatabaseTarget, openTarget, scratchPostgres, tempDir } from '../fixtures/databases.ts';
import { runLoad } from '../load/http-load.ts';
import type { Scale, Scenario } from '../scenario.ts';
import { startApiWithTarget } from '../servers/api.ts';
import { httpRound } from './budget.ts';

/** Credentials issued per round on the domain side (each a fresh completion, seeded before the clock starts). */
const ISSUE_PER_ROUND: Record<Scale, number> = { small: 20, province: 200 };
/** Distinct credentials the verify load cycles through. */
const VERIFY_POOL: Record<Scale, number> = { small: 20, province: 200 };

async function issueAll(db: DatabaseHandle['db'], settings: CredentialSettings, course: { courseId: string; versionId: string }, n: number, tag: string) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const completionId = await seedCompletion(db, course, await seedUser(db, `Học viên ${tag} ${i}`));
    ids.push((await issueCredentialForCompletion(db, settings, completionId)).credentialId);
  }
  return ids;
}

export const credentialsScenario: Scenario = {
  name: 'credentials.issue-verify',
  title: 'certificate issue (domain use case) and verify (public API) vs bare node:crypto Ed25519 sign+verify of the same payload',
  unit: 'credentials/s',
  better: 'higher',
  async setup(ctx) {
    const signingKey = loadSigningKey(generateSigningKeyPem());
    const settings: CredentialSettings = { signingKey, publicUrl: 'http://127.0.0.1:3000', issuerName: 'Học tập số (bench)' };

    // 1. the database the API will verify against, with credentials already issued into it
    const dir = await tempDir('credentials');
    const target: DatabaseTarget = ctx.databaseUrl
      ? { kind: 'postgres', url: await scratchPostgres(ctx.databaseUrl) }
      : { kind: 'pglite', dir: `${dir}/pglite` };
    const prepared = await openTarget(target);
    const pool = await issueAll(prepared.db, settings, await seedCredentialCourse(prepared.db, 'bench-verify'), VERIFY_POOL[ctx.scale], 'verify');
    const views = await Promise.all(pool.map((id) => getCredential(prepared.db, settings, id)));
    // PGlite has one owner: the API process takes the folder over
    await prepared.close();
    const bodies = views.map((v) => JSON.stringify({ credential: v?.jwt }));
    const payload = views[0]?.credential ?? {};
    const { server: api } = await startApiWithTarget(ctx, target, {
      // DATA_DIR: the API opens <DATA_DIR>/pglite, which must be the folder prepared above
      env: { CREDENTIAL_SIGNING_KEY: generatePemOf(signingKey), PUBLIC_URL: settings.publicUrl, RUN_WORKER: 'false', DATA_DIR: dir },
    });

    // 2. a database of its own for issuing, in this process
    const issuing = ctx.databaseUrl
      ? await openDatabase({ url: await scratchPostgres(ctx.databaseUrl), maxConnections: 4, migrate: true })
      : await openDatabase({ migrate: true });
    const course = await seedCredentialCourse(issuing.db, 'bench-issue');
    let round = 0;
    const { seconds, connections } = httpRound[ctx.scale];
    const header = { alg: 'EdDSA', typ: 'vc+jwt', cty: 'vc', kid: keyReference(settings, signingKey.kid) };

    return {
      reference: {
        label: 'bare node:crypto: encode + Ed25519 sign + verify of the same credential',
        run: async () => {
          const until = performance.now() + seconds * 1000;
          const started = performance.now();
          let done = 0;
          while (performance.now() < until) {
            const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
            const signature = sign(null, Buffer.from(input), signingKey.privateKey);
            if (!verify(null, Buffer.from(input), signingKey.publicKey, signature)) throw new Error('bare Ed25519 verify failed');
            done++;
          }
          return done / ((performance.now() - started) / 1000);
        },
      },
      subjects: [
        {
          label: `issue: domain use case (sign, insert, evidence chain), ${ISSUE_PER_ROUND[ctx.scale]} one after another`,
          run: async () => {
            round++;
            const completions: string[] = [];
            for (let i = 0; i < ISSUE_PER_ROUND[ctx.scale]; i++)
              completions.push(await seedCompletion(issuing.db, course, await seedUser(issuing.db, `Học viên ${round}.${i}`)));
            const started = performance.now();
            for (const completionId of completions) {
              const { issued } = await issueCredentialForCompletion(issuing.db, settings, completionId);
              if (!issued) throw new Error('a fresh completion was not issued a credential');
            }
            return completions.length / ((performance.now() - started) / 1000);
          },
        },
        {
          label: `verify: API POST /api/credentials/verify × ${connections} connections`,
          run: async () => {
            // a verify is a few queries: half a second on a busy machine may see none of them answered
            const result = await runLoad({
              url: `${api.origin}/api/credentials/verify`,
              method: 'POST',
              bodies,
              connections,
              seconds: Math.max(seconds, 2),
              maxRequests: 1_000_000,
            });
            if (result.ok === 0) {
              const probe = await fetch(`${api.origin}/api/credentials/verify`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: bodies[0],
              });
              throw new Error(`no verification answered 200; one answered ${probe.status}: ${(await probe.text()).slice(0, 400)}`);
            }
            return result.requestsPerSecond;
          },
        },
      ],
      notes: () => ({ verifyPool: pool.length, issuedPerRound: ISSUE_PER_ROUND[ctx.scale] }),
      close: async () => {
        await issuing.close();
      },
    };
  },
};

function generatePemOf(key: CredentialSettings['signingKey']): string {
  return key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}
