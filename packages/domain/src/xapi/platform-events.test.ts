import { randomUUID } from 'node:crypto';
import type { DatabaseHandle } from '@hts/db';
import { evidenceChain } from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../shared/deps.ts';
import { isUuid } from './formats.ts';
import { getStatements } from './get-statements.ts';
import { eventStatementId, type LearningEvent, recordLearningEvents } from './platform-events.ts';
import type { LrsPrincipal } from './principal.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase(process.env.TEST_DATABASE_URL);
});
afterAll(async () => h?.close());

const baseIri = 'https://hoc.bacninh.vn';
const reader: LrsPrincipal = { authorityKey: 'client:r', authority: { mbox: 'mailto:r@example.vn' }, scopes: new Set(['all/read']) };

describe('internal learning events as xAPI statements', () => {
  it('makes a valid RFC 4122 statement id from an event id, the same every time', () => {
    const id = eventStatementId('progress:abc');
    expect(isUuid(id)).toBe(true);
    expect(eventStatementId('progress:abc')).toBe(id);
  });

  it('answers what a person did in one query; a replayed completion is stored once and left to the learning code to chain', async () => {
    const userId = randomUUID();
    const course = { type: 'course' as const, id: 'ky-nang-so-co-ban', name: 'Kỹ năng số cơ bản' };
    const at = new Date();
    const events: LearningEvent[] = [
      { kind: 'progress', eventId: `p-${userId}`, userId, activity: { type: 'lesson', id: 'bai-1' }, percent: 100, at, course },
      {
        kind: 'quiz_attempt',
        eventId: `q-${userId}`,
        userId,
        quiz: { type: 'quiz', id: 'kiem-tra-1' },
        scaled: 0.9,
        raw: 9,
        max: 10,
        passed: true,
        durationSeconds: 300,
        at,
        course,
      },
      { kind: 'completion', eventId: `c-${userId}`, userId, course, at },
    ];
    const deps = { db: h.db, clock: systemClock, baseIri };
    await recordLearningEvents(deps, events);
    await recordLearningEvents(deps, [events[2] as LearningEvent]);
    const answer = await getStatements(deps, reader, { agent: JSON.stringify({ account: { homePage: baseIri, name: userId } }) }, '/xapi/statements');
    if (answer.kind !== 'many') throw new Error('expected a page');
    expect(answer.result.statements.map((s) => (s.verb as { id: string }).id).sort()).toEqual([
      'http://adlnet.gov/expapi/verbs/completed',
      'http://adlnet.gov/expapi/verbs/passed',
      'http://adlnet.gov/expapi/verbs/progressed',
    ]);
    const chained = await h.db
      .select()
      .from(evidenceChain)
      .where(eq(evidenceChain.subjectId, eventStatementId(`c-${userId}`)));
    // the learning code chains a course completion where it writes it; the statement adds no second entry
    expect(chained).toHaveLength(0);
    const stored = await getStatements(deps, reader, { activity: 'https://hoc.bacninh.vn/xapi/activities/course/ky-nang-so-co-ban' }, '/xapi/statements');
    if (stored.kind !== 'many') throw new Error('expected a page');
    expect(stored.result.statements.map((s) => s.id)).toEqual([eventStatementId(`c-${userId}`)]);
  });
});
