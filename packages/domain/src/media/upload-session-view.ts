import type { UploadSession } from '@hts/contracts';
import { type Db, type UploadSessionRow, uploadParts, uploadSessions } from '@hts/db';
import { asc, eq } from 'drizzle-orm';
import { type Actor, hasAnyRole } from '../access/actor.ts';
import { DomainError } from '../shared/errors.ts';

export function partCountOf(session: Pick<UploadSessionRow, 'expectedSize' | 'partSize'>): number {
  return Math.max(1, Math.ceil(session.expectedSize / session.partSize));
}

/** Every part has exactly partSize bytes except the last, which has the rest. */
export function expectedPartSize(session: Pick<UploadSessionRow, 'expectedSize' | 'partSize'>, partNumber: number): number {
  const count = partCountOf(session);
  return partNumber < count ? session.partSize : session.expectedSize - session.partSize * (count - 1);
}

export async function loadOwnSession(db: Db, actor: Actor, sessionId: string): Promise<UploadSessionRow> {
  const [row] = await db.select().from(uploadSessions).where(eq(uploadSessions.id, sessionId));
  if (!row || (row.ownerId !== actor.userId && !hasAnyRole(actor, ['admin']))) {
    throw new DomainError('not_found', 'no upload has this id', [{ field: '/params/sessionId', message: 'no upload has this id' }]);
  }
  return row;
}

export async function uploadSessionView(db: Db, session: UploadSessionRow): Promise<UploadSession> {
  const parts = await db
    .select({ partNumber: uploadParts.partNumber, size: uploadParts.size, etag: uploadParts.etag })
    .from(uploadParts)
    .where(eq(uploadParts.sessionId, session.id))
    .orderBy(asc(uploadParts.partNumber));
  const count = partCountOf(session);
  const received = new Set(parts.map((p) => p.partNumber));
  let nextPart: number | null = null;
  for (let n = 1; n <= count; n++) {
    if (!received.has(n)) {
      nextPart = n;
      break;
    }
  }
  return {
    id: session.id,
    assetId: session.assetId,
    status: session.status,
    expectedSize: session.expectedSize,
    partSize: session.partSize,
    partCount: count,
    receivedParts: parts,
    nextPart,
    expiresAt: session.expiresAt.toISOString(),
  };
}
