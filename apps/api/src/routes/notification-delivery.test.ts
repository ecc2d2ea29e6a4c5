import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jobs, notificationDeliveries, notifications } from '@hts/db';
import { NOTIFICATION_DELIVER_JOB, notificationJobHandlers, notificationSettingsFromEnv, notifierFor, startWorkerLoop } from '@hts/domain';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, newCitizen, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
let gateway: Server;
let settings: ReturnType<typeof notificationSettingsFromEnv>;
const received: Array<Record<string, unknown>> = [];
/** While false the gateway holds every request open, like a gateway that has stopped answering. */
let answering = false;
const held: Array<() => void> = [];

beforeAll(async () => {
  gateway = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"messageId":"M-42"}');
    if (answering) answer();
    else held.push(answer);
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  settings = notificationSettingsFromEnv(
    { SMS_GATEWAY_URL: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/send`, SMS_GATEWAY_TOKEN: 'tok', NOTIFY_TIMEOUT_MS: '30000' },
    'http://localhost:3000',
  );
  t = await createTestApp({ notifier: notifierFor(settings) });
}, 120_000);
afterAll(async () => {
  for (const answer of held) answer();
  gateway?.closeAllConnections();
  await new Promise<void>((resolve) => gateway?.close(() => resolve()));
  await t?.close();
});

describe('notices by SMS from the API', () => {
  it('submits a self-assessment without waiting on the SMS gateway; the worker then sends the notice', async () => {
    const reg = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: newCitizen({ email: undefined, phone: '0912000111' }) });
    const token = reg.json().accessToken as string;
    const userId = reg.json().user.id as string;
    const year = new Date().getUTCFullYear();
    const opened = await t.app.inject({ method: 'POST', url: '/api/me/self-assessments', headers: bearer(token), payload: { year } });
    const items = (opened.json().groups as Array<{ criteria: Array<{ id: string; points: number; prefilled: boolean }> }>)
      .flatMap((g) => g.criteria)
      .filter((c) => !c.prefilled)
      .map((c) => ({ criterionId: c.id, points: c.points, comment: 'Tham gia đầy đủ' }));
    await t.app.inject({ method: 'PUT', url: `/api/me/self-assessments/${opened.json().id}/items`, headers: bearer(token), payload: { items } });

    const submitted = await t.app.inject({ method: 'POST', url: `/api/me/self-assessments/${opened.json().id}/submit`, headers: bearer(token), payload: {} });
    expect(submitted.statusCode, submitted.body).toBe(200);
    // the gateway has not been called: the notice is a job queued with the submission, next to the in-app one
    expect(received).toEqual([]);
    expect(await t.db.select().from(notifications).where(eq(notifications.userId, userId))).toHaveLength(1);
    const queued = await t.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.kind, NOTIFICATION_DELIVER_JOB), sql`${jobs.payload}->>'userId' = ${userId}`));
    expect(queued).toMatchObject([{ status: 'queued', payload: { channel: 'sms', kind: 'assessment.submitted' } }]);

    answering = true;
    const worker = startWorkerLoop({ db: t.db, handlers: notificationJobHandlers(settings), log: { info: () => {}, error: () => {} }, pollMs: 20 });
    try {
      const until = Date.now() + 20_000;
      let rows = await t.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.userId, userId));
      while (rows.length === 0 && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 50));
        rows = await t.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.userId, userId));
      }
      expect(rows).toMatchObject([{ channel: 'sms', outcome: 'sent', providerRef: 'M-42', attempt: 1 }]);
    } finally {
      await worker.stop();
    }
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ to: '84912000111' });
    expect(String(received[0]?.content)).toContain(`Bạn đã gửi phiếu tự đánh giá “Công dân học tập” năm ${year}`);
  });
});
