import { describe, expect, it } from 'vitest';
import { competenceChips } from './competences.ts';

describe('competenceChips', () => {
  it('shows a competence named alike in two frameworks once, keeping both codes', () => {
    const chips = competenceChips([
      { code: 'tt02:2.6', name: 'Quản lý danh tính số' },
      { code: 'kns:0.1', name: 'Sử dụng thiết bị' },
      { code: 'digcomp:2.6', name: 'Quản lý danh tính số' },
    ]);
    expect(chips).toEqual([
      { name: 'Quản lý danh tính số', codes: 'tt02:2.6, digcomp:2.6' },
      { name: 'Sử dụng thiết bị', codes: 'kns:0.1' },
    ]);
  });
});
