import { describe, expect, it } from 'vitest';
import { acceptedEncoding } from './accepted-encoding.ts';

describe('acceptedEncoding', () => {
  it('answers identity when the client names no encoding', () => {
    expect(acceptedEncoding(undefined)).toBeNull();
    expect(acceptedEncoding('')).toBeNull();
    expect(acceptedEncoding('identity')).toBeNull();
    expect(acceptedEncoding('deflate')).toBeNull();
  });

  it('prefers brotli to gzip when a browser accepts both, as Chrome on Android sends them', () => {
    expect(acceptedEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(acceptedEncoding('gzip, deflate')).toBe('gzip');
  });

  it('follows the weights the client gives, and a weight of 0 refuses', () => {
    expect(acceptedEncoding('br;q=0.5, gzip;q=0.8')).toBe('gzip');
    expect(acceptedEncoding('br;q=0, gzip')).toBe('gzip');
    expect(acceptedEncoding('gzip;q=0')).toBeNull();
    expect(acceptedEncoding('*;q=0')).toBeNull();
  });

  it('lets * stand for the encodings not named, and reads names case-insensitively', () => {
    expect(acceptedEncoding('*')).toBe('br');
    expect(acceptedEncoding('br;q=0, *')).toBe('gzip');
    expect(acceptedEncoding('GZIP')).toBe('gzip');
    expect(acceptedEncoding('x-gzip')).toBe('gzip');
  });

  it('treats a malformed weight as a refusal rather than failing the request', () => {
    expect(acceptedEncoding('br;q=abc, gzip;q=0.1')).toBe('gzip');
    expect(acceptedEncoding(['gzip', 'br;q=0.2'])).toBe('gzip');
  });
});
