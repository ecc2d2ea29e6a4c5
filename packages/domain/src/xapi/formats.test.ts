import { describe, expect, it } from 'vitest';
import { isDuration, isIri, isLanguageTag, isMailto, isSupportedVersion, isTimestamp, isUuid } from './formats.ts';

describe('xAPI data formats', () => {
  it('accepts absolute IRIs and refuses relative ones or ones with spaces', () => {
    expect(isIri('http://adlnet.gov/expapi/verbs/completed')).toBe(true);
    expect(isIri('urn:uuid:0f2c')).toBe(true);
    expect(isIri('https://hoc.bacninh.vn/khóa-học/1')).toBe(true);
    expect(isIri('verbs/completed')).toBe(false);
    expect(isIri('http://a b')).toBe(false);
  });

  it('accepts RFC 4122 UUIDs only', () => {
    expect(isUuid('8f1c3a52-1d9e-4a57-9a1b-0c1d2e3f4a5b')).toBe(true);
    expect(isUuid('8f1c3a52-1d9e-4a57-7a1b-0c1d2e3f4a5b')).toBe(false);
    expect(isUuid('not-a-uuid')).toBe(false);
  });

  it('accepts ISO 8601 timestamps with a zone and refuses the -00:00 offset', () => {
    expect(isTimestamp('2026-11-28T10:00:00.123Z')).toBe(true);
    expect(isTimestamp('2026-11-28T17:00:00+07:00')).toBe(true);
    expect(isTimestamp('2026-11-28T10:00:00-00:00')).toBe(false);
    expect(isTimestamp('2026-11-28 10:00:00')).toBe(false);
    expect(isTimestamp('2026-13-28T10:00:00Z')).toBe(false);
  });

  it('accepts ISO 8601 durations and refuses empty or unitless ones', () => {
    for (const ok of ['PT1H30M', 'P1D', 'PT0.5S', 'P2W', 'P1Y2M3DT4H5M6.7S']) expect(isDuration(ok), ok).toBe(true);
    for (const bad of ['P', 'PT', '1H', 'PT1H30', 'P1DT']) expect(isDuration(bad), bad).toBe(false);
  });

  it('checks language tags, mailto addresses and versions', () => {
    expect(isLanguageTag('vi-VN')).toBe(true);
    expect(isLanguageTag('en US')).toBe(false);
    expect(isMailto('mailto:lan@example.vn')).toBe(true);
    expect(isMailto('lan@example.vn')).toBe(false);
    expect(isSupportedVersion('1.0.3')).toBe(true);
    expect(isSupportedVersion('2.0.0')).toBe(true);
    expect(isSupportedVersion('0.95')).toBe(false);
  });
});
