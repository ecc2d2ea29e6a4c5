/** The data formats of xAPI 1.0.3 Part Two §4 (IRIs, UUIDs, language tags, ISO 8601 timestamps and durations). */

// An absolute IRI: a scheme, a colon, and no whitespace. RFC 3987 allows non-ASCII, so no ASCII check.
const iriPattern = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/;
export const isIri = (v: unknown): v is string => typeof v === 'string' && iriPattern.test(v);

/** An IRL: an IRI that can be dereferenced (http or https). */
export const isIrl = (v: unknown): v is string => isIri(v) && /^https?:\/\//i.test(v);

// RFC 4122 variant: the 17th hex digit is 8, 9, a or b.
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && uuidPattern.test(v);

// RFC 5646 in the shape clients use: language, optional extlang/script/region/variant subtags.
const languageTagPattern = /^(?:[A-Za-z]{2,8}|x)(?:-[A-Za-z0-9]{1,8})*$/;
export const isLanguageTag = (v: unknown): v is string => typeof v === 'string' && languageTagPattern.test(v);

const timestampPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)$/;
/** ISO 8601 date and time with a zone; the spec forbids the "unknown offset" forms -00:00, -0000, -00. */
export function isTimestamp(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const m = timestampPattern.exec(v);
  if (!m) return false;
  if (/^-00(:?00)?$/.test(m[8] as string)) return false;
  return !Number.isNaN(Date.parse(v));
}

const n = String.raw`\d+(?:[.,]\d+)?`;
const durationPattern = new RegExp(`^P(?:${n}W|(?=\\d|T\\d)(?:${n}Y)?(?:${n}M)?(?:${n}D)?(?:T(?=\\d)(?:${n}H)?(?:${n}M)?(?:${n}S)?)?)$`);
export const isDuration = (v: unknown): v is string => typeof v === 'string' && durationPattern.test(v);

/** `mailto:` followed by one address. */
export const isMailto = (v: unknown): v is string => typeof v === 'string' && /^mailto:[^@\s:/]+@[^@\s/]+\.[^@\s/]+$/i.test(v);

export const isSha1Hex = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{40}$/i.test(v);

/** 1.0.x and 2.0.x are the versions this LRS speaks; others are rejected. */
export const isSupportedVersion = (v: unknown): v is string => typeof v === 'string' && /^(?:1\.0|2\.0)(?:\.\d+)?$/.test(v);

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
