import { defaultContentDir, loadContent } from '@hts/content';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROVINCE_POPULATION, planProvince } from './population.ts';

describe('planProvince', () => {
  let content: Awaited<ReturnType<typeof loadContent>>;
  beforeAll(async () => {
    content = await loadContent(defaultContentDir);
  });

  it('keeps the 25 known commune populations and scales the rest to the 3.6 M province total', () => {
    const plan = planProvince(content, 1, 'province');
    expect(plan.communes).toHaveLength(99);
    expect(plan.knownCommunes).toBe(25);
    expect(plan.communes.reduce((a, c) => a + c.population, 0)).toBe(PROVINCE_POPULATION);
    expect(plan.citizens).toBe(PROVINCE_POPULATION);
    const daiSon = plan.communes.find((c) => c.code === '07627');
    expect(daiSon).toMatchObject({ population: 12153, estimated: false });
    expect(plan.communes.filter((c) => c.estimated).every((c) => c.population > 0)).toBe(true);
  });

  it('numbers citizens without gaps across commune × group cells', () => {
    const plan = planProvince(content, 1, 'small');
    expect(plan.citizens).toBe(3600);
    let next = 1;
    for (const cell of plan.cells) {
      expect(cell.first).toBe(next);
      next += cell.count;
    }
    expect(next - 1).toBe(plan.citizens);
  });

  it('is the same plan for the same seed and a different one for another seed', () => {
    expect(planProvince(content, 7, 'small')).toEqual(planProvince(content, 7, 'small'));
    expect(planProvince(content, 8, 'small').cells).not.toEqual(planProvince(content, 7, 'small').cells);
  });

  it('puts more farmers in rural communes than in wards', () => {
    const plan = planProvince(content, 1, 'province');
    const share = (type: 'commune' | 'ward') => {
      const codes = new Set(plan.communes.filter((c) => c.type === type).map((c) => c.code));
      const cells = plan.cells.filter((c) => codes.has(c.communeCode));
      const all = cells.reduce((a, c) => a + c.count, 0);
      return cells.filter((c) => c.groupCode === 'nong-dan').reduce((a, c) => a + c.count, 0) / all;
    };
    expect(share('commune')).toBeGreaterThan(share('ward') * 2);
  });
});
