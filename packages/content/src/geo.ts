import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CsvError, parseCsv } from './csv.ts';
import type { ContentProblem } from './problems.ts';

export interface CommuneContent {
  code: string;
  name: string;
  type: 'commune' | 'ward';
  areaKm2: number | null;
  population: number | null;
  formedFrom: string | null;
  source: string;
}

export interface ProvinceContent {
  code: string;
  name: string;
  source: string;
  communes: CommuneContent[];
}

const typeByLabel: Record<string, CommuneContent['type']> = { xã: 'commune', phường: 'ward' };
const requiredColumns = ['code', 'name', 'type', 'area_km2', 'population', 'formed_from', 'source'];

export async function loadProvince(contentDir: string, problems: ContentProblem[]): Promise<ProvinceContent | null> {
  const yamlPath = join(contentDir, 'geo', 'province.yaml');
  const file = relative(contentDir, yamlPath);
  const meta = await readYaml(yamlPath, file, problems);
  if (!meta) return null;
  const code = String(meta.code ?? '');
  if (!/^[0-9]{2}$/.test(code)) problems.push({ file, line: lineOf(meta, 'code'), message: 'code must be the 2-digit province code, in quotes' });
  if (typeof meta.name !== 'string' || !meta.name.trim()) problems.push({ file, line: 1, message: 'name is required' });
  if (typeof meta.communes !== 'string') {
    problems.push({ file, line: 1, message: 'communes must name the CSV file of communes' });
    return null;
  }
  const csvPath = join(contentDir, 'geo', meta.communes);
  const communes = await loadCommunes(csvPath, relative(contentDir, csvPath), problems);
  return { code, name: String(meta.name ?? ''), source: String(meta.source ?? ''), communes };
}

async function loadCommunes(path: string, file: string, problems: ContentProblem[]): Promise<CommuneContent[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    problems.push({ file, line: 1, message: 'file not found' });
    return [];
  }
  let parsed: ReturnType<typeof parseCsv>;
  try {
    parsed = parseCsv(text);
  } catch (error) {
    problems.push({ file, line: error instanceof CsvError ? error.line : 1, message: (error as Error).message });
    return [];
  }
  const missing = requiredColumns.filter((c) => !parsed.header.includes(c));
  if (missing.length > 0) {
    problems.push({ file, line: 1, message: `missing columns: ${missing.join(', ')}` });
    return [];
  }
  const seen = new Map<string, number>();
  const communes: CommuneContent[] = [];
  for (const { line, values } of parsed.rows) {
    const v = (k: string) => (values[k] ?? '').trim();
    const bad = (message: string) => problems.push({ file, line, message });
    const code = v('code');
    if (!/^[0-9]{5}$/.test(code)) bad(`code "${code}" must be 5 digits`);
    else if (seen.has(code)) bad(`code ${code} already used on line ${seen.get(code)}`);
    else seen.set(code, line);
    const name = v('name');
    if (!name) bad('name is empty');
    else if (name !== name.normalize('NFC')) bad(`name "${name}" is not NFC-normalised`);
    const type = typeByLabel[v('type')];
    if (!type) bad(`type "${v('type')}" must be xã or phường`);
    const areaKm2 = optionalNumber(v('area_km2'), 'area_km2', bad);
    const population = optionalNumber(v('population'), 'population', bad);
    if (population !== null && !Number.isInteger(population)) bad('population must be a whole number');
    if (!v('source')) bad('source is empty: every row says where it came from');
    if (type && name && /^[0-9]{5}$/.test(code)) {
      communes.push({ code, name: name.normalize('NFC'), type, areaKm2, population, formedFrom: v('formed_from') || null, source: v('source') });
    }
  }
  return communes;
}

function optionalNumber(raw: string, column: string, bad: (m: string) => void): number | null {
  if (raw === '') return null;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    bad(`${column} "${raw}" must be a non-negative number or empty`);
    return null;
  }
  return n;
}

export async function readYaml(path: string, file: string, problems: ContentProblem[]): Promise<Record<string, unknown> | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    problems.push({ file, line: 1, message: 'file not found' });
    return null;
  }
  try {
    const value: unknown = parseYaml(text, { prettyErrors: true });
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push({ file, line: 1, message: 'must be a YAML mapping' });
      return null;
    }
    return Object.assign(value as Record<string, unknown>, { [sourceText]: text });
  } catch (error) {
    const pos = (error as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line ?? 1;
    problems.push({ file, line: pos, message: `invalid YAML: ${(error as Error).message.split('\n')[0]}` });
    return null;
  }
}

const sourceText = Symbol('sourceText');

/** Best-effort line of a top-level key, for messages that point at the right place. */
export function lineOf(doc: Record<string, unknown>, key: string): number {
  const text = (doc as Record<symbol, string>)[sourceText] ?? '';
  const index = text.split('\n').findIndex((l) => l.startsWith(`${key}:`) || l.trimStart().startsWith(`- ${key}:`) || l.trimStart().startsWith(`${key}:`));
  return index >= 0 ? index + 1 : 1;
}
