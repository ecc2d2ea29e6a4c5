import { describe, expect, it } from 'vitest';
import { assertValidKey, childKey, isValidKey, isValidSegment, keyParent, keySegments, normalizePrefix, objectKey } from './keys.ts';
import { StorageError } from './object-store.ts';

function invalidKeyError(run: () => unknown): StorageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).code).toBe('invalid_key');
    return error as StorageError;
  }
  throw new Error('expected invalid_key');
}

describe('objectKey', () => {
  it('joins safe segments with slashes', () => {
    expect(objectKey('courses', 'c-42', 'v3', 'lesson_1.mp4')).toBe('courses/c-42/v3/lesson_1.mp4');
    expect(objectKey('a')).toBe('a');
    expect(objectKey('-dash-first', '_under', 'x.y.z')).toBe('-dash-first/_under/x.y.z');
  });

  it('rejects a segment that climbs out of the folder', () => {
    invalidKeyError(() => objectKey('..'));
    invalidKeyError(() => objectKey('courses', '..', 'secret'));
    invalidKeyError(() => objectKey('a..b'));
  });

  it('rejects a segment with a leading dot', () => {
    invalidKeyError(() => objectKey('.env'));
    invalidKeyError(() => objectKey('a', '.'));
  });

  it('rejects slashes and backslashes inside a segment', () => {
    invalidKeyError(() => objectKey('a/b'));
    invalidKeyError(() => objectKey('/etc'));
    invalidKeyError(() => objectKey('a\\b'));
  });

  it('rejects empty, spaced, non-ASCII and control characters', () => {
    invalidKeyError(() => objectKey());
    invalidKeyError(() => objectKey(''));
    invalidKeyError(() => objectKey('a b'));
    invalidKeyError(() => objectKey('bài-học'));
    invalidKeyError(() => objectKey('a\0'));
    invalidKeyError(() => objectKey('a\n'));
    invalidKeyError(() => objectKey('%2e%2e'));
  });

  it('rejects values that are not strings', () => {
    invalidKeyError(() => objectKey(42 as unknown as string));
    invalidKeyError(() => objectKey(undefined as unknown as string));
  });

  it('rejects a segment longer than 255 characters and a key longer than 1024', () => {
    expect(objectKey('x'.repeat(255))).toHaveLength(255);
    invalidKeyError(() => objectKey('x'.repeat(256)));
    const long = Array.from({ length: 5 }, () => 'y'.repeat(250));
    invalidKeyError(() => objectKey(...long));
  });

  it('does not echo a huge bad segment back in full', () => {
    const error = invalidKeyError(() => objectKey(`../${'z'.repeat(5000)}`));
    expect(error.message.length).toBeLessThan(200);
  });
});

describe('childKey', () => {
  it('extends a valid key or prefix with safe segments', () => {
    expect(childKey('courses/c-1', 'v2', 'a.mp4')).toBe('courses/c-1/v2/a.mp4');
    expect(childKey('courses/c-1/', 'a')).toBe('courses/c-1/a');
  });

  it('rejects an unsafe parent or segment', () => {
    invalidKeyError(() => childKey('../x', 'a'));
    invalidKeyError(() => childKey('', 'a'));
    invalidKeyError(() => childKey('ok', '..'));
    invalidKeyError(() => childKey('ok', 'a/b'));
  });
});

describe('key validation', () => {
  it('accepts exactly the keys objectKey can build', () => {
    expect(isValidKey('a/b/c.txt')).toBe(true);
    for (const bad of ['', '/a', 'a/', 'a//b', '../a', 'a/./b', 'a/.b', 'a\\b', 'a?b', 'a#b', 'a%b', 'a:b']) {
      expect(isValidKey(bad), bad).toBe(false);
    }
    expect(isValidKey(undefined)).toBe(false);
    expect(isValidSegment('ok')).toBe(true);
    expect(() => assertValidKey('a/../b')).toThrow(StorageError);
    expect(keySegments('a/b')).toEqual(['a', 'b']);
  });

  it('rejects a key of more than 64 segments', () => {
    expect(isValidKey(Array.from({ length: 64 }, () => 'a').join('/'))).toBe(true);
    expect(isValidKey(Array.from({ length: 65 }, () => 'a').join('/'))).toBe(false);
  });
});

describe('normalizePrefix', () => {
  it('turns a prefix into folder form so it matches whole segments', () => {
    expect(normalizePrefix('users/12', { allowEmpty: false })).toBe('users/12/');
    expect(normalizePrefix('users/12/', { allowEmpty: false })).toBe('users/12/');
    expect(normalizePrefix('', { allowEmpty: true })).toBe('');
  });

  it('rejects an empty prefix where everything would match', () => {
    invalidKeyError(() => normalizePrefix('', { allowEmpty: false }));
    invalidKeyError(() => normalizePrefix('/', { allowEmpty: true }));
  });

  it('rejects a prefix that climbs out of the folder', () => {
    invalidKeyError(() => normalizePrefix('../', { allowEmpty: true }));
    invalidKeyError(() => normalizePrefix('a//', { allowEmpty: true }));
  });
});

describe('keyParent', () => {
  it('gives the folder of a key and refuses a key without one', async () => {
    expect(keyParent('media/a/hls-1/360p/index.m3u8')).toBe('media/a/hls-1/360p');
    expect(() => keyParent('single')).toThrow();
  });
});
