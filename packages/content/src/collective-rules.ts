import {
  type CollectiveRequirement,
  type CollectiveRequirementType,
  type CollectiveRuleDoc,
  type CollectiveSubject,
  collectiveRequirementTypes,
  collectiveSubjects,
} from '@hts/contracts';
import { listEntries, parseYamlFile, readContentFile, yamlFields } from './files.ts';
import type { ContentProblem } from './problems.ts';

/** One collective title rule version from content/criteria/collective/<code>/<version>.yaml. */
export interface CollectiveRuleContent {
  file: string;
  doc: CollectiveRuleDoc;
}

const CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const VERSION = /^[0-9]{4}\.[0-9]+$/;
const DIR = 'criteria/collective';

/** Which requirement types make sense for which subject. */
const allowed: Record<CollectiveSubject, CollectiveRequirementType[]> = {
  household: ['members-with-title', 'head-with-title'],
  unit: ['members-with-title', 'head-with-title'],
  clan: ['members-with-title', 'head-with-title', 'households-with-title'],
  community: ['members-with-title', 'households-with-title'],
};

type Path = Array<string | number>;

export async function loadCollectiveRules(contentDir: string, problems: ContentProblem[]): Promise<CollectiveRuleContent[]> {
  const out: CollectiveRuleContent[] = [];
  for (const folder of await listEntries(contentDir, DIR, problems)) {
    if (!folder.dir) {
      if (folder.name.endsWith('.yaml'))
        problems.push({ file: `${DIR}/${folder.name}`, line: 1, message: `collective rules go in ${DIR}/<code>/<version>.yaml` });
      continue;
    }
    for (const entry of await listEntries(contentDir, `${DIR}/${folder.name}`, problems)) {
      if (entry.dir || !entry.name.endsWith('.yaml')) continue;
      const file = `${DIR}/${folder.name}/${entry.name}`;
      const text = await readContentFile(contentDir, file, problems);
      if (text === null) continue;
      const doc = parseCollectiveRule(text, file, folder.name, entry.name.slice(0, -'.yaml'.length), problems);
      if (doc) out.push({ file, doc });
    }
  }
  // Two versions of rules for one subject must not both cover a year: which one applies must be clear.
  for (const a of out) {
    for (const b of out) {
      if (a === b || a.doc.subject !== b.doc.subject || a.file > b.file) continue;
      if (a.doc.years.from <= b.doc.years.to && b.doc.years.from <= a.doc.years.to) {
        problems.push({ file: b.file, line: 1, message: `its years overlap ${a.file} (same subject ${a.doc.subject}): end the older version's years first` });
      }
    }
  }
  return out;
}

/** Validates one rule file; every problem names the file and the line of the value at fault. */
export function parseCollectiveRule(text: string, file: string, folderCode: string, fileVersion: string, problems: ContentProblem[]): CollectiveRuleDoc | null {
  const y = parseYamlFile(text, file, problems);
  if (!y) return null;
  const before = problems.length;
  const fields = yamlFields(y, problems);
  const { bad, get, int } = fields;
  const str = (path: Path, required = true): string => fields.str(path, { required, trim: true });
  const share = (path: Path): number => {
    const v = get(path);
    if (typeof v !== 'number' || !(v > 0 && v <= 1)) {
      bad(path, `${path.join('.')} must be a share above 0 and at most 1 (0.9 = 90%)`);
      return Number.NaN;
    }
    return v;
  };

  if (get(['kind']) !== 'collective-title-rule') bad(['kind'], 'kind must be collective-title-rule');
  const code = str(['code']);
  if (code && !CODE.test(code)) bad(['code'], `code "${code}" must be lower-case words joined by -`);
  else if (code && code !== folderCode) bad(['code'], `code ${code} does not match its folder ${DIR}/${folderCode}`);
  const versionRaw = get(['version']);
  const version = typeof versionRaw === 'string' ? versionRaw : typeof versionRaw === 'number' ? String(versionRaw) : '';
  if (!VERSION.test(version)) bad(['version'], 'version must look like "2025.1" (quoted)');
  else if (version !== fileVersion) bad(['version'], `version ${version} does not match the file name ${fileVersion}.yaml`);
  const title = str(['title']);
  const subject = get(['subject']) as CollectiveSubject;
  if (!collectiveSubjects.includes(subject)) bad(['subject'], `subject must be one of ${collectiveSubjects.join(', ')}`);
  const years = { from: int(['years', 'from'], 2000, 2100), to: int(['years', 'to'], 2000, 2100) };
  if (years.from > years.to) bad(['years'], `years.from ${years.from} is after years.to ${years.to}`);
  const source = str(['source']);
  const personTitle = str(['personTitle']);
  const familyTitle = str(['familyTitle'], false) || null;

  const list = get(['requirements']);
  const requirements: CollectiveRequirement[] = [];
  if (!Array.isArray(list) || list.length === 0) bad(['requirements'], 'requirements must be a list with at least one requirement');
  const codes = new Map<string, number>();
  (Array.isArray(list) ? list : []).forEach((_, i) => {
    const p: Path = ['requirements', i];
    const rc = str([...p, 'code']);
    if (rc && !CODE.test(rc)) bad([...p, 'code'], `requirement code "${rc}" must be lower-case words joined by -`);
    const seen = codes.get(rc);
    if (rc && seen !== undefined) bad([...p, 'code'], `requirement code ${rc} is already used at line ${seen}`);
    codes.set(rc, y.lineOf([...p, 'code']));
    const label = str([...p, 'label']);
    const reqSource = str([...p, 'source'], false) || source;
    const assumptionRaw = get([...p, 'assumption']);
    if (typeof assumptionRaw !== 'boolean') bad([...p, 'assumption'], 'assumption must be true or false: say whether the source gives this value');
    const assumption = assumptionRaw === true;
    const note = str([...p, 'note'], false) || null;
    if (assumption && !note) bad([...p, 'assumption'], 'assumption: true needs a note saying what is assumed and why');
    const type = get([...p, 'type']) as CollectiveRequirementType;
    const base = { code: rc, label, source: reqSource, assumption, note };
    if (!collectiveRequirementTypes.includes(type)) {
      bad([...p, 'type'], `type must be one of ${collectiveRequirementTypes.join(', ')}`);
      return;
    }
    if (collectiveSubjects.includes(subject) && !allowed[subject].includes(type)) bad([...p, 'type'], `type ${type} does not apply to a ${subject}`);
    if (type === 'members-with-title') {
      const ageFromRaw = get([...p, 'ageFrom']);
      requirements.push({
        ...base,
        type,
        minShare: share([...p, 'minShare']),
        minCount: int([...p, 'minCount'], 0, 10_000, 1),
        ageFrom: ageFromRaw === undefined ? null : int([...p, 'ageFrom'], 0, 120),
      });
    } else if (type === 'households-with-title') {
      if (!familyTitle) bad([...p, 'type'], 'households-with-title needs familyTitle at the top of the file');
      requirements.push({ ...base, type, minShare: share([...p, 'minShare']), minCount: int([...p, 'minCount'], 0, 10_000, 1) });
    } else {
      requirements.push({ ...base, type });
    }
  });
  if (problems.length > before) return null;
  return { kind: 'collective-title-rule', code, version, id: `${code}@${version}`, title, subject, years, personTitle, familyTitle, source, requirements };
}
