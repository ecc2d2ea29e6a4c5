import { defaultContentDir, loadContent } from '@hts/content';
import type { CriteriaSetDef } from '@hts/contracts';
import { describe, expect, it } from 'vitest';
import { allCriteria, scoreAssessment } from './score.ts';

const content = await loadContent(defaultContentDir);
const sets = content.criteria.map((c) => c.doc).filter((d): d is CriteriaSetDef => d.kind === 'criteria-set');

/** Points that add up to `total` with every criterion at least `floor`, filled from the first criterion on. */
function pointsFor(def: CriteriaSetDef, total: number, floor = def.pass.minCriterionPoints): Record<string, number> {
  const criteria = allCriteria(def);
  const out: Record<string, number> = Object.fromEntries(criteria.map((c) => [c.id, floor]));
  let left = total - floor * criteria.length;
  for (const c of criteria) {
    const extra = Math.max(0, Math.min(c.points - floor, left));
    out[c.id] = floor + extra;
    left -= extra;
  }
  if (left !== 0) throw new Error(`cannot reach ${total}`);
  return out;
}

describe.each(sets.map((s) => [s.targetGroup, s] as const))('the %s criteria set', (_group, def) => {
  const normal = { disadvantagedArea: false };
  const remote = { disadvantagedArea: true };

  it('passes exactly at the threshold', () => {
    const r = scoreAssessment(def, pointsFor(def, def.pass.points), normal);
    expect(r).toMatchObject({ score: def.pass.points, pass: true, classification: { code: def.classifications[0]?.code } });
  });

  it('fails one point below the threshold', () => {
    const r = scoreAssessment(def, pointsFor(def, def.pass.points - 1), normal);
    expect(r).toMatchObject({ score: def.pass.points - 1, pass: false, classification: def.failClassification });
  });

  it('passes above the threshold, up to full marks', () => {
    expect(scoreAssessment(def, pointsFor(def, def.pass.points + 5), normal).pass).toBe(true);
    expect(scoreAssessment(def, pointsFor(def, def.totalPoints), normal)).toMatchObject({ score: 100, maxScore: 100, pass: true });
  });

  it('uses the lower threshold in a disadvantaged area: at it passes, below it fails', () => {
    const at = def.pass.disadvantagedAreaPoints;
    expect(scoreAssessment(def, pointsFor(def, at), remote)).toMatchObject({ pass: true, threshold: at });
    expect(scoreAssessment(def, pointsFor(def, at - 1), remote).pass).toBe(false);
    expect(scoreAssessment(def, pointsFor(def, at), normal).pass).toBe(false);
  });

  it('fails a high score when one indicator is below the minimum', () => {
    const points = pointsFor(def, def.totalPoints);
    const first = allCriteria(def)[0]?.id ?? '';
    points[first] = def.pass.minCriterionPoints - 1;
    const r = scoreAssessment(def, points, normal);
    expect(r.score).toBeGreaterThanOrEqual(def.pass.points);
    expect(r).toMatchObject({ pass: false, belowMinimum: [first] });
  });

  it('counts a missing criterion as zero and clamps points to the maximum', () => {
    const points = pointsFor(def, def.totalPoints);
    const [first, second] = allCriteria(def);
    delete points[first?.id ?? ''];
    points[second?.id ?? ''] = 1000;
    const r = scoreAssessment(def, points, normal);
    expect(r.score).toBe(def.totalPoints - (first?.points ?? 0));
    expect(r.belowMinimum).toEqual([first?.id]);
  });
});

it('covers every target group that has its own criteria', () => {
  expect(sets).toHaveLength(8);
});
