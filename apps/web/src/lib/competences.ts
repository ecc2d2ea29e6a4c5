export interface CompetenceRef {
  code: string;
  name: string;
}

/**
 * Several frameworks name the same competence alike (TT 02/2025 and DigComp 2.2 both have "Quản lý danh
 * tính số"); a learner should see it once. The codes stay together for the tooltip.
 */
export function competenceChips(competences: readonly CompetenceRef[]): Array<{ name: string; codes: string }> {
  const byName = new Map<string, string[]>();
  for (const c of competences) {
    const key = c.name.normalize('NFC').trim();
    byName.set(key, [...(byName.get(key) ?? []), c.code]);
  }
  return [...byName].map(([name, codes]) => ({ name, codes: codes.join(', ') }));
}
