import { courses, credentialRevocations, credentials, type Db } from '@hts/db';
import { eq } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { appendEvidence } from '../evidence/append-evidence.ts';
import { type Clock, type RequestContext, systemClock } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';

/**
 * An admin, or the trainer who owns the course, revokes a credential with a reason. The credential row
 * stays as issued; the revocation is a row of its own and a `credential.revoked` entry in the evidence
 * chain, in one transaction. A credential is revoked once: a second revoke is a conflict.
 */
export async function revokeCredential(
  db: Db,
  actor: Actor,
  credentialId: string,
  reason: string,
  clock: Clock = systemClock,
  ctx: RequestContext = {},
): Promise<{ revokedAt: string }> {
  const text = reason.normalize('NFC').trim();
  if (text.length < 3) throw new DomainError('validation_failed', 'give a reason', [{ field: '/body/reason', message: 'say why, in at least 3 characters' }]);
  const [row] = await db
    .select({ id: credentials.id, userId: credentials.userId, courseId: credentials.courseId, ownerId: courses.ownerId })
    .from(credentials)
    .innerJoin(courses, eq(courses.id, credentials.courseId))
    .where(eq(credentials.id, credentialId));
  if (!row) throw new DomainError('not_found', 'no credential has this id', [{ field: '/params/id', message: 'no credential has this id' }]);
  if (!actor.roles.has('admin') && !(actor.roles.has('trainer') && row.ownerId === actor.userId)) {
    await recordAudit(
      db,
      { action: 'auth.permission_denied', outcome: 'denied', actorUserId: actor.userId, subjectType: 'credential', subjectId: row.id },
      ctx,
    );
    throw new DomainError('forbidden', "only an admin or the course's trainer can revoke its credentials");
  }
  const now = clock.now();
  const revokedAt = new Date(Math.floor(now.getTime()));
  return db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(credentialRevocations)
      .values({ credentialId: row.id, reason: text, revokedBy: actor.userId, revokedAt })
      .onConflictDoNothing({ target: credentialRevocations.credentialId })
      .returning({ id: credentialRevocations.id });
    if (!inserted) throw new DomainError('conflict', 'this credential is already revoked');
    await appendEvidence(
      tx,
      [
        {
          kind: 'credential.revoked',
          subjectId: row.id,
          payload: {
            credentialId: row.id,
            userId: row.userId,
            courseId: row.courseId,
            reason: text,
            revokedBy: actor.userId,
            revokedAt: revokedAt.toISOString(),
          },
        },
      ],
      now,
    );
    await recordAudit(
      tx,
      { action: 'credential.revoke', outcome: 'success', actorUserId: actor.userId, subjectType: 'credential', subjectId: row.id, details: { reason: text } },
      ctx,
    );
    return { revokedAt: revokedAt.toISOString() };
  });
}
