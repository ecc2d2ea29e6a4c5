/**
 * Small-cell suppression for indicator tables shown beyond an officer's own scope and on public pages.
 *
 * A cell is a rate: `numerator` of `denominator` people. Primary rule: a cell is hidden when any group of
 * people it reveals is small, i.e. the denominator, the numerator or the rest (denominator − numerator) is
 * 1 to minCount − 1 (zero reveals nobody). Complementary rule: a table is shown with totals (per row and per
 * column), so in every line (a row or a column with its total) the hidden cells must not be recoverable by
 * subtraction: a line either hides nothing, or hides at least two cells whose combined counts also pass the
 * primary rule. When a line breaks that, the unhidden cell with the smallest denominator is hidden too, and
 * so on until every line holds; a line that runs out of cells with people to hide has its total hidden instead.
 *
 * A grand total over a table whose row or column totals had to be hidden would give them away again: show
 * one only when hiddenRowTotals and hiddenColTotals are empty (the dashboards show per-column totals only).
 *
 * Exempt cells (the officer's own scope) are shown and never picked as complements; they count as known.
 * Pure: no I/O, deterministic for a given input.
 */

export interface SuppressionCell {
  row: string;
  col: string;
  numerator: number;
  denominator: number;
}

export interface SuppressionOptions {
  /** Counts 1..minCount−1 are hidden. */
  minCount?: number;
  /** Totals shown per row (sum over columns): hidden cells in a row must not be recoverable from it. */
  rowTotals?: boolean;
  /** Totals shown per column (sum over rows). */
  colTotals?: boolean;
  /** Cells the viewer may see anyway (their own scope): never hidden. */
  exempt?: (cell: SuppressionCell) => boolean;
}

export interface SuppressionResult {
  /** Keys (`cellKey(row, col)`) of the hidden cells. */
  hidden: Set<string>;
  /** Rows whose total must be hidden. */
  hiddenRowTotals: Set<string>;
  /** Columns whose total must be hidden. */
  hiddenColTotals: Set<string>;
}

export const MIN_CELL_COUNT = 5;

export const cellKey = (row: string, col: string): string => `${row}\u0000${col}`;

/** Does showing these counts reveal a group of 1..minCount−1 people? */
export function isSmall(numerator: number, denominator: number, minCount = MIN_CELL_COUNT): boolean {
  const small = (n: number) => n > 0 && n < minCount;
  return small(denominator) || small(numerator) || small(denominator - numerator);
}

interface Line {
  kind: 'row' | 'col';
  id: string;
  cells: SuppressionCell[];
}

export function suppressCells(cells: readonly SuppressionCell[], options: SuppressionOptions = {}): SuppressionResult {
  const minCount = options.minCount ?? MIN_CELL_COUNT;
  const exempt = options.exempt ?? (() => false);
  const hidden = new Set<string>();
  const hiddenRowTotals = new Set<string>();
  const hiddenColTotals = new Set<string>();
  const key = (c: SuppressionCell) => cellKey(c.row, c.col);

  for (const c of cells) if (!exempt(c) && isSmall(c.numerator, c.denominator, minCount)) hidden.add(key(c));

  const lines: Line[] = [];
  const group = (kind: 'row' | 'col') => {
    const by = new Map<string, SuppressionCell[]>();
    for (const c of cells) {
      const id = kind === 'row' ? c.row : c.col;
      by.set(id, [...(by.get(id) ?? []), c]);
    }
    for (const [id, list] of [...by].sort(([a], [b]) => a.localeCompare(b))) lines.push({ kind, id, cells: list });
  };
  if (options.rowTotals) group('row');
  if (options.colTotals) group('col');

  // A line is safe when its hidden cells, taken together, reveal nothing small and are not a single cell.
  const lineSafe = (line: Line): boolean => {
    const totalHidden = line.kind === 'row' ? hiddenRowTotals.has(line.id) : hiddenColTotals.has(line.id);
    if (totalHidden) return true;
    const inLine = line.cells.filter((c) => hidden.has(key(c)));
    if (inLine.length === 0) return true;
    if (inLine.length === 1) return false;
    const n = inLine.reduce((s, c) => s + c.numerator, 0);
    const d = inLine.reduce((s, c) => s + c.denominator, 0);
    return !isSmall(n, d, minCount);
  };

  // Adding a complement can break a crossing line, so repeat until nothing changes (each pass hides more,
  // and there are finitely many cells and totals, so this ends).
  for (let changed = true; changed; ) {
    changed = false;
    for (const line of lines) {
      while (!lineSafe(line)) {
        const candidates = line.cells
          // a cell of nobody hides nothing, so complements are cells with people: the smallest first
          .filter((c) => !hidden.has(key(c)) && !exempt(c) && c.denominator > 0)
          .sort((a, b) => a.denominator - b.denominator || key(a).localeCompare(key(b)));
        const next = candidates[0];
        if (next) hidden.add(key(next));
        else (line.kind === 'row' ? hiddenRowTotals : hiddenColTotals).add(line.id);
        changed = true;
      }
    }
  }
  return { hidden, hiddenRowTotals, hiddenColTotals };
}
