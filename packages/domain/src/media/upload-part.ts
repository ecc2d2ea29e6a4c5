import type { Readable } from 'node:stream';
import { Transform, type TransformCallback } from 'node:stream';
import type { UploadPartInfo } from '@hts/contracts';
import { uploadParts } from '@hts/db';
import type { Actor } from '../access/actor.ts';
import { DomainError, fieldError } from '../shared/errors.ts';
import type { MediaDeps } from './media-deps.ts';
import { expectedPartSize, loadOwnSession, partCountOf } from './upload-session-view.ts';

/** Counts bytes as they pass and fails the stream the moment it runs past the part's size. */
class PartMeter extends Transform {
  bytes = 0;
  overflow: DomainError | null = null;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) {
      this.overflow = fieldError('payload_too_large', '/body', `part is larger than its ${this.limit} bytes`);
      callback(this.overflow);
      return;
    }
    callback(null, chunk);
  }
}

export interface PartInput {
  partNumber: number;
  body: Readable;
  /** The Content-Length header, when the client sent one: a wrong size is refused before reading. */
  contentLength?: number;
}

/**
 * Stores one part, streamed straight into the object store. The part is acknowledged (recorded)
 * only after the store has it whole, so a dropped connection leaves the part missing, never half-kept.
 */
export async function uploadPart(deps: MediaDeps, actor: Actor, sessionId: string, input: PartInput): Promise<UploadPartInfo> {
  const { db, store, clock } = deps;
  const session = await loadOwnSession(db, actor, sessionId);
  if (session.status !== 'open') throw new DomainError('conflict', `this upload is ${session.status}`);
  if (session.expiresAt <= clock.now()) throw new DomainError('conflict', 'this upload has expired; start a new one');
  const count = partCountOf(session);
  if (input.partNumber > count) {
    throw fieldError('validation_failed', '/params/partNumber', `this upload has ${count} parts`);
  }
  const expected = expectedPartSize(session, input.partNumber);
  if (input.contentLength !== undefined && input.contentLength !== expected) {
    input.body.resume();
    const code = input.contentLength > expected ? 'payload_too_large' : 'validation_failed';
    throw fieldError(code, '/body', `part ${input.partNumber} must be exactly ${expected} bytes, got ${input.contentLength}`);
  }
  const meter = new PartMeter(expected);
  input.body.on('error', (error) => meter.destroy(error));
  let etag: string;
  try {
    ({ etag } = await store.uploadPart(session.objectKey, session.multipartUploadId, input.partNumber, input.body.pipe(meter)));
  } catch (error) {
    if (meter.overflow) throw meter.overflow;
    throw error;
  }
  if (meter.bytes !== expected) {
    throw fieldError('validation_failed', '/body', `part ${input.partNumber} must be exactly ${expected} bytes, got ${meter.bytes}`);
  }
  await db
    .insert(uploadParts)
    .values({ sessionId: session.id, partNumber: input.partNumber, etag, size: meter.bytes })
    .onConflictDoUpdate({ target: [uploadParts.sessionId, uploadParts.partNumber], set: { etag, size: meter.bytes, createdAt: clock.now() } });
  return { partNumber: input.partNumber, size: meter.bytes, etag };
}
