import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { competences, courseCompletions, courses, courseVersions, credentialIssuerKeys, credentials, type Db, users } from '@hts/db';
import { eq, inArray } from 'drizzle-orm';
import { appendEvidence } from '../evidence/append-evidence.ts';
import type { JobHandler } from '../jobs/worker-loop.ts';
import { type Clock, systemClock } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { type CredentialSettings, keyReference } from './credential-settings.ts';
import { signCompactJws } from './jws.ts';
import { buildOpenBadge } from './open-badge.ts';

export const COURSE_COMPLETED_JOB = 'course.completed';

/** Makes sure the key that signs is published (and stays, for the credentials it signed). */
export async function registerIssuerKey(db: Pick<Db, 'insert'>, settings: CredentialSettings): Promise<void> {
  await db
    .insert(credentialIssuerKeys)
    .values({ kid: settings.signingKey.kid, publicJwk: settings.signingKey.publicJwk })
    .onConflictDoNothing({ target: credentialIssuerKeys.kid });
}

/**
 * Issues the Open Badges 3.0 credential of one course completion. Idempotent: the completion has at most
 * one credential (a unique key), so a re-run or a second worker racing this one returns the credential
 * already there. The credential row and its `credential.issued` evidence entry commit together.
 */
export async function issueCredentialForCompletion(
  db: Db,
  settings: CredentialSettings,
  completionId: string,
  clock: Clock = systemClock,
): Promise<{ credentialId: string; issued: boolean }> {
  const [existing] = await db.select({ id: credentials.id }).from(credentials).where(eq(credentials.completionId, completionId));
  if (existing) return { credentialId: existing.id, issued: false };

  const [c] = await db
    .select({
      userId: courseCompletions.userId,
      courseId: courseCompletions.courseId,
      versionId: courseCompletions.versionId,
      fullName: users.fullName,
      slug: courses.slug,
      versionNumber: courseVersions.number,
      doc: courseVersions.doc,
    })
    .from(courseCompletions)
    .innerJoin(users, eq(users.id, courseCompletions.userId))
    .innerJoin(courses, eq(courses.id, courseCompletions.courseId))
    .innerJoin(courseVersions, eq(courseVersions.id, courseCompletions.versionId))
    .where(eq(courseCompletions.id, completionId));
  if (!c) throw new DomainError('not_found', `no course completion has the id ${completionId}`);

  const codes = c.doc.competences ?? [];
  const aligned = codes.length
    ? await db
        .select({ code: competences.code, framework: competences.framework, nameVi: competences.nameVi, nameEn: competences.nameEn })
        .from(competences)
        .where(inArray(competences.code, codes))
    : [];
  // the version's own order, which is the order the trainer chose
  aligned.sort((a, b) => codes.indexOf(a.code) - codes.indexOf(b.code));

  const now = clock.now();
  // timestamp(3) keeps milliseconds: the stored instant and the signed one must be the same
  const issuedAt = new Date(Math.floor(now.getTime()));
  const credentialId = randomUUID();
  const identitySalt = randomBytes(16).toString('base64url');
  const credential = buildOpenBadge(settings, {
    credentialId,
    issuedAt,
    identitySalt,
    learner: { userId: c.userId, fullName: c.fullName },
    course: { slug: c.slug, title: c.doc.title, summary: c.doc.summary ?? '', versionId: c.versionId, versionNumber: c.versionNumber },
    competences: aligned,
  });
  const { signingKey } = settings;
  const jwt = signCompactJws({ alg: 'EdDSA', typ: 'vc+jwt', cty: 'vc', kid: keyReference(settings, signingKey.kid) }, credential, signingKey.privateKey);

  return db.transaction(async (tx) => {
    await registerIssuerKey(tx, settings);
    const [row] = await tx
      .insert(credentials)
      .values({
        id: credentialId,
        completionId,
        userId: c.userId,
        courseId: c.courseId,
        versionId: c.versionId,
        kid: signingKey.kid,
        jwt,
        credential,
        identitySalt,
        issuedAt,
      })
      .onConflictDoNothing({ target: credentials.completionId })
      .returning({ id: credentials.id });
    if (!row) {
      const [other] = await tx.select({ id: credentials.id }).from(credentials).where(eq(credentials.completionId, completionId));
      return { credentialId: other?.id ?? credentialId, issued: false };
    }
    await appendEvidence(
      tx,
      [
        {
          kind: 'credential.issued',
          subjectId: credentialId,
          payload: {
            credentialId,
            completionId,
            userId: c.userId,
            courseId: c.courseId,
            versionId: c.versionId,
            kid: signingKey.kid,
            // the chain commits to the exact bytes signed, not only to the fact
            jwtSha256: createHash('sha256').update(jwt).digest('hex'),
            issuedAt: issuedAt.toISOString(),
          },
        },
      ],
      now,
    );
    return { credentialId, issued: true };
  });
}

/** The worker's side: every course completion job issues its credential. */
export function credentialJobHandlers(settings: CredentialSettings, clock: Clock = systemClock): Record<string, JobHandler> {
  return {
    [COURSE_COMPLETED_JOB]: async (job, { db }) => {
      const completionId = job.payload.completionId;
      if (typeof completionId !== 'string') throw new Error('course.completed job without a completionId');
      await issueCredentialForCompletion(db, settings, completionId, clock);
    },
  };
}
