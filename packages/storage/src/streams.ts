import { Readable } from 'node:stream';
import { StorageError } from './object-store.ts';

/** A body as a stream; a Buffer becomes a one-chunk stream. */
export function toReadable(body: Buffer | Readable): Readable {
  if (Buffer.isBuffer(body)) return Readable.from([body]);
  if (body instanceof Readable) return body;
  throw new StorageError('invalid_argument', 'body must be a Buffer or a Readable stream');
}

/** Reads a whole stream into memory, failing with `invalid_argument` past `limit` bytes. */
export async function readAll(stream: Readable, limit = Number.POSITIVE_INFINITY): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    total += buffer.length;
    if (total > limit) {
      stream.destroy();
      throw new StorageError('invalid_argument', `body is larger than ${limit} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, total);
}

/**
 * Splits a stream into Buffers of exactly `size` bytes (the last one may be shorter, and is
 * empty only when the whole stream is). Holds at most one chunk plus one incoming piece in memory.
 */
export async function* chunked(stream: Readable, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let yielded = false;
  for await (const piece of stream) {
    let buffer = Buffer.isBuffer(piece) ? piece : Buffer.from(piece as string);
    while (pendingBytes + buffer.length >= size) {
      const take = size - pendingBytes;
      pending.push(buffer.subarray(0, take));
      buffer = buffer.subarray(take);
      yield Buffer.concat(pending, size);
      yielded = true;
      pending = [];
      pendingBytes = 0;
    }
    if (buffer.length > 0) {
      pending.push(buffer);
      pendingBytes += buffer.length;
    }
  }
  if (pendingBytes > 0 || !yielded) yield Buffer.concat(pending, pendingBytes);
}

export function sizeMismatch(expected: number, actual: number): StorageError {
  return new StorageError('invalid_argument', `body is ${actual} bytes but size said ${expected}`);
}
