import type { CourseDoc, Lesson, Module, Question } from '@hts/contracts';
import { Unzip, UnzipInflate, Zip, ZipDeflate } from 'fflate';
import { stringify } from 'yaml';
import { type CourseContent, type CourseRefs, loadCourse } from './courses.ts';
import { MAX_CONTENT_FILE_BYTES } from './files.ts';
import type { ContentProblem } from './problems.ts';

/**
 * A course package is one course folder of content/courses/ in a zip: `<slug>/course.yaml`,
 * `<slug>/01-module/module.yaml`, `<slug>/01-module/01-lesson.md`, … It is read into memory (never written
 * to disk) and validated by the same loader as `content check`, so a problem names the file and line.
 */
export const COURSE_PACKAGE_LIMITS = {
  /** the zip as uploaded */
  maxPackageBytes: 16 * 1024 * 1024,
  /** entries in the zip, folders included */
  maxEntries: 2000,
  /** all files once unpacked */
  maxUnpackedBytes: 64 * 1024 * 1024,
} as const;

/** Folders some zip tools add that are not part of the course. */
const IGNORED = /^__MACOSX(\/|$)|(^|\/)\.[^/]*$|(^|\/)\.[^/]*\//;

export interface ReadPackageResult {
  course: CourseContent | null;
  problems: ContentProblem[];
}

/** Why an entry's name is refused, or null when it stays inside the package folder. */
export function unsafeEntryName(name: string): string | null {
  if (name.includes('\0')) return 'the name contains a NUL character';
  if (name.includes('\\')) return 'path uses \\ (zip paths use /)';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'path leads outside the package folder (absolute path)';
  if (name.split('/').some((part) => part === '..')) return 'path leads outside the package folder (..)';
  return null;
}

/**
 * Unpacks a zip in memory with limits checked while inflating (a lying header cannot make it allocate more
 * than a file's limit), then loads the one course folder in it. Zip-level problems (not a zip, a path
 * outside the folder, an oversize file, too many entries) stop before the loader runs.
 */
export function unpackCoursePackage(bytes: Uint8Array, limits = COURSE_PACKAGE_LIMITS): { files: Map<string, Uint8Array>; problems: ContentProblem[] } {
  const problems: ContentProblem[] = [];
  const files = new Map<string, Uint8Array>();
  if (bytes.byteLength > limits.maxPackageBytes) {
    problems.push({ file: '(package)', line: 1, message: `the package is ${bytes.byteLength} bytes; at most ${limits.maxPackageBytes} are allowed` });
    return { files, problems };
  }
  if (bytes.byteLength < 22 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
    problems.push({ file: '(package)', line: 1, message: 'the package is not a zip file' });
    return { files, problems };
  }
  let entries = 0;
  let unpacked = 0;
  let stop = false;
  const unzip = new Unzip((file) => {
    if (stop) return;
    entries += 1;
    if (entries > limits.maxEntries) {
      problems.push({ file: file.name, line: 1, message: `the package has more than ${limits.maxEntries} entries` });
      stop = true;
      return;
    }
    const unsafe = unsafeEntryName(file.name);
    if (unsafe) {
      problems.push({ file: file.name, line: 1, message: unsafe });
      return;
    }
    if (file.name.endsWith('/') || IGNORED.test(file.name)) return;
    if (file.compression !== 0 && file.compression !== 8) {
      problems.push({ file: file.name, line: 1, message: `compression method ${file.compression} is not supported (use deflate)` });
      return;
    }
    if ((file.originalSize ?? 0) > MAX_CONTENT_FILE_BYTES) {
      problems.push({ file: file.name, line: 1, message: `file is ${file.originalSize} bytes; at most ${MAX_CONTENT_FILE_BYTES} are allowed` });
      return;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    let refused = false;
    file.ondata = (err, chunk, final) => {
      if (refused) return;
      if (err) {
        problems.push({ file: file.name, line: 1, message: `the file cannot be unpacked: ${err.message}` });
        refused = true;
        return;
      }
      size += chunk.byteLength;
      unpacked += chunk.byteLength;
      if (size > MAX_CONTENT_FILE_BYTES) {
        problems.push({
          file: file.name,
          line: 1,
          message: `file is more than ${MAX_CONTENT_FILE_BYTES} bytes; at most ${MAX_CONTENT_FILE_BYTES} are allowed`,
        });
        refused = true;
        file.terminate();
        return;
      }
      if (unpacked > limits.maxUnpackedBytes) {
        problems.push({ file: file.name, line: 1, message: `the package unpacks to more than ${limits.maxUnpackedBytes} bytes` });
        refused = true;
        stop = true;
        file.terminate();
        return;
      }
      chunks.push(chunk);
      if (final) files.set(file.name, concat(chunks, size));
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    unzip.push(bytes, true);
  } catch (err) {
    problems.push({ file: '(package)', line: 1, message: `the zip file is damaged: ${err instanceof Error ? err.message : String(err)}` });
  }
  if (problems.length === 0 && files.size === 0) problems.push({ file: '(package)', line: 1, message: 'the package holds no files' });
  return { files, problems };
}

/**
 * Reads a course package: one top folder named after the course (`slug`, unless `slug` is given to import it
 * under another name), validated exactly as content/courses/<slug>/ is by `content check`.
 */
export async function readCoursePackage(bytes: Uint8Array, refs: CourseRefs, options: { slug?: string } = {}): Promise<ReadPackageResult> {
  const { files, problems } = unpackCoursePackage(bytes);
  if (problems.length > 0) return { course: null, problems };
  const tops = new Set([...files.keys()].map((name) => name.split('/')[0] as string));
  const loose = [...files.keys()].find((name) => !name.includes('/'));
  if (tops.size !== 1 || loose !== undefined) {
    const file = loose ?? [...files.keys()].sort()[0] ?? '(package)';
    problems.push({ file, line: 1, message: 'a course package holds exactly one folder, named after the course (e.g. ky-nang-so/course.yaml)' });
    return { course: null, problems };
  }
  const folder = [...tops][0] as string;
  const course = await loadCourse({ files }, folder, options.slug ?? folder, refs, problems);
  return { course: problems.length === 0 ? course : null, problems };
}

/**
 * The files of a course folder in the content/ format, written so that loading them gives the same
 * document back: a value equal to what its parent would pass down is left out (it is inherited), and every
 * other one is written. Lesson ids are `<module>.<name>`; the name becomes the file name.
 */
export function coursePackageFiles(slug: string, doc: CourseDoc): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const course: Record<string, unknown> = {
    title: doc.title,
    summary: doc.summary,
    level: doc.level,
    language: doc.language,
    sequence: doc.sequence,
    competences: doc.competences,
    targetGroups: doc.targetGroups,
  };
  if (doc.finalTestId) course.finalTest = doc.finalTestId;
  out.push([`${slug}/course.yaml`, yaml(course)]);
  doc.modules.forEach((m, mi) => {
    const dir = `${slug}/${number(mi)}-${m.id}`;
    const mod: Record<string, unknown> = { title: m.title };
    inheritable(mod, m, doc);
    out.push([`${dir}/module.yaml`, yaml(mod)]);
    m.lessons.forEach((l, li) => {
      out.push(lessonFile(dir, li, m, l));
    });
  });
  return out;
}

function lessonFile(dir: string, index: number, m: Module, l: Lesson): [string, string] {
  const name = l.id.startsWith(`${m.id}.`) ? l.id.slice(m.id.length + 1) : (l.id.split('.').pop() ?? l.id);
  const base = `${dir}/${number(index)}-${name}`;
  const meta: Record<string, unknown> = { title: l.title, minutes: l.minutes };
  if (!l.required) meta.required = false;
  inheritable(meta, l, m);
  if (l.kind === 'text') return [`${base}.md`, `---\n${yaml(meta)}---\n${l.text?.markdown ?? ''}`];
  if (l.kind === 'video' && l.video) {
    if (l.video.hlsUrl !== null) meta.hlsUrl = l.video.hlsUrl;
    if (l.video.mediaAssetId !== null) meta.mediaAssetId = l.video.mediaAssetId;
    meta.durationSeconds = l.video.durationSeconds;
    meta.watchPercent = l.video.watchPercent;
    return [`${base}.video.yaml`, yaml(meta)];
  }
  if (l.kind === 'external' && l.external) {
    meta.launchUrl = l.external.launchUrl;
    meta.rule = l.external.rule;
    if (l.external.activityId !== undefined) meta.activityId = l.external.activityId;
    return [`${base}.external.yaml`, yaml(meta)];
  }
  const quiz = l.quiz ?? { passPercent: 80, drawCount: null, questions: [] };
  meta.passPercent = quiz.passPercent;
  if (quiz.drawCount !== null) meta.drawCount = quiz.drawCount;
  meta.questions = quiz.questions.map((q) => questionYaml(q, l.competences));
  return [`${base}.quiz.yaml`, yaml(meta)];
}

function questionYaml(q: Question, inherited: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { id: q.id, kind: q.kind, prompt: q.prompt };
  if (q.kind === 'single' || q.kind === 'multiple') out.options = q.options.map((o) => ({ id: o.id, text: o.text, correct: o.correct }));
  if (q.kind === 'true-false') out.answer = q.answer === true;
  if (q.kind === 'short') out.accept = q.accept;
  if (q.feedback.correct || q.feedback.incorrect) out.feedback = { correct: q.feedback.correct, incorrect: q.feedback.incorrect };
  if (!sameList(q.competences, inherited)) out.competences = q.competences;
  return out;
}

function inheritable(
  out: Record<string, unknown>,
  own: { competences: string[]; targetGroups: string[] },
  parent: { competences: string[]; targetGroups: string[] },
) {
  if (!sameList(own.competences, parent.competences)) out.competences = own.competences;
  if (!sameList(own.targetGroups, parent.targetGroups)) out.targetGroups = own.targetGroups;
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const number = (i: number) => String(i + 1).padStart(2, '0');
const yaml = (value: unknown) => stringify(value, { lineWidth: 0 });

/** Why a document cannot be written as a package (numbered names have two digits), or null. */
export function packageLimitProblem(doc: CourseDoc): string | null {
  if (doc.modules.length > 99) return 'a package holds at most 99 modules';
  const big = doc.modules.find((m) => m.lessons.length > 99);
  return big ? `module ${big.id} has more than 99 lessons; a package holds at most 99 per module` : null;
}

/**
 * The zip of a course, produced file by file as it is read (each file is deflated when the stream asks for
 * more), so a large course is never held twice in memory.
 */
export async function* zipCoursePackage(files: Array<[string, string]>, mtime = new Date()): AsyncGenerator<Uint8Array> {
  const pending: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) failure = err;
    else pending.push(chunk);
  });
  const encoder = new TextEncoder();
  for (const [name, text] of files) {
    const entry = new ZipDeflate(name, { level: 6 });
    entry.mtime = mtime;
    zip.add(entry);
    entry.push(encoder.encode(text), true);
    if (failure) throw failure;
    yield* pending.splice(0);
  }
  zip.end();
  if (failure) throw failure;
  yield* pending.splice(0);
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
