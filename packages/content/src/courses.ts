import type { CourseDoc, Lesson, Module, Question } from '@hts/contracts';
import { courseDocErrors, courseLevels, questionKinds } from '@hts/contracts';
import { type ContentRoot, listEntries, parseYamlFile, readContentFile, type YamlFile } from './files.ts';
import type { ContentProblem } from './problems.ts';

export interface CourseContent {
  slug: string;
  doc: CourseDoc;
}

/** What references in a course are checked against. */
export interface CourseRefs {
  competences: Set<string>;
  targetGroups: Set<string>;
}

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Numbered folders and files, as in svelte.dev's tutorial: the number orders, the rest is the id. */
const NUMBERED = /^([0-9]{2})-([a-z0-9]+(?:-[a-z0-9]+)*)(\.quiz\.yaml|\.video\.yaml|\.external\.yaml|\.md|)$/;

/** The file each module and lesson came from, so a schema problem found on the whole document names it. */
const sourceFile = new WeakMap<object, string>();

type Bad = (path: Array<string | number>, message: string) => void;

interface Inherited {
  level: CourseDoc['level'];
  competences: string[];
  targetGroups: string[];
}

export async function loadCourses(contentDir: string, refs: CourseRefs, problems: ContentProblem[]): Promise<CourseContent[]> {
  const out: CourseContent[] = [];
  for (const entry of await listEntries(contentDir, 'courses', problems)) {
    if (!entry.dir) continue;
    const course = await loadCourse(contentDir, `courses/${entry.name}`, entry.name, refs, problems);
    if (course) out.push(course);
  }
  return out;
}

/** Loads one course folder (also used to import a course package); returns null when anything is wrong. */
export async function loadCourse(root: ContentRoot, dir: string, slug: string, refs: CourseRefs, problems: ContentProblem[]): Promise<CourseContent | null> {
  const before = problems.length;
  if (!SLUG.test(slug)) problems.push({ file: dir, line: 1, message: `folder name "${slug}" must be lower-case words joined by -` });
  const meta = await readYaml(root, `${dir}/course.yaml`, problems);
  if (!meta) return null;
  const bad = badAt(meta, problems);
  const level = String(meta.data.level ?? 'co-ban') as CourseDoc['level'];
  if (!courseLevels.includes(level)) bad(['level'], `level must be one of ${courseLevels.join(', ')}`);
  const sequence = meta.data.sequence ?? 'free';
  if (sequence !== 'locked' && sequence !== 'free') bad(['sequence'], 'sequence must be locked or free');
  const inherited: Inherited = {
    level,
    competences: codes(meta, 'competences', refs.competences, 'competence', bad) ?? [],
    targetGroups: codes(meta, 'targetGroups', refs.targetGroups, 'target group', bad) ?? [],
  };
  if (inherited.competences.length === 0) bad(['competences'], 'a course maps to at least one competence');
  if (inherited.targetGroups.length === 0) bad(['targetGroups'], 'a course names at least one target group');
  const modules: Module[] = [];
  for (const entry of await listEntries(root, dir, problems)) {
    if (!entry.dir) continue;
    const m = NUMBERED.exec(entry.name);
    if (!m || m[3]) {
      problems.push({ file: `${dir}/${entry.name}`, line: 1, message: 'module folders are named like 01-module-name' });
      continue;
    }
    const mod = await loadModule(root, `${dir}/${entry.name}`, m[2] as string, inherited, refs, problems);
    if (mod) modules.push(mod);
  }
  if (modules.length === 0) problems.push({ file: dir, line: 1, message: 'a course needs at least one module folder (01-…)' });
  const finalTestId = meta.data.finalTest === undefined || meta.data.finalTest === null ? null : String(meta.data.finalTest);
  if (finalTestId !== null && !modules.some((m) => m.lessons.some((l) => l.id === finalTestId && l.kind === 'quiz')))
    bad(['finalTest'], `finalTest ${finalTestId} is not a quiz lesson of this course (write it as module.lesson, e.g. on-tap.kiem-tra)`);
  const doc: CourseDoc = {
    title: text(meta, 'title', 200, bad),
    summary: text(meta, 'summary', 1000, bad),
    level,
    language: typeof meta.data.language === 'string' ? meta.data.language : 'vi',
    sequence: sequence === 'locked' ? 'locked' : 'free',
    competences: inherited.competences,
    targetGroups: inherited.targetGroups,
    modules,
  };
  if (finalTestId !== null) doc.finalTestId = finalTestId;
  if (problems.length === before) {
    // the limits every course document keeps (lengths, counts), as the API holds drafts to them
    for (const e of courseDocErrors(doc)) {
      const [, mi, , li] = /^\/modules\/([0-9]+)(\/lessons\/([0-9]+))?/.exec(e.path) ?? [];
      const mod = mi === undefined ? undefined : doc.modules[Number(mi)];
      const lesson = li === undefined ? undefined : mod?.lessons[Number(li)];
      const file = (lesson && sourceFile.get(lesson)) ?? (mod && sourceFile.get(mod)) ?? `${dir}/course.yaml`;
      problems.push({ file, line: 1, message: `${e.path || '/'} ${e.message}` });
    }
  }
  return problems.length === before ? { slug, doc } : null;
}

async function loadModule(root: ContentRoot, dir: string, id: string, parent: Inherited, refs: CourseRefs, problems: ContentProblem[]): Promise<Module | null> {
  const meta = await readYaml(root, `${dir}/module.yaml`, problems);
  if (!meta) return null;
  const bad = badAt(meta, problems);
  const inherited: Inherited = {
    level: parent.level,
    competences: codes(meta, 'competences', refs.competences, 'competence', bad) ?? parent.competences,
    targetGroups: codes(meta, 'targetGroups', refs.targetGroups, 'target group', bad) ?? parent.targetGroups,
  };
  const lessons: Lesson[] = [];
  for (const entry of await listEntries(root, dir, problems)) {
    if (entry.dir || entry.name === 'module.yaml') continue;
    const file = `${dir}/${entry.name}`;
    const m = NUMBERED.exec(entry.name);
    if (!m?.[3]) {
      problems.push({ file, line: 1, message: 'lessons are named like 01-name.md, 02-name.quiz.yaml, 03-name.video.yaml or 04-name.external.yaml' });
      continue;
    }
    const lesson = await loadLesson(root, file, `${id}.${m[2]}`, m[3], inherited, refs, problems);
    if (lesson) lessons.push(lesson);
  }
  if (lessons.length === 0) problems.push({ file: `${dir}/module.yaml`, line: 1, message: 'a module needs at least one lesson' });
  const mod: Module = { id, title: text(meta, 'title', 200, bad), competences: inherited.competences, targetGroups: inherited.targetGroups, lessons };
  sourceFile.set(mod, `${dir}/module.yaml`);
  return mod;
}

async function loadLesson(
  root: ContentRoot,
  file: string,
  id: string,
  suffix: string,
  parent: Inherited,
  refs: CourseRefs,
  problems: ContentProblem[],
): Promise<Lesson | null> {
  const raw = await readContentFile(root, file, problems);
  if (raw === null) return null;
  let y: YamlFile | null;
  let markdown = '';
  if (suffix === '.md') {
    const fm = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(raw);
    if (!fm) {
      problems.push({ file, line: 1, message: 'a markdown lesson starts with front matter between --- lines (title: …)' });
      return null;
    }
    y = parseYamlFile(fm[1] as string, file, problems, 1);
    markdown = raw.slice(fm[0].length);
    if (markdown !== markdown.normalize('NFC')) problems.push({ file, line: 1, message: 'the text is not NFC-normalised' });
  } else y = parseYamlFile(raw, file, problems);
  if (!y) return null;
  const bad = badAt(y, problems);
  const competences = codes(y, 'competences', refs.competences, 'competence', bad) ?? parent.competences;
  const lesson: Lesson = {
    id,
    title: text(y, 'title', 200, bad),
    kind: suffix === '.md' ? 'text' : suffix === '.quiz.yaml' ? 'quiz' : suffix === '.video.yaml' ? 'video' : 'external',
    minutes: int(y, 'minutes', 1, 600, 5, bad),
    required: y.data.required !== false,
    competences,
    targetGroups: codes(y, 'targetGroups', refs.targetGroups, 'target group', bad) ?? parent.targetGroups,
  };
  if (lesson.kind === 'text') lesson.text = { markdown };
  if (lesson.kind === 'video') {
    const hlsUrl = typeof y.data.hlsUrl === 'string' ? y.data.hlsUrl : null;
    const mediaAssetId = typeof y.data.mediaAssetId === 'string' ? y.data.mediaAssetId : null;
    if (!hlsUrl && !mediaAssetId) bad([], 'a video lesson needs hlsUrl or mediaAssetId');
    if (hlsUrl && !/^(https:\/\/|\/)/.test(hlsUrl)) bad(['hlsUrl'], 'hlsUrl must be https:// or a path on this site');
    if (mediaAssetId && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(mediaAssetId)) {
      bad(['mediaAssetId'], 'mediaAssetId must be a media asset id (a UUID, e.g. the demo clip 0de0de0d-0000-4000-8000-000000000001)');
    }
    const durationSeconds = Number(y.data.durationSeconds);
    if (!(durationSeconds > 0)) bad(['durationSeconds'], 'durationSeconds must be a positive number');
    lesson.video = { hlsUrl, mediaAssetId, durationSeconds, watchPercent: int(y, 'watchPercent', 1, 100, 90, bad) };
  }
  if (lesson.kind === 'external') {
    const launchUrl = String(y.data.launchUrl ?? '');
    if (!/^(https:\/\/|\/[^/])/.test(launchUrl)) bad(['launchUrl'], 'launchUrl must be an https:// address or a path on this site (/activities/…)');
    const rule = y.data.rule ?? 'completed';
    if (rule !== 'completed' && rule !== 'passed') bad(['rule'], 'rule must be completed or passed');
    lesson.external = { launchUrl, rule: rule === 'passed' ? 'passed' : 'completed' };
    if (y.data.activityId !== undefined) {
      const activityId = String(y.data.activityId);
      if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(activityId)) bad(['activityId'], 'activityId must be an absolute IRI (e.g. https://example.vn/activities/lab-1)');
      lesson.external.activityId = activityId;
    }
  }
  if (lesson.kind === 'quiz') lesson.quiz = quiz(y, competences, refs, bad);
  sourceFile.set(lesson, file);
  return lesson;
}

function quiz(y: YamlFile, inherited: string[], refs: CourseRefs, bad: Bad): NonNullable<Lesson['quiz']> {
  const list = Array.isArray(y.data.questions) ? (y.data.questions as Array<Record<string, unknown>>) : [];
  if (list.length === 0) bad(['questions'], 'a quiz needs at least one question');
  const seen = new Set<string>();
  const questions: Question[] = [];
  list.forEach((q, i) => {
    const at = (k?: string) => (k ? ['questions', i, k] : ['questions', i]);
    const id = String(q?.id ?? '');
    if (!SLUG.test(id)) {
      bad(at('id'), 'question id must be lower-case words joined by -');
      return;
    }
    if (seen.has(id)) {
      bad(at('id'), `question id ${id} appears twice`);
      return;
    }
    seen.add(id);
    const kind = q.kind as Question['kind'];
    if (!questionKinds.includes(kind)) {
      bad(at('kind'), `kind must be one of ${questionKinds.join(', ')}`);
      return;
    }
    const prompt = typeof q.prompt === 'string' ? q.prompt : '';
    if (!prompt) {
      bad(at('prompt'), 'prompt is required');
      return;
    }
    const options = (Array.isArray(q.options) ? q.options : []).map((o: Record<string, unknown>) => ({
      id: String(o?.id ?? ''),
      text: String(o?.text ?? ''),
      correct: o?.correct === true,
    }));
    const right = options.filter((o) => o.correct).length;
    if (kind === 'single' || kind === 'multiple') {
      if (options.length < 2) {
        bad(at('options'), 'a choice question needs at least two options');
        return;
      }
      if (new Set(options.map((o) => o.id)).size !== options.length || options.some((o) => !o.id || !o.text)) {
        bad(at('options'), 'every option needs a unique id and a text');
        return;
      }
      if (kind === 'single' && right !== 1) {
        bad(at('options'), 'a single-choice question has exactly one correct option');
        return;
      }
      if (kind === 'multiple' && right < 1) {
        bad(at('options'), 'a multiple-choice question has at least one correct option');
        return;
      }
    }
    if (kind === 'true-false' && typeof q.answer !== 'boolean') {
      bad(at('answer'), 'a true/false question needs answer: true or false');
      return;
    }
    const accept = Array.isArray(q.accept) ? q.accept.map(String).filter(Boolean) : [];
    if (kind === 'short' && accept.length === 0) {
      bad(at('accept'), 'a short-answer question needs a list of accepted answers');
      return;
    }
    const feedback = (q.feedback ?? {}) as Record<string, unknown>;
    const own = Array.isArray(q.competences) ? q.competences.map(String) : null;
    for (const c of own ?? []) if (!refs.competences.has(c)) bad(at('competences'), `unknown competence ${c}`);
    questions.push({
      id,
      kind,
      prompt,
      options: kind === 'single' || kind === 'multiple' ? options : [],
      answer: kind === 'true-false' ? (q.answer as boolean) : null,
      accept: kind === 'short' ? accept : [],
      feedback: { correct: String(feedback.correct ?? ''), incorrect: String(feedback.incorrect ?? '') },
      competences: own ?? inherited,
    });
  });
  const drawCount = y.data.drawCount === undefined || y.data.drawCount === null ? null : int(y, 'drawCount', 1, 200, 1, bad);
  if (drawCount !== null && drawCount > list.length) bad(['drawCount'], 'drawCount is larger than the number of questions');
  return { passPercent: int(y, 'passPercent', 1, 100, 80, bad), drawCount, questions };
}

async function readYaml(root: ContentRoot, file: string, problems: ContentProblem[]): Promise<YamlFile | null> {
  const text = await readContentFile(root, file, problems);
  return text === null ? null : parseYamlFile(text, file, problems);
}

function badAt(y: YamlFile, problems: ContentProblem[]): Bad {
  return (path, message) => problems.push({ file: y.file, line: y.lineOf(path), message });
}

function text(y: YamlFile, key: string, max: number, bad: Bad): string {
  const value = y.data[key];
  if (typeof value !== 'string' || !value.trim()) {
    bad([key], `${key} is required`);
    return '';
  }
  if (value.length > max) bad([key], `${key} is longer than ${max} characters`);
  if (value !== value.normalize('NFC')) bad([key], `${key} is not NFC-normalised`);
  return value.trim();
}

function int(y: YamlFile, key: string, min: number, max: number, fallback: number, bad: Bad): number {
  const value = y.data[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    bad([key], `${key} must be a whole number from ${min} to ${max}`);
    return fallback;
  }
  return value;
}

/** A list of codes checked against what exists; undefined when the key is absent (so the parent's apply). */
function codes(y: YamlFile, key: string, known: Set<string>, what: string, bad: Bad): string[] | undefined {
  const value = y.data[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    bad([key], `${key} must be a list`);
    return [];
  }
  const out = value.map(String);
  out.forEach((c, i) => {
    if (!known.has(c)) bad([key, i], `unknown ${what} ${c}`);
  });
  return out;
}
