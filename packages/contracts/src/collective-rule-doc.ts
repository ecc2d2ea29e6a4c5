/**
 * A collective title rule ("Gia đình học tập", "Dòng họ học tập", "Cộng đồng học tập", "Đơn vị học tập") as
 * versioned data: content/criteria/collective/<code>/<version>.yaml. The evaluation reads only this.
 */

export type CollectiveSubject = 'household' | 'clan' | 'community' | 'unit';
export const collectiveSubjects: readonly CollectiveSubject[] = ['household', 'clan', 'community', 'unit'];

/** What a requirement counts. */
export type CollectiveRequirementDef =
  /** Among members (of at least `ageFrom` years in the year evaluated), at least `minShare` hold the person title, and at least `minCount`. */
  | { type: 'members-with-title'; minShare: number; minCount: number; ageFrom: number | null }
  /** The head of the collective holds the person title. */
  | { type: 'head-with-title' }
  /** Among the households of the collective (clan, community), at least `minShare` hold the family title. */
  | { type: 'households-with-title'; minShare: number; minCount: number };

export type CollectiveRequirementType = CollectiveRequirementDef['type'];
export const collectiveRequirementTypes: readonly CollectiveRequirementType[] = ['members-with-title', 'head-with-title', 'households-with-title'];

export type CollectiveRequirement = CollectiveRequirementDef & {
  /** Stable within a rule, e.g. "ty-le-cdht". */
  code: string;
  label: string;
  source: string;
  assumption: boolean;
  note: string | null;
};

export interface CollectiveRuleDoc {
  kind: 'collective-title-rule';
  code: string;
  version: string;
  /** `<code>@<version>`: what an award records. */
  id: string;
  title: string;
  subject: CollectiveSubject;
  years: { from: number; to: number };
  /** Code of the person title members must hold (the criteria issue's `cong-dan-hoc-tap`). */
  personTitle: string;
  /** For households-with-title: the family title code. */
  familyTitle: string | null;
  source: string;
  requirements: CollectiveRequirement[];
}
