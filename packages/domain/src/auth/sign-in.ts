import type { LoginBody, TokenPair } from '@hts/contracts';
import { auditLog, queryRows, users } from '@hts/db';
import { and, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import { linkRegistryPeople } from '../registry/link-users.ts';
import type { AuthDeps, RequestContext } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { loadUserView } from '../users/user-view.ts';
import { parseLogin } from './identifiers.ts';
import { burnPasswordCheck, verifyPassword } from './passwords.ts';
import { toTokenPair } from './register-citizen.ts';
import { issueSession } from './session-tokens.ts';

// One message for unknown account and wrong password, so the answer does not say who is registered.
const invalid = () => new DomainError('invalid_credentials', 'the login or the password is wrong');

export async function signIn(deps: AuthDeps, input: LoginBody, ctx: RequestContext): Promise<TokenPair> {
  const { db } = deps;
  const login = parseLogin(input.login);
  const subjectKey = login ? `${login.kind}:${login.value}` : `raw:${input.login.trim().toLowerCase()}`;
  await enforceAccountThrottle(deps, subjectKey);

  const [user] = login
    ? await db
        .select({ id: users.id, passwordHash: users.passwordHash, status: users.status })
        .from(users)
        .where(login.kind === 'email' ? eq(users.email, login.value) : eq(users.phone, login.value))
    : [];
  let ok = false;
  if (user) ok = await verifyPassword(user.passwordHash, input.password);
  else await burnPasswordCheck(input.password);
  if (!user || !ok || user.status !== 'active') {
    await recordAudit(
      db,
      {
        action: 'auth.sign_in',
        outcome: 'failure',
        actorUserId: user?.id ?? null,
        subjectType: 'user',
        subjectId: user?.id,
        subjectKey,
        details: { reason: !user ? 'unknown_account' : !ok ? 'wrong_password' : 'disabled' },
      },
      ctx,
    );
    throw invalid();
  }
  const session = await db.transaction(async (tx) => {
    await recordAudit(tx, { action: 'auth.sign_in', outcome: 'success', actorUserId: user.id, subjectType: 'user', subjectId: user.id, subjectKey }, ctx);
    return issueSession({ ...deps, db: tx }, user.id, ctx);
  });
  await linkRegistryPeople(db, { userId: user.id, now: deps.clock.now() });
  return toTokenPair(session, await loadUserView(db, user.id));
}

/**
 * Per-account throttle, counted from the audit log so it holds across API replicas and restarts:
 * too many failures since the last success within the window → 429 until the oldest one ages out.
 * Uses the database clock on both sides, since the audit rows are stamped by it.
 */
async function enforceAccountThrottle(deps: AuthDeps, subjectKey: string): Promise<void> {
  const { maxFailures, windowSeconds } = deps.signInThrottle;
  const [row] = await queryRows<{ failures: number | string; retry_after: number | string | null }>(
    deps.db,
    sql`select count(*) as failures,
               ceil(extract(epoch from (min(${auditLog.occurredAt}) + make_interval(secs => ${windowSeconds}) - now()))) as retry_after
        from ${auditLog}
        where ${auditLog.action} = 'auth.sign_in' and ${auditLog.subjectKey} = ${subjectKey} and ${auditLog.outcome} = 'failure'
          and ${auditLog.occurredAt} > now() - make_interval(secs => ${windowSeconds})
          and ${auditLog.occurredAt} > coalesce((select max(${auditLog.occurredAt}) from ${auditLog}
              where ${and(eq(auditLog.action, 'auth.sign_in'), eq(auditLog.subjectKey, subjectKey), eq(auditLog.outcome, 'success'))}), '-infinity'::timestamptz)`,
  );
  if (Number(row?.failures ?? 0) < maxFailures) return;
  const retryAfter = Math.max(1, Number(row?.retry_after ?? windowSeconds));
  throw new DomainError('rate_limited', 'too many failed sign-ins for this account; try again later', undefined, retryAfter);
}
