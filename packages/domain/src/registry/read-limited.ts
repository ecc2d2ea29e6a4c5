import type { Readable } from 'node:stream';
import { fieldError } from '../shared/errors.ts';

/** Reads a request body whole, refusing it with 413 the moment it runs past `limit` bytes. */
export async function readLimited(body: Readable, limit: number, declaredLength?: number): Promise<Buffer> {
  if (declaredLength !== undefined && declaredLength > limit) {
    body.resume();
    throw fieldError('payload_too_large', '/body', `the file is larger than ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buf.length;
    if (size > limit) {
      body.destroy();
      throw fieldError('payload_too_large', '/body', `the file is larger than ${limit} bytes`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
