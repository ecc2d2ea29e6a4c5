import type { CollectiveRequirement, CollectiveRuleDoc } from '@hts/contracts';

/** What the evaluation needs to know of one member: read from the registry and the person's title awards. */
export interface MemberStatus {
  personId: string;
  fullName: string;
  birthYear: number | null;
  role: 'head' | 'member';
  /** Holds the rule's person title (e.g. "Công dân học tập") for the year evaluated. */
  hasTitle: boolean;
}

export interface HouseholdStatus {
  householdId: string;
  name: string;
  /** Holds the rule's family title for the year evaluated. */
  hasTitle: boolean;
}

export interface CollectiveInput {
  year: number;
  members: MemberStatus[];
  /** For clans and communities: their households. */
  households?: HouseholdStatus[];
}

export interface RequirementResult {
  code: string;
  label: string;
  passed: boolean;
  assumption: boolean;
  /** Counted: holders among those counted (members or households). */
  count: number;
  total: number;
  /** The number the requirement asks for, given `total`. */
  needed: number;
}

export interface MissingItem {
  requirement: string;
  label: string;
  /** How many more members or households must hold the title. */
  short: number;
  /** Who or which households do not hold it yet (the candidates to close the gap). */
  people: Array<{ personId: string; fullName: string }>;
  households: Array<{ householdId: string; name: string }>;
}

export interface CollectiveEvaluation {
  ruleId: string;
  year: number;
  passed: boolean;
  requirements: RequirementResult[];
  missing: MissingItem[];
}

/** Holders needed so that holders / total ≥ share, and at least minCount. Exact for shares written as decimals. */
export function neededFor(total: number, share: number, minCount: number): number {
  return Math.max(minCount, Math.ceil(Math.round(total * share * 1e6) / 1e6));
}

/**
 * Checks one collective against one version of its rule. Pure: the caller reads the members' statuses;
 * the answer says pass or fail and, for each unmet requirement, who or what is missing.
 */
export function evaluateCollective(rule: CollectiveRuleDoc, input: CollectiveInput): CollectiveEvaluation {
  const requirements: RequirementResult[] = [];
  const missing: MissingItem[] = [];
  for (const req of rule.requirements) {
    const { result, miss } = evaluateRequirement(req, input);
    requirements.push(result);
    if (miss) missing.push(miss);
  }
  return { ruleId: rule.id, year: input.year, passed: requirements.every((r) => r.passed), requirements, missing };
}

function evaluateRequirement(req: CollectiveRequirement, input: CollectiveInput): { result: RequirementResult; miss: MissingItem | null } {
  const base = { code: req.code, label: req.label, assumption: req.assumption };
  const missItem = (short: number, people: MemberStatus[], households: HouseholdStatus[]): MissingItem => ({
    requirement: req.code,
    label: req.label,
    short,
    people: people.map((p) => ({ personId: p.personId, fullName: p.fullName })),
    households: households.map((h) => ({ householdId: h.householdId, name: h.name })),
  });

  if (req.type === 'members-with-title') {
    const ageFrom = req.ageFrom;
    // A member of unknown age counts: the registry has a birth year for everyone it imports.
    const counted = input.members.filter((m) => ageFrom === null || m.birthYear === null || input.year - m.birthYear >= ageFrom);
    const count = counted.filter((m) => m.hasTitle).length;
    const needed = neededFor(counted.length, req.minShare, req.minCount);
    const passed = count >= needed;
    return {
      result: { ...base, passed, count, total: counted.length, needed },
      miss: passed
        ? null
        : missItem(
            needed - count,
            counted.filter((m) => !m.hasTitle),
            [],
          ),
    };
  }
  if (req.type === 'head-with-title') {
    const heads = input.members.filter((m) => m.role === 'head');
    const count = heads.filter((m) => m.hasTitle).length;
    const passed = heads.length > 0 && count === heads.length;
    return {
      result: { ...base, passed, count, total: heads.length, needed: Math.max(1, heads.length) },
      miss: passed
        ? null
        : missItem(
            Math.max(1, heads.length - count),
            heads.filter((m) => !m.hasTitle),
            [],
          ),
    };
  }
  const households = input.households ?? [];
  const count = households.filter((h) => h.hasTitle).length;
  const needed = neededFor(households.length, req.minShare, req.minCount);
  const passed = count >= needed;
  return {
    result: { ...base, passed, count, total: households.length, needed },
    miss: passed
      ? null
      : missItem(
          needed - count,
          [],
          households.filter((h) => !h.hasTitle),
        ),
  };
}

/** The version of a subject's rule that applies to a year: the latest whose years cover it. */
export function ruleFor<R extends { subject: string; version: string; years: { from: number; to: number } }>(
  rules: R[],
  subject: string,
  year: number,
): R | null {
  const fitting = rules.filter((r) => r.subject === subject && r.years.from <= year && year <= r.years.to);
  fitting.sort((a, b) => b.version.localeCompare(a.version, 'en', { numeric: true }));
  return fitting[0] ?? null;
}
