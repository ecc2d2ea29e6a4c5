import type { CriteriaSetDef, CriterionDef } from '@hts/contracts';

export interface ScoreOptions {
  /** Remote, ethnic-minority or especially disadvantaged area: the set's lower pass threshold applies. */
  disadvantagedArea: boolean;
}

export interface ScoreResult {
  score: number;
  maxScore: number;
  /** The pass threshold that applied. */
  threshold: number;
  pass: boolean;
  classification: { code: string; name: string };
  /** Criteria scoring below the set's per-indicator minimum (each one alone fails the assessment). */
  belowMinimum: string[];
  groups: Array<{ code: string; score: number; max: number }>;
}

export const allCriteria = (def: CriteriaSetDef): CriterionDef[] => def.groups.flatMap((g) => g.criteria);

/**
 * Scores an assessment against its criteria set. Pure: everything it applies (points, thresholds, the
 * per-indicator minimum, classification levels) comes from the versioned definition. A criterion with no
 * points given counts as 0; points are clamped to 0..the criterion's maximum; unknown ids are ignored.
 */
export function scoreAssessment(def: CriteriaSetDef, points: Readonly<Record<string, number>>, options: ScoreOptions): ScoreResult {
  const belowMinimum: string[] = [];
  const groups = def.groups.map((g) => {
    let score = 0;
    let max = 0;
    for (const c of g.criteria) {
      const given = Math.min(c.points, Math.max(0, Math.floor(points[c.id] ?? 0)));
      if (given < def.pass.minCriterionPoints) belowMinimum.push(c.id);
      score += given;
      max += c.points;
    }
    return { code: g.code, score, max };
  });
  const score = groups.reduce((n, g) => n + g.score, 0);
  const maxScore = groups.reduce((n, g) => n + g.max, 0);
  const threshold = options.disadvantagedArea ? def.pass.disadvantagedAreaPoints : def.pass.points;
  const pass = score >= threshold && belowMinimum.length === 0;
  // Levels are reached by score; in a disadvantaged area the levels move down by the same difference as the threshold.
  const shift = def.pass.points - threshold;
  const levels = [...def.classifications].sort((a, b) => b.minPoints - a.minPoints);
  const level = pass ? (levels.find((c) => score >= c.minPoints - shift) ?? levels[levels.length - 1]) : undefined;
  const classification = level ? { code: level.code, name: level.name } : { ...def.failClassification };
  return { score, maxScore, threshold, pass, classification, belowMinimum, groups };
}
