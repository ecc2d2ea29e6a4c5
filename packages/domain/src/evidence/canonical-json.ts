import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level, so the same value always hashes the same (jsonb reorders keys).
 * Written as one pass into a string (it runs for every statement stored); the output is that of
 * `{${sorted entries, undefined values left out}}` with JSON.stringify for keys and primitives.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const item = value[i];
      if (item !== undefined) out += canonicalJson(item);
    }
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = object[key];
    if (v === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(key)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
