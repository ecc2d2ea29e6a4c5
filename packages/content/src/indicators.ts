import type {
  IndicatorCondition,
  IndicatorConditionKind,
  IndicatorDefinition,
  IndicatorPopulation,
  IndicatorPopulationKind,
  IndicatorSubject,
  IndicatorTarget,
} from '@hts/contracts';
import { listEntries, parseYamlFile, readContentFile } from './files.ts';
import type { ContentProblem } from './problems.ts';

export type IndicatorContent = IndicatorDefinition;

const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const VERSION = /^[0-9]{4}\.[0-9]+$/;
const FILE_NAME = /^([a-z0-9]+(?:-[a-z0-9]+)*)(?:@([0-9]{4}\.[0-9]+))?\.yaml$/;
const TITLE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The subject each population counts, and the conditions that make sense for it. */
const POPULATIONS: Record<IndicatorPopulationKind, { subject: IndicatorSubject; conditions: IndicatorConditionKind[] }> = {
  'khuyen-hoc-members': { subject: 'person', conditions: ['trained', 'person-title', 'digital-skills'] },
  'adults-in-collectives': { subject: 'person', conditions: ['trained', 'person-title', 'digital-skills'] },
  'unit-staff': { subject: 'person', conditions: ['trained', 'person-title', 'digital-skills'] },
  'title-holders': { subject: 'person', conditions: ['trained', 'digital-skills'] },
  'registered-people': { subject: 'person', conditions: ['trained', 'person-title', 'digital-skills'] },
  households: { subject: 'household', conditions: ['collective-title'] },
  clans: { subject: 'clan', conditions: ['collective-title'] },
  communities: { subject: 'community', conditions: ['collective-title'] },
  units: { subject: 'unit', conditions: ['collective-title', 'unit-gate'] },
};
const UNIT_KINDS = new Set(['agency', 'enterprise', 'school', 'armed_forces']);
const COLLECTIVE_TITLES: Partial<Record<IndicatorPopulationKind, string>> = {
  households: 'gia-dinh-hoc-tap',
  clans: 'dong-ho-hoc-tap',
  communities: 'cong-dong-hoc-tap',
  units: 'don-vi-hoc-tap',
};

export interface IndicatorRefs {
  targetGroups: Set<string>;
  /** Course slugs in content/courses. */
  courses: Set<string>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads content/indicators/*.yaml. Every problem names the file and the line of the value at fault; a file
 * with any problem is left out (the caller refuses to start when there are problems).
 */
export async function loadIndicators(contentDir: string, refs: IndicatorRefs, problems: ContentProblem[]): Promise<IndicatorContent[]> {
  const out: IndicatorContent[] = [];
  for (const entry of await listEntries(contentDir, 'indicators', problems)) {
    if (entry.dir || !entry.name.endsWith('.yaml')) continue;
    const file = `indicators/${entry.name}`;
    const text = await readContentFile(contentDir, file, problems);
    if (text === null) continue;
    const y = parseYamlFile(text, file, problems);
    if (!y) continue;
    const before = problems.length;
    const bad = (path: Array<string | number>, message: string) => problems.push({ file, line: y.lineOf(path), message });
    const d = y.data;

    const str = (key: string): string => {
      const v = d[key];
      if (typeof v !== 'string' || v.trim() === '') {
        bad([key], `${key} is required (text)`);
        return '';
      }
      if (v !== v.normalize('NFC')) bad([key], `${key} is not NFC-normalised`);
      return v.trim();
    };
    const id = String(d.id ?? '');
    if (!ID.test(id)) bad(['id'], 'id must be lower-case words joined by -');
    const version = typeof d.version === 'string' ? d.version : String(d.version ?? '');
    if (!VERSION.test(version)) bad(['version'], 'version must look like "2025.1", in quotes');
    const nameMatch = FILE_NAME.exec(entry.name);
    if (!nameMatch || nameMatch[1] !== id || (nameMatch[2] !== undefined && nameMatch[2] !== version)) {
      bad(['id'], `file name must be ${id}.yaml or ${id}@${version}.yaml`);
    }
    const nameVi = str('name');
    const nameEn = str('nameEn');
    const methodVi = str('method');
    const methodEn = str('methodEn');
    const source = str('source');
    const assumption = d.assumption === null || d.assumption === undefined ? null : String(d.assumption).trim();
    const order = d.order;
    if (typeof order !== 'number' || !Number.isInteger(order) || order < 0) bad(['order'], 'order must be a whole number ≥ 0');
    const headline = d.headline === true;
    if (d.headline !== undefined && typeof d.headline !== 'boolean') bad(['headline'], 'headline must be true or false');

    // population
    let population: IndicatorPopulation | null = null;
    const p = d.population;
    if (!isRecord(p)) bad(['population'], 'population must be a mapping with a kind');
    else {
      const kind = String(p.kind ?? '') as IndicatorPopulationKind;
      if (!(kind in POPULATIONS)) bad(['population', 'kind'], `population kind must be one of: ${Object.keys(POPULATIONS).join(', ')}`);
      const targetGroups = p.targetGroups === undefined ? [] : p.targetGroups;
      if (!Array.isArray(targetGroups) || targetGroups.some((g) => typeof g !== 'string'))
        bad(['population', 'targetGroups'], 'targetGroups must be a list of codes');
      else
        targetGroups.forEach((g: string, i) => {
          if (!refs.targetGroups.has(g)) bad(['population', 'targetGroups', i], `unknown target group "${g}" (see target-groups.yaml)`);
        });
      const minAge = p.minAge === undefined || p.minAge === null ? null : p.minAge;
      if (minAge !== null && (typeof minAge !== 'number' || !Number.isInteger(minAge) || minAge < 0 || minAge > 120))
        bad(['population', 'minAge'], 'minAge must be a whole number 0–120');
      const unitKinds = p.unitKinds === undefined ? [] : p.unitKinds;
      if (!Array.isArray(unitKinds) || unitKinds.some((k) => typeof k !== 'string' || !UNIT_KINDS.has(k))) {
        bad(['population', 'unitKinds'], `unitKinds must be a list of: ${[...UNIT_KINDS].join(', ')}`);
      } else if (unitKinds.length > 0 && kind !== 'unit-staff' && kind !== 'units')
        bad(['population', 'unitKinds'], 'unitKinds applies only to unit-staff and units');
      if (POPULATIONS[kind]?.subject !== 'person' && (minAge !== null || (Array.isArray(targetGroups) && targetGroups.length > 0))) {
        bad(['population', 'kind'], 'minAge and targetGroups apply only to populations of people');
      }
      if (kind in POPULATIONS && Array.isArray(targetGroups) && Array.isArray(unitKinds)) {
        population = { kind, targetGroups: targetGroups as string[], minAge: minAge as number | null, unitKinds: unitKinds as string[] };
      }
    }

    // numerator
    let numerator: IndicatorCondition | null = null;
    const n = d.numerator;
    if (!isRecord(n)) bad(['numerator'], 'numerator must be a mapping with a kind');
    else {
      const kind = String(n.kind ?? '') as IndicatorConditionKind;
      const allowed = population ? POPULATIONS[population.kind].conditions : [];
      if (!['trained', 'person-title', 'digital-skills', 'collective-title', 'unit-gate'].includes(kind)) {
        bad(['numerator', 'kind'], 'numerator kind must be one of: trained, person-title, digital-skills, collective-title, unit-gate');
      } else if (population && !allowed.includes(kind)) {
        bad(['numerator', 'kind'], `numerator ${kind} does not apply to population ${population.kind} (use one of: ${allowed.join(', ')})`);
      }
      let title: string | null = typeof n.title === 'string' ? n.title : null;
      if (n.title !== undefined && (title === null || !TITLE.test(title))) bad(['numerator', 'title'], 'title must be a title code like cong-dan-hoc-tap');
      if (kind === 'person-title' || kind === 'unit-gate') title ??= 'cong-dan-hoc-tap';
      if (kind === 'collective-title') {
        const expected = population ? COLLECTIVE_TITLES[population.kind] : undefined;
        if (!title) bad(['numerator'], 'collective-title needs a title');
        else if (expected && title !== expected) bad(['numerator', 'title'], `the title of ${population?.kind} is ${expected}, not ${title}`);
      }
      let threshold: number | null = null;
      if (kind === 'unit-gate') {
        if (typeof n.threshold !== 'number' || n.threshold <= 0 || n.threshold > 100)
          bad(['numerator', 'threshold'], 'unit-gate needs a threshold: a percent above 0, at most 100');
        else threshold = n.threshold;
      } else if (n.threshold !== undefined) bad(['numerator', 'threshold'], 'threshold applies only to unit-gate');
      const courses = n.courses === undefined ? [] : n.courses;
      if (!Array.isArray(courses) || courses.some((c) => typeof c !== 'string')) bad(['numerator', 'courses'], 'courses must be a list of course slugs');
      else {
        if (courses.length > 0 && kind !== 'trained') bad(['numerator', 'courses'], 'courses applies only to trained');
        courses.forEach((c: string, i) => {
          if (!refs.courses.has(c)) bad(['numerator', 'courses', i], `unknown course "${c}" (see courses/)`);
        });
      }
      numerator = { kind, title, threshold, courses: Array.isArray(courses) ? (courses as string[]) : [] };
    }

    // base
    const base = d.base;
    if (base !== 'registered' && base !== 'official') bad(['base'], 'base must be registered or official');
    if (base === 'official' && population && POPULATIONS[population.kind].subject !== 'person')
      bad(['base'], 'an official count exists only for populations of people');
    if (base === 'official' && population && population.kind !== 'registered-people')
      bad(['base'], 'an official base needs population registered-people (the count replaces the registry)');
    const officialCountKey = d.officialCountKey === undefined ? id : String(d.officialCountKey);
    if (!ID.test(officialCountKey)) bad(['officialCountKey'], 'officialCountKey must be lower-case words joined by -');
    if (d.officialCountKey !== undefined && base !== 'official') bad(['officialCountKey'], 'officialCountKey applies only to base: official');

    // years
    const years = d.years;
    let yearFrom = 0;
    let yearTo = 0;
    if (!isRecord(years)) bad(['years'], 'years must be a mapping { from, to }');
    else {
      yearFrom = Number(years.from);
      yearTo = Number(years.to);
      if (!Number.isInteger(yearFrom) || yearFrom < 2000 || yearFrom > 2100) bad(['years', 'from'], 'years.from must be a year');
      if (!Number.isInteger(yearTo) || yearTo < 2000 || yearTo > 2100) bad(['years', 'to'], 'years.to must be a year');
      else if (yearTo < yearFrom) bad(['years', 'to'], `years.to (${yearTo}) is before years.from (${yearFrom})`);
    }

    // targets
    const targets: IndicatorTarget[] = [];
    if (!Array.isArray(d.targets)) bad(['targets'], 'targets must be a list (empty when there is no target)');
    else {
      const seenYears = new Map<string, number>();
      for (const [i, t] of (d.targets as unknown[]).entries()) {
        const at = ['targets', i];
        if (!isRecord(t)) {
          bad(at, 'each target must be a mapping with year, value, level and source');
          continue;
        }
        const year = t.year;
        const value = t.value;
        const level = t.level;
        if (typeof year !== 'number' || !Number.isInteger(year) || year < 2000 || year > 2100) {
          bad([...at, 'year'], 'target year must be a year');
          continue;
        }
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
          bad([...at, 'value'], `target value must be a percent 0–100, not ${String(value)}`);
          continue;
        }
        if (level !== 'province' && level !== 'national') {
          bad([...at, 'level'], 'target level must be province or national');
          continue;
        }
        if (typeof t.source !== 'string' || !t.source) {
          bad([...at, 'source'], 'target source is required');
          continue;
        }
        const key = `${year}/${level}`;
        if (seenYears.has(key)) {
          bad([...at, 'year'], `a ${level} target for ${year} is already given on line ${seenYears.get(key)}`);
          continue;
        }
        seenYears.set(key, y.lineOf([...at, 'year']));
        targets.push({ year, value, level, source: t.source, assumption: typeof t.assumption === 'string' ? t.assumption.trim() : null });
      }
    }

    if (problems.length > before || !population || !numerator || (base !== 'registered' && base !== 'official')) continue;
    const subject = POPULATIONS[population.kind].subject;
    out.push({
      id,
      version,
      nameVi,
      nameEn,
      methodVi,
      methodEn,
      subject,
      population,
      numerator,
      base,
      officialCountKey,
      yearFrom,
      yearTo,
      targets: targets.sort((a, b) => a.year - b.year || a.level.localeCompare(b.level)),
      // a unit's gate or a collective has no target group; people are cut by theirs
      byTargetGroup: subject === 'person',
      source,
      assumption,
      order: order as number,
      headline,
    });
  }
  // versions of one indicator must not claim the same year
  const byId = new Map<string, IndicatorContent[]>();
  for (const def of out) byId.set(def.id, [...(byId.get(def.id) ?? []), def]);
  for (const [id, defs] of byId) {
    const sorted = defs.sort((a, b) => a.yearFrom - b.yearFrom);
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1];
      const cur = sorted[i];
      if (prev && cur && cur.yearFrom <= prev.yearTo) {
        problems.push({
          file: `indicators/${id}@${cur.version}.yaml`,
          line: 1,
          message: `versions ${prev.version} and ${cur.version} of ${id} both apply to ${cur.yearFrom}; years must not overlap`,
        });
      }
    }
  }
  if (out.length === 0 && problems.length === 0) problems.push({ file: 'indicators', line: 1, message: 'no indicator definition found' });
  return out.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}
