import type { JsonObject } from './agents.ts';
import { isPlainObject } from './formats.ts';

/** The language tags of an Accept-Language header, most wanted first (q=0 ones left out). */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((l) => l.tag !== '' && l.q > 0 && Number.isFinite(l.q))
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((l) => l.tag);
}

/**
 * One entry of a language map, as format=canonical asks: the first wanted language the map has (exactly,
 * then by primary subtag: "vi" takes "vi-VN" and the other way round; "*" takes any), else its first entry.
 */
function pickLanguage(map: unknown, wanted: readonly string[]): unknown {
  if (!isPlainObject(map)) return map;
  const tags = Object.keys(map);
  if (tags.length <= 1) return map;
  const lower = tags.map((t) => t.toLowerCase());
  const primary = (t: string) => t.split('-')[0];
  let chosen: number | undefined;
  for (const w of wanted) {
    const exact = lower.indexOf(w);
    const near = w === '*' ? 0 : lower.findIndex((t) => primary(t) === primary(w));
    const at = exact >= 0 ? exact : near;
    if (at >= 0) {
      chosen = at;
      break;
    }
  }
  const tag = tags[chosen ?? 0] as string;
  return { [tag]: map[tag] };
}

const componentLists = ['choices', 'scale', 'source', 'target', 'steps'];

function activity(a: unknown, wanted: readonly string[]): unknown {
  if (!isPlainObject(a) || !isPlainObject(a.definition)) return a;
  const d: JsonObject = { ...a.definition };
  for (const k of ['name', 'description']) if (d[k] !== undefined) d[k] = pickLanguage(d[k], wanted);
  for (const list of componentLists)
    if (Array.isArray(d[list]))
      d[list] = (d[list] as unknown[]).map((c) =>
        isPlainObject(c) && c.description !== undefined ? { ...c, description: pickLanguage(c.description, wanted) } : c,
      );
  return { ...a, definition: d };
}

/** A statement as format=canonical returns it: every language map (verb display, activity names and descriptions, interaction components, attachment texts) down to one language. */
export function canonicalStatement(s: JsonObject, wanted: readonly string[]): JsonObject {
  const out: JsonObject = { ...s };
  if (isPlainObject(s.verb) && s.verb.display !== undefined) out.verb = { ...s.verb, display: pickLanguage(s.verb.display, wanted) };
  if (isPlainObject(s.object)) {
    const type = s.object.objectType ?? 'Activity';
    if (type === 'Activity') out.object = activity(s.object, wanted);
    else if (type === 'SubStatement') out.object = canonicalStatement(s.object, wanted);
  }
  if (isPlainObject(s.context) && isPlainObject(s.context.contextActivities))
    out.context = {
      ...s.context,
      contextActivities: Object.fromEntries(
        Object.entries(s.context.contextActivities).map(([k, v]) => [k, Array.isArray(v) ? v.map((a) => activity(a, wanted)) : activity(v, wanted)]),
      ),
    };
  if (Array.isArray(s.attachments))
    out.attachments = s.attachments.map((a) =>
      isPlainObject(a)
        ? {
            ...a,
            ...(a.display !== undefined ? { display: pickLanguage(a.display, wanted) } : {}),
            ...(a.description !== undefined ? { description: pickLanguage(a.description, wanted) } : {}),
          }
        : a,
    );
  return out;
}
