import { defaultContentDir, loadContent } from '@hts/content';
import type { CollectiveRuleDoc } from '@hts/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateCollective, type MemberStatus, neededFor, ruleFor } from './evaluate-collective.ts';

let rules: CollectiveRuleDoc[];
const rule = (code: string) => {
  const r = rules.find((x) => x.code === code);
  if (!r) throw new Error(`no rule ${code}`);
  return r;
};
beforeAll(async () => {
  rules = (await loadContent(defaultContentDir)).collectiveRules.map((r) => r.doc);
});

let n = 0;
const member = (hasTitle: boolean, extra: Partial<MemberStatus> = {}): MemberStatus => {
  n += 1;
  return { personId: `p${n}`, fullName: `Người ${n}`, birthYear: 1980, role: 'member', hasTitle, ...extra };
};
const members = (holders: number, others: number, head: boolean) => [
  member(head, { role: 'head' }),
  ...Array.from({ length: holders - (head ? 1 : 0) }, () => member(true)),
  ...Array.from({ length: others - (head ? 0 : 1) }, () => member(false)),
];
const households = (withTitle: number, without: number) => [
  ...Array.from({ length: withTitle }, (_, i) => ({ householdId: `h${i}`, name: `Hộ ${i}`, hasTitle: true })),
  ...Array.from({ length: without }, (_, i) => ({ householdId: `k${i}`, name: `Hộ khác ${i}`, hasTitle: false })),
];

describe('shares', () => {
  it('asks for exactly 9 of 10 at 90% and for one holder in an empty collective', () => {
    expect(neededFor(10, 0.9, 1)).toBe(9);
    expect(neededFor(11, 0.9, 1)).toBe(10);
    expect(neededFor(3, 0.45, 1)).toBe(2);
    expect(neededFor(0, 0.5, 1)).toBe(1);
  });

  it('picks the version of a rule whose years cover the year', () => {
    const versions = [
      { subject: 'unit', version: '2025.1', years: { from: 2025, to: 2026 } },
      { subject: 'unit', version: '2027.1', years: { from: 2027, to: 2030 } },
    ];
    expect(ruleFor(versions, 'unit', 2026)?.version).toBe('2025.1');
    expect(ruleFor(versions, 'unit', 2028)?.version).toBe('2027.1');
    expect(ruleFor(versions, 'unit', 2031)).toBeNull();
  });
});

describe('đơn vị học tập (≥ 90% of members hold the title, head too)', () => {
  it('passes at exactly 90%', () => {
    const result = evaluateCollective(rule('don-vi-hoc-tap'), { year: 2026, members: members(9, 1, true) });
    expect(result).toMatchObject({ passed: true, missing: [] });
    expect(result.requirements[0]).toMatchObject({ count: 9, total: 10, needed: 9 });
  });

  it('fails below 90% and names the members without the title', () => {
    const m = members(8, 2, true);
    const result = evaluateCollective(rule('don-vi-hoc-tap'), { year: 2026, members: m });
    expect(result.passed).toBe(false);
    expect(result.missing).toEqual([
      expect.objectContaining({
        requirement: 'thanh-vien-dat-cdht',
        short: 1,
        people: m.filter((x) => !x.hasTitle).map((x) => ({ personId: x.personId, fullName: x.fullName })),
      }),
    ]);
  });

  it('fails when the head lacks the title even with everyone else holding it', () => {
    const result = evaluateCollective(rule('don-vi-hoc-tap'), { year: 2026, members: members(10, 1, false) });
    expect(result.requirements.map((r) => [r.code, r.passed])).toEqual([
      ['thanh-vien-dat-cdht', true],
      ['thu-truong-dat-cdht', false],
    ]);
    expect(result.missing.map((m) => m.requirement)).toEqual(['thu-truong-dat-cdht']);
  });
});

describe('gia đình học tập (half of the adults from 19, and the head)', () => {
  it('counts adults only: a head with the title and one other adult without passes', () => {
    const family = [
      member(true, { role: 'head', birthYear: 1975 }),
      member(false, { birthYear: 1978 }),
      member(false, { birthYear: 2012 }),
      member(false, { birthYear: 2015 }),
    ];
    const result = evaluateCollective(rule('gia-dinh-hoc-tap'), { year: 2026, members: family });
    expect(result.passed).toBe(true);
    expect(result.requirements[0]).toMatchObject({ count: 1, total: 2, needed: 1 });
  });

  it('fails when no adult holds the title, listing the adults and the head', () => {
    const head = member(false, { role: 'head', birthYear: 1975 });
    const child = member(false, { birthYear: 2010 });
    const result = evaluateCollective(rule('gia-dinh-hoc-tap'), { year: 2026, members: [head, child] });
    expect(result.passed).toBe(false);
    expect(result.missing).toEqual([
      expect.objectContaining({ requirement: 'nguoi-lon-dat-cdht', short: 1, people: [{ personId: head.personId, fullName: head.fullName }] }),
      expect.objectContaining({ requirement: 'chu-ho-dat-cdht', short: 1 }),
    ]);
  });
});

describe('dòng họ học tập (half of the households, 45% of adult members)', () => {
  it('passes at half of the households and 45% of members', () => {
    const result = evaluateCollective(rule('dong-ho-hoc-tap'), { year: 2026, members: members(9, 11, true), households: households(2, 2) });
    expect(result.passed).toBe(true);
  });

  it('fails below half of the households and lists those without the title', () => {
    const result = evaluateCollective(rule('dong-ho-hoc-tap'), { year: 2026, members: members(10, 10, true), households: households(1, 3) });
    expect(result.passed).toBe(false);
    expect(result.missing).toEqual([
      expect.objectContaining({ requirement: 'ho-dat-gdht', short: 1, households: households(0, 3).map(({ householdId, name }) => ({ householdId, name })) }),
    ]);
  });

  it('fails below 45% of adult members', () => {
    const result = evaluateCollective(rule('dong-ho-hoc-tap'), { year: 2026, members: members(8, 12, true), households: households(3, 1) });
    expect(result.missing.map((m) => [m.requirement, m.short])).toEqual([['thanh-vien-dat-cdht', 1]]);
  });
});

describe('cộng đồng học tập (half of the households, 45% of adults)', () => {
  it('passes above both thresholds', () => {
    expect(evaluateCollective(rule('cong-dong-hoc-tap'), { year: 2026, members: members(12, 8, false), households: households(6, 4) }).passed).toBe(true);
  });

  it('fails a village with no households in the registry', () => {
    const result = evaluateCollective(rule('cong-dong-hoc-tap'), { year: 2026, members: members(12, 8, false), households: [] });
    expect(result.passed).toBe(false);
    expect(result.requirements[0]).toMatchObject({ code: 'ho-dat-gdht', total: 0, needed: 1 });
  });
});
