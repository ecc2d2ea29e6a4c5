import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type YAMLMap } from 'yaml';
import type { ContentProblem } from './problems.ts';

export interface TargetGroupContent {
  code: string;
  nameVi: string;
  nameEn: string;
  source: string | null;
}

const FILE = 'target-groups.yaml';

export async function loadTargetGroups(contentDir: string, problems: ContentProblem[]): Promise<TargetGroupContent[]> {
  let text: string;
  try {
    text = await readFile(join(contentDir, FILE), 'utf8');
  } catch {
    problems.push({ file: FILE, line: 1, message: 'file not found' });
    return [];
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) problems.push({ file: FILE, line: e.linePos?.[0]?.line ?? 1, message: e.message.split('\n')[0] ?? 'invalid YAML' });
    return [];
  }
  const source = doc.get('source');
  const groups = doc.get('groups');
  if (!isSeq(groups)) {
    problems.push({ file: FILE, line: 1, message: 'groups must be a list' });
    return [];
  }
  const out: TargetGroupContent[] = [];
  const seen = new Map<string, number>();
  for (const item of groups.items) {
    const line = lineCounter.linePos((item as { range?: [number] }).range?.[0] ?? 0).line;
    if (!isMap(item)) {
      problems.push({ file: FILE, line, message: 'each group must be a mapping with code, name and nameEn' });
      continue;
    }
    const map = item as YAMLMap;
    const code = String(map.get('code') ?? '');
    const nameVi = String(map.get('name') ?? '');
    const nameEn = String(map.get('nameEn') ?? '');
    let ok = true;
    const bad = (message: string) => {
      ok = false;
      problems.push({ file: FILE, line, message });
    };
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(code)) bad(`code "${code}" must be lower-case words joined by -`);
    else if (seen.has(code)) bad(`code ${code} already used on line ${seen.get(code)}`);
    else seen.set(code, line);
    if (!nameVi) bad('name (Vietnamese) is required');
    else if (nameVi !== nameVi.normalize('NFC')) bad(`name "${nameVi}" is not NFC-normalised`);
    if (!nameEn) bad('nameEn is required');
    if (ok) out.push({ code, nameVi, nameEn, source: typeof source === 'string' ? source : null });
  }
  return out;
}
