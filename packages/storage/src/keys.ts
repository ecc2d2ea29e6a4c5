import { StorageError } from './object-store.ts';

/**
 * Object keys are built here from checked segments, never taken raw from user input.
 *
 * A segment is 1..255 characters of ASCII letters, digits, `-`, `_` and `.`; it does not start with
 * a dot and never contains `..`. A key is 1..64 segments joined by `/`, at most 1024 characters.
 * Keys of this shape mean the same thing on S3 and on a local disk (no encoding, no traversal,
 * no hidden files), and need no escaping in a URL.
 */
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
export const MAX_SEGMENT_LENGTH = 255;
export const MAX_KEY_LENGTH = 1024;
export const MAX_SEGMENTS = 64;

export function isValidSegment(segment: unknown): segment is string {
  return typeof segment === 'string' && segment.length > 0 && segment.length <= MAX_SEGMENT_LENGTH && SEGMENT.test(segment) && !segment.includes('..');
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/** Builds a key from segments; throws `StorageError('invalid_key')` when any segment is unsafe. */
export function objectKey(...segments: string[]): string {
  if (segments.length === 0) throw new StorageError('invalid_key', 'a key needs at least one segment');
  for (const segment of segments) {
    if (!isValidSegment(segment)) throw new StorageError('invalid_key', `unsafe key segment ${describe(segment)}`);
  }
  return assertValidKey(segments.join('/'));
}

/** A key below an existing key or prefix: `childKey('courses/c-1', 'v2', 'a.mp4')`. Validates both parts. */
export function childKey(parent: string, ...segments: string[]): string {
  const base = assertValidKey(typeof parent === 'string' && parent.endsWith('/') ? parent.slice(0, -1) : parent);
  return objectKey(...base.split('/'), ...segments);
}

export function isValidKey(key: unknown): key is string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) return false;
  const segments = key.split('/');
  return segments.length <= MAX_SEGMENTS && segments.every(isValidSegment);
}

/** The validator every store method runs on its key. Returns the key unchanged. */
export function assertValidKey(key: unknown): string {
  if (!isValidKey(key)) throw new StorageError('invalid_key', `invalid object key ${describe(key)}`);
  return key;
}

/**
 * Validates a prefix and returns it in folder form: `''` (everything) or `a/b/` for `a/b` or `a/b/`.
 * A prefix matches whole segments only, so `users/12` never reaches `users/123/...`.
 */
export function normalizePrefix(prefix: unknown, { allowEmpty }: { allowEmpty: boolean }): string {
  if (prefix === '' && allowEmpty) return '';
  const trimmed = typeof prefix === 'string' && prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (!isValidKey(trimmed)) throw new StorageError('invalid_key', `invalid key prefix ${describe(prefix)}`);
  return `${trimmed}/`;
}

/** The segments of a valid key. */
export function keySegments(key: string): string[] {
  return assertValidKey(key).split('/');
}

/** The folder a key sits in: `keyParent('a/b/c.ts')` is `a/b`. Throws for a key with one segment. */
export function keyParent(key: string): string {
  const segments = keySegments(key);
  if (segments.length < 2) throw new StorageError('invalid_key', `key ${key} has no parent folder`);
  return segments.slice(0, -1).join('/');
}
