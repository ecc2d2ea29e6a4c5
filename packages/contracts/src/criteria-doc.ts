/**
 * A "Công dân học tập" criteria set or the "có kỹ năng số" rule as versioned data (content/criteria/<code>/<version>.yaml).
 * Stored whole as the definition of a criteria_set_versions row; scoring reads only this, never constants in code.
 */

/** What can satisfy a criterion. */
export type CriterionEvidence =
  /** Completed courses on the platform; with `competences`, only courses mapped to at least one of them count. */
  | { kind: 'course-completion'; competences: string[]; minCount: number }
  /** A credential (certificate) on the platform, optionally aligned to one of `competences`. */
  | { kind: 'credential'; competences: string[] }
  /** A live "có kỹ năng số" confirmation. */
  | { kind: 'digital-skill' }
  /** The citizen declares it, with an attachment that is optional, required or not offered. */
  | { kind: 'declared'; attachment: 'none' | 'optional' | 'required' }
  /** The Hội Khuyến học branch attests it when it reviews the assessment. */
  | { kind: 'attestation'; by: 'branch' };

export type CriterionEvidenceKind = CriterionEvidence['kind'];

export interface CriterionDef {
  /** Stable within a set, e.g. "5". */
  id: string;
  title: string;
  hint: string | null;
  points: number;
  assumption: boolean;
  note: string | null;
  evidence: CriterionEvidence[];
}

export interface CriteriaGroupDef {
  code: string;
  name: string;
  criteria: CriterionDef[];
}

export interface ClassificationDef {
  code: string;
  name: string;
  minPoints: number;
}

export interface CriteriaSetDef {
  kind: 'criteria-set';
  code: string;
  version: string;
  title: string;
  targetGroup: string;
  /** Used for target groups that have no set of their own. */
  default: boolean;
  years: { from: number; to: number };
  source: string;
  sourceUrls: string[];
  totalPoints: number;
  pass: {
    points: number;
    /** Remote, ethnic-minority and especially disadvantaged areas. */
    disadvantagedAreaPoints: number;
    /** No criterion may score below this. */
    minCriterionPoints: number;
  };
  /** Levels of a passing result, highest first is not required: the highest minPoints reached wins. */
  classifications: ClassificationDef[];
  failClassification: { code: string; name: string };
  groups: CriteriaGroupDef[];
}

export interface DigitalSkillRuleDef {
  kind: 'digital-skill-rule';
  code: string;
  version: string;
  title: string;
  years: { from: number; to: number };
  source: string;
  sourceUrls: string[];
  assumption: boolean;
  note: string | null;
  rule: {
    /** Every one must be covered by the union of the competences of the counted completed courses. */
    competences: string[];
    /** Course slugs that must all be completed (and counted). */
    courses: string[];
    /** A completed course with quizzes counts only when the best attempt of each quiz reaches this percent. */
    testPassPercent: number;
  };
}

export type CriteriaDoc = CriteriaSetDef | DigitalSkillRuleDef;

/** `<code>@<version>`, the id of a criteria_set_versions row. */
export const criteriaVersionId = (doc: { code: string; version: string }): string => `${doc.code}@${doc.version}`;
