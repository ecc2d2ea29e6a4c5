import { describe, expect, it } from 'vitest';
import { routes } from './routes.ts';

const all = Object.entries(routes);

describe('route table', () => {
  it('gives every route a unique method and path', () => {
    const keys = all.map(([, r]) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('declares a success answer and the edge errors (400, 500) for every route', () => {
    for (const [name, r] of all) {
      const statuses = Object.keys(r.response).map(Number);
      expect(
        statuses.some((s) => s >= 200 && s < 300),
        name,
      ).toBe(true);
      expect(statuses, name).toContain(500);
      if (name !== 'health') expect(statuses, name).toContain(400);
    }
  });

  it('declares 401 and 403 for every route that needs a signed-in user', () => {
    for (const [name, r] of all) {
      if (r.access === 'public') continue;
      expect(Object.keys(r.response), name).toEqual(expect.arrayContaining(['401', '403']));
    }
  });

  it('declares a body schema for every POST and PUT, and 415 for a body that is not JSON', () => {
    // cmi5 §8.2: an activity POSTs to its fetch URL with no body, and the answer is always HTTP 200
    const bodiless = new Set(['fetchLaunchToken']);
    for (const [name, r] of all) {
      if (r.method !== 'POST' && r.method !== 'PUT') continue;
      if (bodiless.has(name)) {
        expect('body' in r, name).toBe(false);
        continue;
      }
      expect('body' in r, name).toBe(true);
      expect(Object.keys(r.response), name).toContain('415');
    }
  });

  it('declares a params schema for every path with a parameter', () => {
    for (const [name, r] of all) if (r.path.includes(':')) expect('params' in r, name).toBe(true);
  });
});
