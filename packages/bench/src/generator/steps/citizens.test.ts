import { describe, expect, it } from 'vitest';
import { chunkCells } from './citizens.ts';

const cell = (first: number, count: number) => ({ communeCode: '07627', groupCode: 'nong-dan', first, count });

describe('chunkCells', () => {
  it('groups consecutive cells up to the row limit and keeps an oversize cell whole', () => {
    const chunks = chunkCells([cell(1, 40), cell(41, 50), cell(91, 30), cell(121, 500), cell(621, 5)], 100);
    expect(chunks.map((c) => c.map((x) => x.count))).toEqual([[40, 50], [30], [500], [5]]);
  });
});
