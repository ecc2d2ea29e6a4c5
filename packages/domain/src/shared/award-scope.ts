import type { Db } from '@hts/db';
import { type Actor, coversCommune } from '../access/actor.ts';
import { type AuditAction, recordAudit } from '../audit/record-audit.ts';
import type { RequestContext } from './deps.ts';
import { DomainError } from './errors.ts';

/**
 * A title award (a person's or a collective's) is changed only by an officer of the commune it was awarded in,
 * or an admin: anyone else gets 403, and the refusal is audited under the action they attempted.
 */
export async function requireAwardInScope(
  deps: { db: Db; ctx?: RequestContext | undefined },
  actor: Actor,
  award: { id: string; communeId: string; action: AuditAction; subjectType: string },
): Promise<void> {
  if (actor.roles.has('admin') || coversCommune(actor, ['officer'], award.communeId)) return;
  await recordAudit(
    deps.db,
    { action: award.action, outcome: 'denied', actorUserId: actor.userId, subjectType: award.subjectType, subjectId: award.id },
    deps.ctx,
  );
  throw new DomainError('forbidden', 'this title was awarded outside your commune');
}
