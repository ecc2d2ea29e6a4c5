import type { CompetenceItem } from '@hts/contracts';
import { listEntries, parseYamlFile, readContentFile } from './files.ts';
import type { ContentProblem } from './problems.ts';

/** A framework item; the one definition lives in the contracts, shared with the seed. */
export type CompetenceContent = CompetenceItem;

export interface FrameworkContent {
  code: string;
  nameVi: string;
  nameEn: string;
  source: string;
  competences: CompetenceContent[];
}

const CODE = /^[a-z0-9]+$/;
const ITEM = /^[0-9]+(\.[0-9]+)*$/;

export async function loadFrameworks(contentDir: string, problems: ContentProblem[]): Promise<FrameworkContent[]> {
  const out: FrameworkContent[] = [];
  const seen = new Map<string, string>();
  for (const entry of await listEntries(contentDir, 'frameworks', problems)) {
    if (entry.dir || !entry.name.endsWith('.yaml')) continue;
    const file = `frameworks/${entry.name}`;
    const text = await readContentFile(contentDir, file, problems);
    if (text === null) continue;
    const y = parseYamlFile(text, file, problems);
    if (!y) continue;
    const bad = (path: Array<string | number>, message: string) => problems.push({ file, line: y.lineOf(path), message });
    const code = String(y.data.code ?? '');
    if (!CODE.test(code)) bad(['code'], 'code must be lower-case letters and digits');
    else if (seen.has(code)) bad(['code'], `framework code ${code} is also used by ${seen.get(code)}`);
    seen.set(code, file);
    for (const key of ['name', 'nameEn', 'source']) if (typeof y.data[key] !== 'string' || !y.data[key]) bad([key], `${key} is required`);
    const groups = y.data.groups;
    if (!Array.isArray(groups) || groups.length === 0) {
      bad(['groups'], 'groups must be a non-empty list');
      continue;
    }
    const competences: CompetenceContent[] = [];
    const codes = new Set<string>();
    groups.forEach((g: Record<string, unknown>, gi) => {
      const groupCode = String(g?.code ?? '');
      if (!ITEM.test(groupCode)) bad(['groups', gi, 'code'], 'group code must be a number like "1", in quotes');
      const groupAssumption = typeof g?.assumption === 'string' ? g.assumption : null;
      const items = g?.items;
      if (!Array.isArray(items) || items.length === 0) {
        bad(['groups', gi, 'items'], 'items must be a non-empty list');
        return;
      }
      items.forEach((item: Record<string, unknown>, ii) => {
        const at = ['groups', gi, 'items', ii];
        const itemCode = String(item?.code ?? '');
        const nameVi = typeof item?.name === 'string' ? item.name : '';
        const nameEn = typeof item?.nameEn === 'string' ? item.nameEn : '';
        if (!ITEM.test(itemCode) || !itemCode.startsWith(`${groupCode}.`)) {
          bad([...at, 'code'], `code "${itemCode}" must be "${groupCode}.<n>", in quotes`);
          return;
        }
        if (codes.has(itemCode)) {
          bad([...at, 'code'], `code ${itemCode} appears twice`);
          return;
        }
        codes.add(itemCode);
        if (!nameVi) {
          bad(at, 'name (Vietnamese) is required');
          return;
        }
        if (nameVi !== nameVi.normalize('NFC')) {
          bad([...at, 'name'], `name "${nameVi}" is not NFC-normalised`);
          return;
        }
        if (!nameEn) {
          bad(at, 'nameEn is required');
          return;
        }
        const assumption = typeof item.assumption === 'string' ? item.assumption : groupAssumption;
        competences.push({ code: `${code}:${itemCode}`, framework: code, groupCode, groupName: String(g.name ?? ''), nameVi, nameEn, assumption });
      });
    });
    out.push({ code, nameVi: String(y.data.name ?? ''), nameEn: String(y.data.nameEn ?? ''), source: String(y.data.source ?? ''), competences });
  }
  if (out.length === 0) problems.push({ file: 'frameworks', line: 1, message: 'no competence framework found' });
  return out;
}
