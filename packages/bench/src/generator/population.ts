import type { Content } from '@hts/content';
import type { Scale } from '../scenario.ts';
import { apportion } from './apportion.ts';
import { normal, seededRandom } from './rng.ts';

/** The new Bắc Ninh (after the 1/7/2025 merger with Bắc Giang): about 3.6 million people. */
export const PROVINCE_POPULATION = 3_600_000;
export const scaleFactor: Record<Scale, number> = { small: 1 / 1000, province: 1 };

/**
 * Share of each target group among residents, for rural communes (xã) and urban wards (phường).
 * ASSUMPTION for load shape only, not statistics: farmers dominate xã, workers and pupils phường.
 * A group that content/ adds later without an entry here gets `otherShare`.
 */
const groupShares: Record<string, { xa: number; phuong: number }> = {
  'nong-dan': { xa: 0.34, phuong: 0.08 },
  'cong-nhan': { xa: 0.2, phuong: 0.3 },
  'cong-chuc': { xa: 0.012, phuong: 0.02 },
  'vien-chuc': { xa: 0.025, phuong: 0.04 },
  'doanh-nhan': { xa: 0.015, phuong: 0.035 },
  'can-bo-quan-ly': { xa: 0.008, phuong: 0.012 },
  'luc-luong-vu-trang': { xa: 0.01, phuong: 0.01 },
  'hoi-vien-khuyen-hoc': { xa: 0.06, phuong: 0.05 },
  'hoc-sinh-sinh-vien': { xa: 0.2, phuong: 0.22 },
  'nguoi-dan-khac': { xa: 0.13, phuong: 0.233 },
};
const otherShare = 0.01;

export interface CommunePlan {
  code: string;
  name: string;
  type: 'commune' | 'ward';
  /** Residents at full size: the content's figure where it has one, else estimated (see planProvince). */
  population: number;
  estimated: boolean;
}

/** One commune × target group: its citizens are numbers first … first + count − 1 (1-based, province-wide). */
export interface Cell {
  communeCode: string;
  groupCode: string;
  first: number;
  count: number;
}

export interface ProvincePlan {
  seed: number;
  scale: Scale;
  communes: CommunePlan[];
  groupCodes: string[];
  cells: Cell[];
  citizens: number;
  knownPopulation: number;
  knownCommunes: number;
}

/**
 * Population by commune and target group, deterministic from the seed. content/ gives population for 25
 * of the 99 communes; the other 74 share what is left of the 3.6 M province total, by log-normal weights
 * (wards weighted 1.5×: denser), so the province adds up. Every resident is a registered citizen: the
 * heaviest load the platform could see.
 */
export function planProvince(content: Content, seed: number, scale: Scale): ProvincePlan {
  const random = seededRandom(seed);
  const known = content.province.communes.filter((c) => c.population !== null);
  const knownPopulation = known.reduce((a, c) => a + (c.population ?? 0), 0);
  const unknown = content.province.communes.filter((c) => c.population === null);
  const weights = unknown.map((c) => Math.exp(0.45 * normal(random)) * (c.type === 'ward' ? 1.5 : 1));
  const estimates = unknown.length > 0 ? apportion(Math.max(0, PROVINCE_POPULATION - knownPopulation), weights) : [];
  const estimateByCode = new Map(unknown.map((c, i) => [c.code, estimates[i] ?? 0]));
  const communes: CommunePlan[] = content.province.communes.map((c) => ({
    code: c.code,
    name: c.name,
    type: c.type,
    population: c.population ?? estimateByCode.get(c.code) ?? 0,
    estimated: c.population === null,
  }));

  const total = Math.round(communes.reduce((a, c) => a + c.population, 0) * scaleFactor[scale]);
  const perCommune = apportion(
    total,
    communes.map((c) => c.population),
  );
  const groupCodes = content.targetGroups.map((g) => g.code);
  const cells: Cell[] = [];
  let next = 1;
  communes.forEach((commune, i) => {
    const shares = groupCodes.map((g) => (commune.type === 'ward' ? groupShares[g]?.phuong : groupShares[g]?.xa) ?? otherShare);
    apportion(perCommune[i] ?? 0, shares).forEach((count, j) => {
      if (count === 0) return;
      cells.push({ communeCode: commune.code, groupCode: groupCodes[j] as string, first: next, count });
      next += count;
    });
  });
  return { seed, scale, communes, groupCodes, cells, citizens: next - 1, knownPopulation, knownCommunes: known.length };
}
