/**
 * An indicator definition as it is stored in content/indicators/*.yaml, validated by packages/content and
 * read by the rollups (packages/domain/src/indicators). The vocabulary below is closed on purpose: every
 * population and condition has one SQL meaning in the rollup, so a definition is data, never code.
 */

/** Who is counted in the denominator (and, filtered by the condition, in the numerator). */
export type IndicatorPopulationKind =
  /** registry people with a Hội Khuyến học membership (cadres and members) */
  | 'khuyen-hoc-members'
  /** registry people aged `minAge`+ who are current members of a household, clan or community */
  | 'adults-in-collectives'
  /** registry people who are current members of a learning unit (optionally of `unitKinds`) */
  | 'unit-staff'
  /** people (accounts) holding a live "Công dân học tập" title for the year */
  | 'title-holders'
  /** registry people, optionally filtered by `targetGroups`, `minAge` */
  | 'registered-people'
  /** collectives registered in the commune */
  | 'households'
  | 'clans'
  | 'communities'
  | 'units';

/** What makes a member of the population count in the numerator. */
export type IndicatorConditionKind =
  /** the person's account completed a course in the year (any course, or one of `courses`) */
  | 'trained'
  /** the person holds a live person title for the year */
  | 'person-title'
  /** the person holds a live digital-skill confirmation made by the end of the year */
  | 'digital-skills'
  /** the collective holds a live collective title `title` for the year */
  | 'collective-title'
  /** the unit has members and at least `threshold` % of its current members hold the person title */
  | 'unit-gate';

export type IndicatorSubject = 'person' | 'household' | 'clan' | 'community' | 'unit';

export interface IndicatorPopulation {
  kind: IndicatorPopulationKind;
  /** Target group codes (content/target-groups.yaml); empty = every group. */
  targetGroups: string[];
  /** Age reached during the year (year − birth year ≥ minAge); people without a birth year count as adults. */
  minAge: number | null;
  /** For unit-staff / units: unit kinds (agency, enterprise, school, armed_forces); empty = every kind. */
  unitKinds: string[];
}

export interface IndicatorCondition {
  kind: IndicatorConditionKind;
  /** Person title code for person-title (default cong-dan-hoc-tap); collective title code for collective-title. */
  title: string | null;
  /** unit-gate: the share (percent) of members holding the title. */
  threshold: number | null;
  /** trained: course slugs that count; empty = any course. */
  courses: string[];
}

export interface IndicatorTarget {
  year: number;
  /** Percent, 0–100. */
  value: number;
  /** Who set it: `province` (Bắc Ninh's plan) or `national` (QĐ 677/QĐ-TTg). */
  level: 'province' | 'national';
  source: string;
  /** Set when the figure or its reading is not confirmed from the text. */
  assumption: string | null;
}

export interface IndicatorDefinition {
  id: string;
  version: string;
  nameVi: string;
  nameEn: string;
  /** "How is this computed", in plain Vietnamese and English. */
  methodVi: string;
  methodEn: string;
  subject: IndicatorSubject;
  population: IndicatorPopulation;
  numerator: IndicatorCondition;
  /** `registered`: the denominator counts the registry; `official`: an officer-imported count per commune, group and year. */
  base: 'registered' | 'official';
  /** The official-count key the imports use (the indicator id unless several indicators share a count). */
  officialCountKey: string;
  yearFrom: number;
  yearTo: number;
  targets: IndicatorTarget[];
  /** Whether the rollup keeps one cell per target group (false for collectives: they have no group). */
  byTargetGroup: boolean;
  source: string;
  assumption: string | null;
  /** Display order on dashboards. */
  order: number;
  /** The four headline targets of the province plan. */
  headline: boolean;
}
