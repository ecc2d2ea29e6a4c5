import type { ClassificationDef, CriteriaDoc, CriteriaGroupDef, CriteriaSetDef, CriterionDef, CriterionEvidence, DigitalSkillRuleDef } from '@hts/contracts';
import { listEntries, parseYamlFile, readContentFile, yamlFields } from './files.ts';
import type { ContentProblem } from './problems.ts';

/** One criteria set or digital-skill rule version from content/criteria/<code>/<version>.yaml. */
export interface CriteriaContent {
  file: string;
  doc: CriteriaDoc;
}

export interface CriteriaRefs {
  competences: Set<string>;
  targetGroups: Set<string>;
  courses: Set<string>;
}

const CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const VERSION = /^[0-9]{4}\.[0-9]+$/;
const ID = /^[0-9A-Za-z.-]+$/;

type Path = Array<string | number>;

/** Orders versions "2025.1" < "2025.2" < "2026.1". */
export function compareVersions(a: string, b: string): number {
  const [ay = 0, an = 0] = a.split('.').map(Number);
  const [by = 0, bn = 0] = b.split('.').map(Number);
  return ay - by || an - bn;
}

export async function loadCriteria(contentDir: string, refs: CriteriaRefs, problems: ContentProblem[]): Promise<CriteriaContent[]> {
  const out: CriteriaContent[] = [];
  for (const folder of await listEntries(contentDir, 'criteria', problems)) {
    if (!folder.dir) {
      if (folder.name.endsWith('.yaml'))
        problems.push({ file: `criteria/${folder.name}`, line: 1, message: 'criteria files go in criteria/<code>/<version>.yaml' });
      continue;
    }
    for (const entry of await listEntries(contentDir, `criteria/${folder.name}`, problems)) {
      if (entry.dir || !entry.name.endsWith('.yaml')) continue;
      const file = `criteria/${folder.name}/${entry.name}`;
      const text = await readContentFile(contentDir, file, problems);
      if (text === null) continue;
      const doc = parseCriteriaFile(text, file, folder.name, entry.name.slice(0, -'.yaml'.length), refs, problems);
      if (doc) out.push({ file, doc });
    }
  }
  const defaults = out.filter((c) => c.doc.kind === 'criteria-set' && c.doc.default);
  if (new Set(defaults.map((c) => c.doc.code)).size > 1)
    problems.push({ file: defaults[1]?.file ?? 'criteria', line: 1, message: `only one criteria set may be the default (also ${defaults[0]?.file})` });
  const groupOwner = new Map<string, CriteriaContent>();
  for (const c of out) {
    if (c.doc.kind !== 'criteria-set') continue;
    const owner = groupOwner.get(c.doc.targetGroup);
    if (owner && owner.doc.code !== c.doc.code)
      problems.push({ file: c.file, line: 1, message: `target group ${c.doc.targetGroup} already has criteria set ${owner.doc.code} (${owner.file})` });
    else groupOwner.set(c.doc.targetGroup, c);
  }
  if (out.filter((c) => c.doc.kind === 'digital-skill-rule').length === 0 && out.length > 0)
    problems.push({ file: 'criteria', line: 1, message: 'no digital-skill rule (kind: digital-skill-rule)' });
  return out;
}

/** Validates one file; every problem names the file and the line of the value at fault. */
export function parseCriteriaFile(
  text: string,
  file: string,
  folderCode: string,
  fileVersion: string,
  refs: CriteriaRefs,
  problems: ContentProblem[],
): CriteriaDoc | null {
  const y = parseYamlFile(text, file, problems);
  if (!y) return null;
  const before = problems.length;
  const fields = yamlFields(y, problems);
  const { bad, get, int } = fields;
  const str = (path: Path, required = true): string => fields.str(path, { required, numbers: true });
  const list = (path: Path): unknown[] => {
    const v = get(path);
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      bad(path, `${path.join('.')} must be a list`);
      return [];
    }
    return v;
  };
  const competenceList = (path: Path): string[] => {
    const codes = list(path).map(String);
    codes.forEach((c, i) => {
      if (!refs.competences.has(c)) bad([...path, i], `unknown competence code ${c} (see content/frameworks)`);
    });
    return codes;
  };

  const kind = get(['kind']);
  const code = str(['code']);
  const version = str(['version']);
  if (code && !CODE.test(code)) bad(['code'], `code "${code}" must be lower-case words joined by -`);
  else if (code && code !== folderCode) bad(['code'], `code ${code} does not match its folder criteria/${folderCode}`);
  if (version && !VERSION.test(version)) bad(['version'], `version "${version}" must look like "2025.1", in quotes`);
  else if (version && version !== fileVersion) bad(['version'], `version ${version} does not match the file name ${fileVersion}.yaml`);
  const title = str(['title']);
  const source = str(['source']);
  const sourceUrls = list(['sourceUrls']).map(String);
  const yearFrom = int(['years', 'from'], 2000, 2100);
  const yearTo = int(['years', 'to'], 2000, 2100);
  if (yearFrom > yearTo) bad(['years'], `years.from ${yearFrom} is after years.to ${yearTo}`);
  const years = { from: yearFrom, to: yearTo };

  if (kind === 'digital-skill-rule') {
    const assumption = get(['assumption']) === true;
    const note = str(['note'], false) || null;
    if (assumption && !note) bad(['assumption'], 'assumption: true needs a note saying what is assumed');
    const competences = competenceList(['rule', 'competences']);
    if (competences.length === 0 && list(['rule', 'courses']).length === 0) bad(['rule'], 'rule needs at least one competence or course');
    const courses = list(['rule', 'courses']).map(String);
    courses.forEach((c, i) => {
      if (!refs.courses.has(c)) bad(['rule', 'courses', i], `unknown course ${c} (see content/courses)`);
    });
    const testPassPercent = int(['rule', 'testPassPercent'], 0, 100);
    if (problems.length > before) return null;
    const doc: DigitalSkillRuleDef = {
      kind: 'digital-skill-rule',
      code,
      version,
      title,
      years,
      source,
      sourceUrls,
      assumption,
      note,
      rule: { competences, courses, testPassPercent },
    };
    return doc;
  }
  if (kind !== 'criteria-set') {
    bad(['kind'], 'kind must be criteria-set or digital-skill-rule');
    return null;
  }

  const targetGroup = str(['targetGroup']);
  if (targetGroup && !refs.targetGroups.has(targetGroup)) bad(['targetGroup'], `unknown target group ${targetGroup} (see content/target-groups.yaml)`);
  const totalPoints = int(['totalPoints'], 1, 1000);
  const passPoints = int(['pass', 'points'], 0, 1000);
  const disadvantagedAreaPoints = int(['pass', 'disadvantagedAreaPoints'], 0, 1000);
  const minCriterionPoints = int(['pass', 'minCriterionPoints'], 0, 1000);
  if (passPoints > totalPoints) bad(['pass', 'points'], `pass.points ${passPoints} is more than totalPoints ${totalPoints}`);
  if (disadvantagedAreaPoints > passPoints)
    bad(['pass', 'disadvantagedAreaPoints'], `pass.disadvantagedAreaPoints ${disadvantagedAreaPoints} is more than pass.points ${passPoints}`);

  const classifications: ClassificationDef[] = list(['classifications']).map((_, i) => ({
    code: str(['classifications', i, 'code']),
    name: str(['classifications', i, 'name']),
    minPoints: int(['classifications', i, 'minPoints'], 0, 1000),
  }));
  if (classifications.length === 0) bad(['classifications'], 'classifications must list at least one level of a passing result');
  classifications.forEach((c, i) => {
    if (c.minPoints > totalPoints) bad(['classifications', i, 'minPoints'], `minPoints ${c.minPoints} is more than totalPoints ${totalPoints}`);
  });
  const failClassification = { code: str(['failClassification', 'code']), name: str(['failClassification', 'name']) };

  const groupsRaw = list(['groups']);
  if (groupsRaw.length === 0) bad(['groups'], 'groups must be a non-empty list');
  const ids = new Map<string, number>();
  let sum = 0;
  const groups: CriteriaGroupDef[] = groupsRaw.map((_, gi) => {
    const gp: Path = ['groups', gi];
    const criteriaRaw = list([...gp, 'criteria']);
    if (criteriaRaw.length === 0) bad([...gp, 'criteria'], 'criteria must be a non-empty list');
    const criteria: CriterionDef[] = criteriaRaw.map((__, ci) => {
      const cp: Path = [...gp, 'criteria', ci];
      const id = str([...cp, 'id']);
      if (id && !ID.test(id)) bad([...cp, 'id'], `criterion id "${id}" may use letters, digits, "." and "-" only`);
      else if (id && ids.has(id)) bad([...cp, 'id'], `criterion id ${id} is used twice (also on line ${ids.get(id)})`);
      else ids.set(id, y.lineOf([...cp, 'id']));
      const points = int([...cp, 'points'], 1, 1000);
      if (Number.isFinite(points)) {
        sum += points;
        if (Number.isFinite(minCriterionPoints) && points < minCriterionPoints)
          bad([...cp, 'points'], `points ${points} is below pass.minCriterionPoints ${minCriterionPoints}: no one could pass`);
      }
      const assumption = get([...cp, 'assumption']) === true;
      const note = str([...cp, 'note'], false) || null;
      if (assumption && !note) bad([...cp, 'assumption'], 'assumption: true needs a note saying what is assumed');
      const evidenceRaw = list([...cp, 'evidence']);
      if (evidenceRaw.length === 0) bad([...cp, 'evidence'], 'evidence must list what can satisfy the criterion');
      const evidence = evidenceRaw.map((___, ei) => parseEvidence([...cp, 'evidence', ei])).filter((e): e is CriterionEvidence => e !== null);
      return { id, title: str([...cp, 'title']), hint: str([...cp, 'hint'], false) || null, points, assumption, note, evidence };
    });
    return { code: str([...gp, 'code']), name: str([...gp, 'name']), criteria };
  });
  if (Number.isFinite(totalPoints) && groupsRaw.length > 0 && sum !== totalPoints)
    bad(['totalPoints'], `the criteria's points add up to ${sum}, not totalPoints ${totalPoints}`);

  function parseEvidence(path: Path): CriterionEvidence | null {
    const k = get([...path, 'kind']);
    switch (k) {
      case 'course-completion': {
        const minCount = get([...path, 'minCount']) === undefined ? 1 : int([...path, 'minCount'], 1, 100);
        return { kind: k, competences: competenceList([...path, 'competences']), minCount };
      }
      case 'credential':
        return { kind: k, competences: competenceList([...path, 'competences']) };
      case 'digital-skill':
        return { kind: k };
      case 'declared': {
        const a = get([...path, 'attachment']) ?? 'none';
        if (a !== 'none' && a !== 'optional' && a !== 'required') {
          bad([...path, 'attachment'], 'attachment must be none, optional or required');
          return null;
        }
        return { kind: k, attachment: a };
      }
      case 'attestation':
        if (get([...path, 'by']) !== 'branch') bad([...path, 'by'], 'attestation is by: branch');
        return { kind: k, by: 'branch' };
      default:
        bad([...path, 'kind'], `evidence kind "${String(k)}" must be course-completion, credential, digital-skill, declared or attestation`);
        return null;
    }
  }

  if (problems.length > before) return null;
  const doc: CriteriaSetDef = {
    kind: 'criteria-set',
    code,
    version,
    title,
    targetGroup,
    default: get(['default']) === true,
    years,
    source,
    sourceUrls,
    totalPoints,
    pass: { points: passPoints, disadvantagedAreaPoints, minCriterionPoints },
    classifications,
    failClassification,
    groups,
  };
  return doc;
}
