import type { Dirent } from 'node:fs';
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import type { ContentProblem } from './problems.ts';

/** One content file may not exceed this: a lesson is text, not a media dump (video goes to the object store). */
export const MAX_CONTENT_FILE_BYTES = 256 * 1024;

/**
 * A content folder held in memory: a course package being imported. Paths use `/` and are relative to the
 * package; nothing outside it can be named, and nothing in it is ever written to disk or followed as a link.
 */
export interface MemoryFolder {
  files: ReadonlyMap<string, Uint8Array>;
}

/** Where content is read from: a folder on disk, or a package in memory. */
export type ContentRoot = string | MemoryFolder;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a file under `root`, refusing one that resolves outside it (a symlink, `..`) or is too big, so a
 * course package from a stranger cannot make the loader read /etc/passwd or fill the memory.
 */
export async function readContentFile(root: ContentRoot, relPath: string, problems: ContentProblem[]): Promise<string | null> {
  const file = relPath.split(sep).join('/');
  if (typeof root !== 'string') return readMemoryFile(root, file, problems);
  const path = join(root, relPath);
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    problems.push({ file, line: 1, message: 'file not found' });
    return null;
  }
  const realRoot = await realpath(root);
  if (relative(realRoot, real).startsWith('..') || !real.startsWith(realRoot + sep)) {
    problems.push({ file, line: 1, message: 'path leads outside the content folder' });
    return null;
  }
  const info = await lstat(real);
  if (info.size > MAX_CONTENT_FILE_BYTES) {
    problems.push({ file, line: 1, message: `file is ${info.size} bytes; at most ${MAX_CONTENT_FILE_BYTES} are allowed` });
    return null;
  }
  return readFile(real, 'utf8');
}

/** Directory entries sorted by name; symlinked folders that lead outside `root` are reported, not followed. */
export async function listEntries(root: ContentRoot, relDir: string, problems: ContentProblem[]): Promise<Array<{ name: string; dir: boolean }>> {
  if (typeof root !== 'string') return listMemoryEntries(root, relDir.split(sep).join('/'));
  let entries: Dirent[];
  try {
    entries = await readdir(join(root, relDir), { encoding: 'utf8', withFileTypes: true });
  } catch {
    return [];
  }
  const realRoot = await realpath(root);
  const out: Array<{ name: string; dir: boolean }> = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.')) continue;
    const rel = join(relDir, e.name);
    if (e.isSymbolicLink()) {
      const real = await realpath(join(root, rel)).catch(() => null);
      if (!real?.startsWith(realRoot + sep)) {
        problems.push({ file: rel.split(sep).join('/'), line: 1, message: 'path leads outside the content folder' });
        continue;
      }
      const target = await lstat(real);
      out.push({ name: e.name, dir: target.isDirectory() });
      continue;
    }
    out.push({ name: e.name, dir: e.isDirectory() });
  }
  return out;
}

function readMemoryFile(root: MemoryFolder, file: string, problems: ContentProblem[]): string | null {
  const bytes = root.files.get(file);
  if (!bytes) {
    problems.push({ file, line: 1, message: 'file not found' });
    return null;
  }
  if (bytes.byteLength > MAX_CONTENT_FILE_BYTES) {
    problems.push({ file, line: 1, message: `file is ${bytes.byteLength} bytes; at most ${MAX_CONTENT_FILE_BYTES} are allowed` });
    return null;
  }
  try {
    return utf8.decode(bytes);
  } catch {
    problems.push({ file, line: 1, message: 'file is not UTF-8 text' });
    return null;
  }
}

/** The files and folders directly inside `relDir`, sorted by name like a folder on disk; dot-names skipped. */
function listMemoryEntries(root: MemoryFolder, relDir: string): Array<{ name: string; dir: boolean }> {
  const prefix = relDir === '' || relDir === '.' ? '' : `${relDir.replace(/\/+$/, '')}/`;
  const found = new Map<string, boolean>();
  for (const path of root.files.keys()) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf('/');
    const name = slash === -1 ? rest : rest.slice(0, slash);
    if (!name || name.startsWith('.')) continue;
    found.set(name, (found.get(name) ?? false) || slash !== -1);
  }
  return [...found.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, dir]) => ({ name, dir }));
}

export interface YamlFile {
  file: string;
  doc: Document;
  data: Record<string, unknown>;
  /** Line of the value at a path (e.g. ['questions', 2, 'kind']), or of the nearest parent found. */
  lineOf(path: Array<string | number>): number;
}

/** Parses YAML reporting syntax errors at their line; `lineOffset` is for front matter inside markdown. */
export function parseYamlFile(text: string, file: string, problems: ContentProblem[], lineOffset = 0): YamlFile | null {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const line = (e.linePos?.[0]?.line ?? lineCounter.linePos(e.pos[0]).line) + lineOffset;
      problems.push({ file, line, message: `broken YAML: ${e.message.split('\n')[0] ?? 'invalid'}` });
    }
    return null;
  }
  const data = doc.toJS() as unknown;
  if (data !== null && (typeof data !== 'object' || Array.isArray(data))) {
    problems.push({ file, line: 1 + lineOffset, message: 'must be a YAML mapping (key: value)' });
    return null;
  }
  const lineOf = (path: Array<string | number>): number => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line + lineOffset;
    }
    return 1 + lineOffset;
  };
  return { file, doc, data: (data ?? {}) as Record<string, unknown>, lineOf };
}

export type YamlPath = Array<string | number>;

/**
 * Readers of typed fields of a parsed YAML file that report a problem at the line of the value at fault.
 * `str` keeps the text as written unless asked to trim (a criteria label's exact text is part of its version).
 */
export function yamlFields(y: YamlFile, problems: ContentProblem[]) {
  const bad = (path: YamlPath, message: string) => problems.push({ file: y.file, line: y.lineOf(path), message });
  const get = (path: YamlPath): unknown => {
    let v: unknown = y.data;
    for (const k of path) v = v && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined;
    return v;
  };
  const str = (path: YamlPath, options: { required?: boolean; trim?: boolean; numbers?: boolean } = {}): string => {
    const v = get(path);
    if (typeof v === 'string' && v.trim()) {
      if (v !== v.normalize('NFC')) bad(path, `${path.join('.')} is not NFC-normalised`);
      return options.trim ? v.trim() : v;
    }
    if (options.numbers && typeof v === 'number') return String(v);
    if (options.required ?? true) bad(path, `${path.join('.')} is required`);
    return '';
  };
  const int = (path: YamlPath, min: number, max: number, fallback?: number): number => {
    const v = get(path);
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      bad(path, `${path.join('.')} must be a whole number from ${min} to ${max}`);
      return Number.NaN;
    }
    return v;
  };
  return { bad, get, str, int };
}
