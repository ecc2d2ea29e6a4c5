import { describe, expect, it } from 'vitest';
import { cellKey, isSmall, type SuppressionCell, suppressCells } from './suppression.ts';

const cell = (row: string, numerator: number, denominator: number, col = ''): SuppressionCell => ({ row, col, numerator, denominator });

/** A seeded generator, so a failing random case can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('primary suppression', () => {
  it('hides a cell of fewer than 5 people, and one where 1 to 4 people have or lack the attribute', () => {
    expect(isSmall(3, 4)).toBe(true);
    expect(isSmall(2, 40)).toBe(true);
    expect(isSmall(38, 40)).toBe(true);
    expect(isSmall(0, 40)).toBe(false);
    expect(isSmall(40, 40)).toBe(false);
    expect(isSmall(20, 40)).toBe(false);
    expect(isSmall(0, 0)).toBe(false);
  });

  it('keeps cells of 5 or more people on both sides when no total is shown', () => {
    const { hidden } = suppressCells([cell('a', 10, 20), cell('b', 1, 3)]);
    expect([...hidden]).toEqual([cellKey('b', '')]);
  });

  it('honours another threshold', () => {
    expect(suppressCells([cell('a', 7, 20)], { minCount: 10 }).hidden.size).toBe(1);
  });
});

describe('complementary suppression', () => {
  it('hides a second commune when the province total would give the first one away', () => {
    const cells = [cell('a', 50, 100), cell('b', 2, 3), cell('c', 30, 60), cell('d', 8, 12)];
    const { hidden } = suppressCells(cells, { colTotals: true });
    // b is small; d is the smallest other cell, so it is hidden with it
    expect([...hidden].sort()).toEqual([cellKey('b', ''), cellKey('d', '')]);
  });

  it('keeps hiding until the hidden cells together are not small', () => {
    // b and c are both 1-person cells: hiding both still reveals a group of 2, so a third goes too
    const cells = [cell('a', 50, 100), cell('b', 1, 1), cell('c', 0, 1), cell('d', 10, 20), cell('e', 40, 90)];
    const { hidden } = suppressCells(cells, { colTotals: true });
    expect([...hidden].sort()).toEqual([cellKey('b', ''), cellKey('c', ''), cellKey('d', '')]);
  });

  it('hides the total when a line has nothing else to hide', () => {
    const { hidden, hiddenColTotals } = suppressCells([cell('a', 1, 2)], { colTotals: true });
    expect(hidden.has(cellKey('a', ''))).toBe(true);
    expect([...hiddenColTotals]).toEqual(['']);
  });

  it('never hides the viewer’s own cells and never uses them as complements', () => {
    const cells = [cell('own', 2, 3), cell('b', 2, 3), cell('c', 30, 60), cell('d', 8, 12)];
    const { hidden } = suppressCells(cells, { colTotals: true, exempt: (c) => c.row === 'own' });
    expect(hidden.has(cellKey('own', ''))).toBe(false);
    expect([...hidden].sort()).toEqual([cellKey('b', ''), cellKey('d', '')]);
  });

  it('protects rows and columns of a commune × group table, including complements that break a crossing line', () => {
    const cells = [
      cell('x', 10, 20, 'g1'),
      cell('x', 2, 4, 'g2'),
      cell('x', 30, 50, 'g3'),
      cell('y', 12, 25, 'g1'),
      cell('y', 20, 40, 'g2'),
      cell('y', 15, 30, 'g3'),
    ];
    const { hidden } = suppressCells(cells, { rowTotals: true, colTotals: true });
    // x/g2 is small; row x hides x/g1 with it, column g2 hides y/g2, and column g1 then needs y/g1
    expect([...hidden].sort()).toEqual([cellKey('x', 'g1'), cellKey('x', 'g2'), cellKey('y', 'g1'), cellKey('y', 'g2')].sort());
  });
});

describe('no table leaks a small group by subtraction', () => {
  it('holds for 500 random commune × group tables with row and column totals', () => {
    const next = rng(20251128);
    for (let t = 0; t < 500; t++) {
      const rows = 1 + Math.floor(next() * 6);
      const cols = 1 + Math.floor(next() * 4);
      const cells: SuppressionCell[] = [];
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++) {
          const denominator = next() < 0.3 ? Math.floor(next() * 5) : Math.floor(next() * 80);
          cells.push(cell(`r${r}`, Math.floor(next() * (denominator + 1)), denominator, `c${c}`));
        }
      const own = next() < 0.3 ? 'r0' : null;
      const exempt = (c: SuppressionCell) => c.row === own;
      const { hidden, hiddenRowTotals, hiddenColTotals } = suppressCells(cells, { rowTotals: true, colTotals: true, exempt });
      const isHidden = (c: SuppressionCell) => hidden.has(cellKey(c.row, c.col));
      for (const c of cells) {
        // every shown cell outside the viewer's scope reveals no small group
        if (!isHidden(c) && !exempt(c)) expect(isSmall(c.numerator, c.denominator), JSON.stringify({ t, c })).toBe(false);
        if (exempt(c)) expect(isHidden(c)).toBe(false);
      }
      for (const [kind, ids, hiddenTotals] of [
        ['row', [...new Set(cells.map((c) => c.row))], hiddenRowTotals],
        ['col', [...new Set(cells.map((c) => c.col))], hiddenColTotals],
      ] as const) {
        for (const id of ids) {
          if (hiddenTotals.has(id)) continue;
          // what subtraction from a shown total reveals: the sum of the hidden cells of the line
          const inLine = cells.filter((c) => (kind === 'row' ? c.row : c.col) === id && isHidden(c));
          if (inLine.length === 0) continue;
          const n = inLine.reduce((s, c) => s + c.numerator, 0);
          const d = inLine.reduce((s, c) => s + c.denominator, 0);
          expect(inLine.length, JSON.stringify({ t, kind, id })).toBeGreaterThan(1);
          expect(isSmall(n, d), JSON.stringify({ t, kind, id, n, d })).toBe(false);
        }
      }
    }
  });
});
