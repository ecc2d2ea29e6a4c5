/** The compressions the API makes for answers it keeps serialized, best first when a client accepts both equally. */
export type ContentEncoding = 'br' | 'gzip';
const OURS: readonly ContentEncoding[] = ['br', 'gzip'];

/**
 * The encoding to answer with for an `Accept-Encoding` header (RFC 9110 §12.5.3): the one the client
 * weighs highest, brotli before gzip at equal weight, `*` standing for any not named, `q=0` refusing;
 * null for identity (no header, or nothing of ours acceptable). Phones on a weak link always send one.
 */
export function acceptedEncoding(header: string | string[] | undefined): ContentEncoding | null {
  if (header === undefined) return null;
  const weights = new Map<string, number>();
  for (const part of (Array.isArray(header) ? header.join(',') : header).split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!name) continue;
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name, Number.isFinite(weight) ? Math.min(1, Math.max(0, weight)) : 0);
  }
  let best: ContentEncoding | null = null;
  let bestWeight = 0;
  for (const encoding of OURS) {
    const weight = weights.get(encoding) ?? (encoding === 'gzip' ? weights.get('x-gzip') : undefined) ?? weights.get('*') ?? 0;
    if (weight > bestWeight) {
      best = encoding;
      bestWeight = weight;
    }
  }
  return best;
}
