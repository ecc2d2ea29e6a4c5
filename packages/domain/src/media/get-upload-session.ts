import type { UploadSession } from '@hts/contracts';
import type { Actor } from '../access/actor.ts';
import type { MediaDeps } from './media-deps.ts';
import { loadOwnSession, uploadSessionView } from './upload-session-view.ts';

/** The parts received so far; a client that lost its connection resumes from `nextPart`. */
export async function getUploadSession(deps: Pick<MediaDeps, 'db'>, actor: Actor, sessionId: string): Promise<UploadSession> {
  return uploadSessionView(deps.db, await loadOwnSession(deps.db, actor, sessionId));
}
