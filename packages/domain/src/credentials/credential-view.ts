import { courses, credentialRevocations, credentials, type Db } from '@hts/db';
import { and, desc, eq, type SQL } from 'drizzle-orm';
import { type CredentialSettings, verifyPageUrl } from './credential-settings.ts';

export interface CredentialSummary {
  id: string;
  courseId: string;
  courseSlug: string;
  courseTitle: string;
  holderName: string;
  issuedAt: string;
  revokedAt: string | null;
  competences: Array<{ code: string; name: string }>;
  verifyUrl: string;
}

export interface CredentialView extends CredentialSummary {
  credential: Record<string, unknown>;
  jwt: string;
}

type Row = {
  id: string;
  courseId: string;
  slug: string;
  credential: Record<string, unknown>;
  jwt: string;
  issuedAt: Date;
  revokedAt: Date | null;
};

/** Read back from the signed document, so what a page shows is what the signature covers. */
function summarise(settings: Pick<CredentialSettings, 'publicUrl'>, r: Row): CredentialSummary {
  const subject = (r.credential.credentialSubject ?? {}) as {
    identifier?: Array<{ identityType?: string; identityHash?: string }>;
    achievement?: { name?: string; alignment?: Array<{ targetCode?: string; targetName?: string }> };
  };
  return {
    id: r.id,
    courseId: r.courseId,
    courseSlug: r.slug,
    courseTitle: String(subject.achievement?.name ?? r.credential.name ?? ''),
    holderName: subject.identifier?.find((i) => i.identityType === 'name')?.identityHash ?? '',
    issuedAt: r.issuedAt.toISOString(),
    revokedAt: r.revokedAt?.toISOString() ?? null,
    competences: (subject.achievement?.alignment ?? []).map((a) => ({ code: String(a.targetCode ?? ''), name: String(a.targetName ?? '') })),
    verifyUrl: verifyPageUrl(settings, r.id),
  };
}

async function select(db: Db, where: SQL | undefined) {
  return db
    .select({
      id: credentials.id,
      courseId: credentials.courseId,
      slug: courses.slug,
      credential: credentials.credential,
      jwt: credentials.jwt,
      issuedAt: credentials.issuedAt,
      revokedAt: credentialRevocations.revokedAt,
    })
    .from(credentials)
    .innerJoin(courses, eq(courses.id, credentials.courseId))
    .leftJoin(credentialRevocations, eq(credentialRevocations.credentialId, credentials.id))
    .where(where)
    .orderBy(desc(credentials.issuedAt), desc(credentials.id));
}

/** A credential as anyone holding its link may see it: no account, no contact details (none are in it). */
export async function getCredential(db: Db, settings: Pick<CredentialSettings, 'publicUrl'>, id: string): Promise<CredentialView | null> {
  const [row] = await select(db, eq(credentials.id, id));
  return row ? { ...summarise(settings, row), credential: row.credential, jwt: row.jwt } : null;
}

/** A person's certificates, newest first (their profile; an officer's drill-down to the person). */
export async function listUserCredentials(
  db: Db,
  settings: Pick<CredentialSettings, 'publicUrl'>,
  userId: string,
  courseId?: string,
): Promise<CredentialSummary[]> {
  const rows = await select(db, courseId ? and(eq(credentials.userId, userId), eq(credentials.courseId, courseId)) : eq(credentials.userId, userId));
  return rows.map((r) => summarise(settings, r));
}
