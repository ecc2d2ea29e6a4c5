/**
 * SQL fragments for generating rows inside the database (INSERT … SELECT over generate_series): the
 * rows never cross the wire, which is what makes millions of them fast, on PGlite and PostgreSQL alike.
 * Every draw is a hash of (seed, row number, salt), so the same seed gives the same rows in any order.
 */

/** A SQL string literal. Values here come from content/ and from code, but quote them properly anyway. */
export const lit = (value: string): string => `'${value.replace(/'/g, "''")}'`;

const mask31 = 2147483647;
// One xorshift-multiply round, kept under 2^31 so the product stays inside bigint.
const mix = (x: string) => `((((${x}) # ((${x}) >> 15)) * 2246822519) & ${mask31})`;

/** A uniform draw in [0, 1) for row `n` (a bigint SQL expression); `salt` tells one column's draw from another's. */
export function uniform(n: string, seed: number, salt: number): string {
  // bigint first: an int4 row number times 40503 overflows past 53,000 rows.
  const start = `((${n})::bigint * 40503 + ${salt * 9973 + (seed % 1_000_003)}) & ${mask31}`;
  return `(${mix(mix(start))}::float8 / ${mask31 + 1})`;
}

/** A pick from `values` with the given weights (Zipf-like lists): cumulative bounds and width_bucket. */
export function weightedPick(draw: string, values: readonly string[], weights: readonly number[]): string {
  if (values.length !== weights.length || values.length === 0) throw new Error('one weight per value');
  const bounds = cumulativeBounds(weights);
  const array = `array[${values.map(lit).join(',')}]::text[]`;
  if (bounds.length === 0) return `(${array})[1]`;
  return `(${array})[width_bucket(${draw}, array[${bounds.join(',')}]::float8[]) + 1]`;
}

/** Index (0-based) picked by weight, as an integer expression: for weekdays and hours. */
export function weightedIndex(draw: string, weights: readonly number[]): string {
  return `width_bucket(${draw}, array[${cumulativeBounds(weights).join(',')}]::float8[])`;
}

/** The upper bounds of all buckets but the last, as fractions of the total weight. */
function cumulativeBounds(weights: readonly number[]): number[] {
  const total = weights.reduce((a, w) => a + w, 0);
  let acc = 0;
  return weights.slice(0, -1).map((w) => {
    acc += w / total;
    return Number(acc.toFixed(6));
  });
}

/** Weights 1/rank^s: "most people in few courses", most names among few family names. */
export const zipfWeights = (count: number, s = 1): number[] => Array.from({ length: count }, (_, i) => 1 / (i + 1) ** s);

/**
 * Deterministic ids: kind (4 hex digits: which table), seed and row number. Later steps can point at
 * citizen number n without a join, e.g. enrolments of `syntheticIdSql(KIND.user, seed, 'n')`.
 */
export const KIND = {
  user: 1,
  userRole: 2,
  audit: 3,
  signInAudit: 4,
  course: 5,
  courseVersion: 6,
  registryPerson: 7,
  village: 8,
  community: 9,
  household: 10,
  clan: 11,
  unit: 12,
  khuyenHocBranch: 13,
  khuyenHocMember: 14,
  householdMembership: 15,
  clanMembership: 16,
  communityMembership: 17,
  unitMembership: 18,
  personTitle: 19,
  digitalSkill: 20,
  householdTitle: 21,
  clanTitle: 22,
  communityTitle: 23,
  unitTitle: 24,
  enrolment: 25,
  completion: 26,
  credential: 27,
} as const;

export function syntheticIdSql(kind: number, seed: number, n: string): string {
  const prefix = `${(seed >>> 0).toString(16).padStart(8, '0')}-${kind.toString(16).padStart(4, '0')}-4000-8000-`;
  return `(${lit(prefix)} || lpad(to_hex(${n}), 12, '0'))::uuid`;
}

export function syntheticId(kind: number, seed: number, n: number): string {
  return `${(seed >>> 0).toString(16).padStart(8, '0')}-${kind.toString(16).padStart(4, '0')}-4000-8000-${n.toString(16).padStart(12, '0')}`;
}
