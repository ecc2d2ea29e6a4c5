import { describe, expect, it } from 'vitest';
import { parseMediaOrigins, widenCsp } from './csp.ts';

describe('media origins in the Content-Security-Policy', () => {
  it('adds the configured origins to connect-src, media-src and img-src only', () => {
    const policy = "default-src 'self'; connect-src 'self'; media-src 'self' blob:; img-src 'self' data: https:; script-src 'self'";
    expect(widenCsp(policy, ['https://s3.example.vn', 'http://10.0.0.5:9000'])).toBe(
      "default-src 'self'; connect-src 'self' https://s3.example.vn http://10.0.0.5:9000; media-src 'self' blob: https://s3.example.vn http://10.0.0.5:9000; img-src 'self' data: https: https://s3.example.vn http://10.0.0.5:9000; script-src 'self'",
    );
  });

  it('leaves the policy alone without origins, and builds a missing directive from default-src', () => {
    expect(widenCsp("default-src 'self'", [])).toBe("default-src 'self'");
    expect(widenCsp("default-src 'self'", ['https://cdn.example.vn'])).toContain("media-src 'self' https://cdn.example.vn");
  });

  it('reads origins separated by spaces or commas and refuses anything that is not an origin', () => {
    expect(parseMediaOrigins('https://s3.example.vn, https://cdn.example.vn/')).toEqual(['https://s3.example.vn', 'https://cdn.example.vn']);
    expect(parseMediaOrigins(undefined)).toEqual([]);
    expect(() => parseMediaOrigins('https://s3.example.vn/bucket')).toThrow(/MEDIA_ORIGINS/);
    expect(() => parseMediaOrigins("https://a.vn 'unsafe-inline'")).toThrow(/MEDIA_ORIGINS/);
    expect(() => parseMediaOrigins('javascript:alert(1)')).toThrow(/MEDIA_ORIGINS/);
  });
});
