/**
 * Where to go after signing in. Only a path on this site is accepted ("/profile?tab=1"); anything that
 * could leave the site ("//evil.example", "https://…", "/\\evil", "javascript:…") becomes "/".
 */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (!next || next.length > 1000) return fallback;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  // control characters and backslashes are read as "/" or dropped by browsers: refuse them outright
  if ([...next].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f || ch === '\\')) return fallback;
  try {
    const base = 'http://local.invalid';
    const url = new URL(next, base);
    if (url.origin !== base) return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}

/** The login URL that brings the user back to `url` afterwards. */
export function loginUrlFor(url: URL): string {
  const next = url.pathname + url.search;
  return next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
}
