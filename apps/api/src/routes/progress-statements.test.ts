import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, newCitizen, type TestApp } from '../testing/test-app.ts';

/**
 * What one progress batch costs in database statements. Under load every statement waits its turn at the
 * database, so the number of statements (and round trips) per batch sets the ingest rate; this keeps the
 * count from creeping back up unnoticed. Counted are the statements sent through drizzle, not the driver's
 * own BEGIN and COMMIT.
 */
let t: TestApp;
let sent: Array<{ query: string; params: unknown[] }> = [];
beforeAll(async () => {
  t = await createTestApp({ onQuery: (query, params) => sent.push({ query, params }) });
}, 60_000);
afterAll(async () => t?.close());

async function statementsOf<T>(work: () => Promise<T>): Promise<{ result: T; statements: Array<{ query: string; params: unknown[] }> }> {
  sent = [];
  const result = await work();
  return { result, statements: sent };
}

describe('statements per progress batch', () => {
  it('writes a batch of 50 new events with four statements (actor, lock, read, write), none with parameters, and answers its replay with three', async () => {
    const page = (await t.app.inject({ method: 'GET', url: '/api/courses/phong-tranh-lua-dao-truc-tuyen' })).json();
    const courseId = page.course.id as string;
    const lessons = (page.modules as Array<{ lessons: Array<{ id: string; kind: string }> }>)
      .flatMap((m) => m.lessons)
      .filter((l) => l.kind === 'text')
      .map((l) => l.id);
    const token = (await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: newCitizen() })).json().accessToken as string;
    expect((await t.app.inject({ method: 'POST', url: `/api/courses/${courseId}/enrolments`, headers: bearer(token), payload: {} })).statusCode).toBe(201);
    const post = (events: unknown[]) => t.app.inject({ method: 'POST', url: '/api/progress', headers: bearer(token), payload: { events } });
    const batch = (tag: string) =>
      Array.from({ length: 50 }, (_, k) => ({ id: `dem-batch-${tag}-${k}`, courseId, lessonId: lessons[k % lessons.length], kind: 'opened' }));
    // the first batch completes the text lessons; the version document is then kept in process
    expect((await post(batch('a'))).statusCode).toBe(200);

    const fresh = await statementsOf(() => post(batch('b')));
    expect(fresh.result.statusCode, fresh.result.body).toBe(200);
    expect(fresh.result.json().results.every((r: { status: string; replayed: boolean }) => r.status === 'accepted' && !r.replayed)).toBe(true);
    expect(fresh.statements, fresh.statements.map((s) => s.query).join('\n---\n')).toHaveLength(4);
    expect(fresh.statements[1]?.query).toContain('pg_advisory_xact_lock');
    // without parameters each is one round trip on postgres.js, and the read follows the lock in the same one
    // (with a parameter the driver asks for its type first and holds the connection: two round trips each)
    expect(fresh.statements.map((s) => s.params)).toEqual([[], [], [], []]);

    const replay = await statementsOf(() => post(batch('b')));
    expect(replay.result.json().results.every((r: { replayed: boolean }) => r.replayed)).toBe(true);
    expect(replay.statements, replay.statements.map((s) => s.query).join('\n---\n')).toHaveLength(3);
    expect(replay.statements.map((s) => s.params)).toEqual([[], [], []]);
  });
});
