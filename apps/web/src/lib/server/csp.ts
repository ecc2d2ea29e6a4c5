/** The directives a browser needs widened to fetch HLS playlists, segments, posters and captions from S3/a CDN. */
const MEDIA_DIRECTIVES = ['connect-src', 'media-src', 'img-src'] as const;

/** MEDIA_ORIGINS: origins separated by spaces or commas ("https://s3.example.vn https://cdn.example.vn"). */
export function parseMediaOrigins(raw: string | undefined): string[] {
  const origins: string[] = [];
  for (const item of (raw ?? '').split(/[\s,]+/).filter(Boolean)) {
    let url: URL;
    try {
      url = new URL(item);
    } catch {
      throw new Error(`MEDIA_ORIGINS: "${item}" is not an origin like https://s3.example.vn`);
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== item.replace(/\/$/, '')) {
      throw new Error(`MEDIA_ORIGINS: "${item}" must be only a scheme, host and port, like https://s3.example.vn`);
    }
    origins.push(url.origin);
  }
  return origins;
}

/**
 * The page's Content-Security-Policy with the media origins added to connect-src, media-src and img-src
 * (each directive is created from default-src when the policy lacks it). Set at deploy time, not build time.
 */
export function widenCsp(policy: string, origins: string[]): string {
  if (origins.length === 0) return policy;
  const directives = policy
    .split(';')
    .map((d) => d.trim())
    .filter(Boolean);
  const fallback = directives.find((d) => d.startsWith('default-src '))?.slice('default-src '.length) ?? "'self'";
  for (const name of MEDIA_DIRECTIVES) {
    const i = directives.findIndex((d) => d === name || d.startsWith(`${name} `));
    const current = i >= 0 ? (directives[i] as string) : `${name} ${fallback}`;
    const have = new Set(current.split(/\s+/).slice(1));
    const added = origins.filter((o) => !have.has(o));
    const next = added.length > 0 ? `${current} ${added.join(' ')}` : current;
    if (i >= 0) directives[i] = next;
    else directives.push(next);
  }
  return directives.join('; ');
}
