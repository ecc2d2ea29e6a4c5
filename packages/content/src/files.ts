import type { Dirent } from 'node:fs';
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import type { ContentProblem } from './problems.ts';

/** One content file may not exceed this: a lesson is text, not a media dump (video goes to the object store). */
export const MAX_CONTENT_FILE_BYTES = 256 * 1024;

/**
 * Reads a file under `root`, refusing one that resolves outside it (a symlink, `..`) or is too big, so a
 * course package from a stranger cannot make the loader read /etc/passwd or fill the memory.
 */
export async function readContentFile(root: string, relPath: string, problems: ContentProblem[]): Promise<string | null> {
  const file = relPath.split(sep).join('/');
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
export async function listEntries(root: string, relDir: string, problems: ContentProblem[]): Promise<Array<{ name: string; dir: boolean }>> {
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
