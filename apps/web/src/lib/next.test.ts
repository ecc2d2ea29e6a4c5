import { describe, expect, it } from 'vitest';
import { loginUrlFor, safeNext } from './next.ts';

describe('the `next` redirect after signing in', () => {
  it('accepts a local path with its query and fragment', () => {
    expect(safeNext('/profile')).toBe('/profile');
    expect(safeNext('/admin/users?q=lan&role=officer')).toBe('/admin/users?q=lan&role=officer');
    expect(safeNext('/courses#top')).toBe('/courses#top');
  });

  it('falls back to the home page for anything that could leave the site', () => {
    for (const next of [
      'https://evil.example/',
      'http:evil.example',
      '//evil.example/path',
      '/\\evil.example',
      '\\\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      'javascript:alert(1)',
      'evil.example',
      'profile',
      '',
      null,
      undefined,
      `/${'a'.repeat(1001)}`,
    ]) {
      expect(safeNext(next), String(next)).toBe('/');
    }
  });

  it('keeps encoded characters encoded, so they cannot become a second slash', () => {
    expect(safeNext('/%2F%2Fevil.example')).toBe('/%2F%2Fevil.example');
  });

  it('normalises dot segments without leaving the site', () => {
    expect(safeNext('/../../etc/passwd')).toBe('/etc/passwd');
  });

  it('uses the given fallback', () => {
    expect(safeNext('//evil.example', '/profile')).toBe('/profile');
  });

  it('builds the login URL that brings the user back', () => {
    expect(loginUrlFor(new URL('http://127.0.0.1:3000/admin/users?q=lan'))).toBe('/login?next=%2Fadmin%2Fusers%3Fq%3Dlan');
    expect(loginUrlFor(new URL('http://127.0.0.1:3000/'))).toBe('/login');
  });
});
