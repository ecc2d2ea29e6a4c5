import { auditLog, type Db } from '@hts/db';
import type { RequestContext } from '../shared/deps.ts';

export type AuditAction =
  | 'auth.register'
  | 'auth.sign_in'
  | 'auth.refresh'
  | 'auth.refresh_reuse'
  | 'auth.sign_out'
  | 'auth.permission_denied'
  | 'user.create'
  | 'user.roles_change'
  | 'course.owner_change'
  | 'assessment.submit'
  | 'assessment.confirm'
  | 'assessment.return'
  | 'assessment.read'
  | 'title.approve'
  | 'title.revoke'
  | 'assessment.attest'
  | 'collective_title.award'
  | 'collective_title.revoke'
  | 'digital_skill.confirm'
  | 'course.bulk_enrol'
  | 'registry.import'
  | 'personal_data.read'
  | 'credential.revoke';

export interface AuditEntry {
  action: AuditAction;
  outcome: 'success' | 'failure' | 'denied';
  actorUserId?: string | null;
  subjectType?: string;
  subjectId?: string;
  subjectKey?: string;
  details?: Record<string, unknown>;
}

export async function recordAudit(db: Pick<Db, 'insert'>, entry: AuditEntry, ctx: RequestContext = {}): Promise<void> {
  await db.insert(auditLog).values({
    action: entry.action,
    outcome: entry.outcome,
    actorUserId: entry.actorUserId ?? null,
    subjectType: entry.subjectType ?? null,
    subjectId: entry.subjectId ?? null,
    subjectKey: entry.subjectKey ?? null,
    details: entry.details ?? null,
    ip: ctx.ip ?? null,
    userAgent: ctx.userAgent?.slice(0, 400) ?? null,
  });
}
