import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DatabaseHandle, jobs, notificationDeliveries, notifications, users } from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { and, asc, eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inAppNotifier } from '../criteria/notifier.ts';
import { startWorkerLoop } from '../jobs/worker-loop.ts';
import { notificationJobHandlers } from './deliver-notification.ts';
import { NOTIFICATION_DELIVER_JOB, notifierFor } from './delivery-notifier.ts';
import { type NotificationSettings, notificationSettingsFromEnv } from './notification-settings.ts';

/** What the local SMTP server received: the envelope and the raw message. */
const mails: Array<{ to: string[]; raw: string }> = [];
/** What the local SMS gateway received, and what it answers next. */
const smsRequests: Array<{ authorization: string | undefined; body: Record<string, unknown> }> = [];
let gatewayAnswer: { status: number; body: string; hang?: boolean } = { status: 200, body: '{"id":"SMS-1"}' };

let h: DatabaseHandle;
let smtp: SMTPServer;
let gateway: Server;
let settings: NotificationSettings;
let worker: ReturnType<typeof startWorkerLoop>;
let userId: string;
let phoneOnlyUserId: string;

beforeAll(async () => {
  h = await openTestDatabase(process.env.TEST_DATABASE_URL);
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  gateway = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    smsRequests.push({ authorization: req.headers.authorization, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
    if (gatewayAnswer.hang) return; // never answers: the sender's timeout must end the try
    res.writeHead(gatewayAnswer.status, { 'content-type': 'application/json' }).end(gatewayAnswer.body);
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  settings = notificationSettingsFromEnv(
    {
      SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
      MAIL_FROM: 'Học tập số <no-reply@hoctapso.test>',
      SMS_GATEWAY_URL: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sms/send`,
      SMS_GATEWAY_TOKEN: 'gateway-token-123',
      SMS_BRANDNAME: 'HOCTAPSO',
      NOTIFY_MAX_ATTEMPTS: '3',
      NOTIFY_TIMEOUT_MS: '1000',
    },
    'https://hoctapso.example.vn/',
  );
  const [u] = await h.db
    .insert(users)
    .values({ fullName: 'Nguyễn Thị Lan', email: 'lan@example.vn', phone: '+84912345678', passwordHash: 'x' })
    .returning({ id: users.id });
  const [p] = await h.db.insert(users).values({ fullName: 'Trần Văn Bình', phone: '+84987654321', passwordHash: 'x' }).returning({ id: users.id });
  userId = u?.id as string;
  phoneOnlyUserId = p?.id as string;
  worker = startWorkerLoop({ db: h.db, handlers: notificationJobHandlers(settings), log: { info: () => {}, error: () => {} }, pollMs: 20 });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  gateway?.closeAllConnections();
  await new Promise<void>((resolve) => gateway?.close(() => resolve()));
  await h?.close();
});

beforeEach(() => {
  mails.length = 0;
  smsRequests.length = 0;
  gatewayAnswer = { status: 200, body: '{"id":"SMS-1"}' };
});

async function notify(kind: 'assessment.returned' | 'title.awarded', params: Record<string, string | number | null>, who = userId): Promise<void> {
  await h.db.transaction(async (tx) => notifierFor(settings).notify(tx, { userId: who, kind, params }));
}

const attempts = (kind: string, channel: 'email' | 'sms') =>
  h.db
    .select()
    .from(notificationDeliveries)
    .where(and(eq(notificationDeliveries.kind, kind), eq(notificationDeliveries.channel, channel)))
    .orderBy(asc(notificationDeliveries.attempt));

async function waitFor<T>(what: () => Promise<T>, ok: (value: T) => boolean, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await what();
    if (ok(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * The queue's backoff is seconds long; a test moves the retry forward instead of waiting for it, once the
 * queue has put the failed job back (the attempt is recorded just before that).
 */
async function retryNow(): Promise<void> {
  const queued = () =>
    h.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.kind, NOTIFICATION_DELIVER_JOB), eq(jobs.status, 'queued')));
  await waitFor(queued, (rows) => rows.length > 0);
  await h.db
    .update(jobs)
    .set({ runAt: new Date(0) })
    .where(and(eq(jobs.kind, NOTIFICATION_DELIVER_JOB), eq(jobs.status, 'queued')));
}

/** Decodes RFC 2047 words in a header and a quoted-printable body, as a mail client would. */
function decodeMail(raw: string): { subject: string; body: string } {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const subjectLine = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(head)?.[1] ?? '';
  const subject = subjectLine.replace(/\?=\s+=\?/g, '?==?').replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
          'latin1',
        ).toString('utf8'),
  );
  const qp = rest.join('\r\n\r\n').replace(/=\r\n/g, '');
  const body = Buffer.from(
    qp.replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');
  return { subject, body };
}

describe('notification delivery by e-mail and SMS', () => {
  it('queues one job per configured channel with the in-app notice, then sends the e-mail to a real SMTP server and the SMS to the gateway', async () => {
    await notify('assessment.returned', { year: 2026, assessmentId: 'a1', comment: 'Thiếu ảnh minh chứng chỉ số 3' });
    expect(await h.db.select().from(notifications).where(eq(notifications.userId, userId))).toHaveLength(1);

    const email = await waitFor(
      () => attempts('assessment.returned', 'email'),
      (rows) => rows.length > 0,
    );
    const sms = await waitFor(
      () => attempts('assessment.returned', 'sms'),
      (rows) => rows.length > 0,
    );
    expect(email).toMatchObject([{ attempt: 1, outcome: 'sent', recipient: 'l•••@example.vn', userId }]);
    expect(sms).toMatchObject([{ attempt: 1, outcome: 'sent', recipient: '+84•••••5678', providerRef: 'SMS-1' }]);

    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toEqual(['lan@example.vn']);
    const mail = decodeMail(mails[0]?.raw ?? '');
    expect(mail.subject).toBe('Phiếu năm 2026 cần bổ sung');
    // Vietnamese first, English below, both with the link to the form
    expect(mail.body.indexOf('Chi hội khuyến học trả lại phiếu tự đánh giá năm 2026 để bạn bổ sung: Thiếu ảnh minh chứng chỉ số 3')).toBeGreaterThanOrEqual(0);
    expect(mail.body.indexOf('Your branch returned your 2026 self-assessment')).toBeGreaterThan(mail.body.indexOf('Chi hội'));
    expect(mail.body).toContain('https://hoctapso.example.vn/self-assessment');

    expect(smsRequests).toHaveLength(1);
    expect(smsRequests[0]?.authorization).toBe('Bearer gateway-token-123');
    expect(smsRequests[0]?.body).toMatchObject({ to: '84912345678', brandname: 'HOCTAPSO' });
    expect(smsRequests[0]?.body.content).toBe(
      'Học tập số: Chi hội khuyến học trả lại phiếu tự đánh giá năm 2026 để bạn bổ sung: Thiếu ảnh minh chứng chỉ số 3. Bạn sửa rồi gửi lại nhé. https://hoctapso.example.vn/self-assessment',
    );
  });

  it('retries an SMS the gateway answers 500, then gives up after the last attempt with the reason recorded', async () => {
    gatewayAnswer = { status: 500, body: '{"error":"gateway overloaded"}' };
    await notify('title.awarded', { year: 2026, decisionNumber: '12/QĐ-UBND', decisionDate: '2026-11-20', awardId: 'w1' });
    expect(
      await waitFor(
        () => attempts('title.awarded', 'sms'),
        (r) => r.length === 1,
      ),
    ).toMatchObject([{ attempt: 1, outcome: 'failed' }]);
    await retryNow();
    expect(
      await waitFor(
        () => attempts('title.awarded', 'sms'),
        (r) => r.length === 2,
      ),
    ).toHaveLength(2);
    await retryNow();
    const rows = await waitFor(
      () => attempts('title.awarded', 'sms'),
      (r) => r.length === 3,
    );
    expect(rows.map((r) => r.outcome)).toEqual(['failed', 'failed', 'gave_up']);
    expect(rows[2]?.error).toBe('the SMS gateway answered 500: {"error":"gateway overloaded"}');
    expect(smsRequests).toHaveLength(3);
    // every retry carries the same request id, so a gateway can drop a duplicate
    expect(new Set(smsRequests.map((r) => r.body.requestId)).size).toBe(1);
    const [job] = await waitFor(
      () =>
        h.db
          .select()
          .from(jobs)
          .where(eq(jobs.id, rows[0]?.jobId ?? '')),
      (r) => r[0]?.status !== 'running',
    );
    expect(job).toMatchObject({ status: 'failed', attempts: 3, lastError: 'the SMS gateway answered 500: {"error":"gateway overloaded"}' });
    // the e-mail of the same notice went out regardless
    expect(await attempts('title.awarded', 'email')).toMatchObject([{ outcome: 'sent' }]);
    expect(decodeMail(mails[0]?.raw ?? '').body).toContain('theo Quyết định số 12/QĐ-UBND ngày 20/11/2026');
  });

  it('gives up at once when the gateway refuses the message (4xx), and ends a try the gateway never answers', async () => {
    gatewayAnswer = { status: 400, body: '{"error":"invalid phone"}' };
    await notify('assessment.returned', { year: 2027, comment: 'Bổ sung' }, phoneOnlyUserId);
    const refused = await waitFor(
      () =>
        h.db
          .select()
          .from(notificationDeliveries)
          .where(and(eq(notificationDeliveries.userId, phoneOnlyUserId), eq(notificationDeliveries.channel, 'sms'))),
      (r) => r.length === 1,
    );
    expect(refused).toMatchObject([{ attempt: 1, outcome: 'gave_up', error: 'the SMS gateway answered 400: {"error":"invalid phone"}' }]);
    // the attempt is recorded just before the queue marks the job: wait for the queue
    const [job] = await waitFor(
      () =>
        h.db
          .select()
          .from(jobs)
          .where(eq(jobs.id, refused[0]?.jobId ?? '')),
      (r) => r[0]?.status !== 'running',
    );
    expect(job).toMatchObject({ status: 'failed', attempts: 1 });
    // no e-mail address on this account: the e-mail try is recorded as skipped, not failed
    expect(
      await h.db
        .select()
        .from(notificationDeliveries)
        .where(and(eq(notificationDeliveries.userId, phoneOnlyUserId), eq(notificationDeliveries.channel, 'email'))),
    ).toMatchObject([{ outcome: 'skipped', error: 'no e-mail address on the account' }]);

    gatewayAnswer = { status: 200, body: '', hang: true };
    await notify('assessment.returned', { year: 2028, comment: 'Bổ sung' }, phoneOnlyUserId);
    const slow = await waitFor(
      () =>
        h.db
          .select()
          .from(notificationDeliveries)
          .where(
            and(eq(notificationDeliveries.userId, phoneOnlyUserId), eq(notificationDeliveries.channel, 'sms'), eq(notificationDeliveries.outcome, 'failed')),
          ),
      (r) => r.length === 1,
    );
    expect(slow[0]?.error).toBe('the SMS gateway could not be reached: no answer within 1000 ms');
  });

  it('queues nothing besides the in-app notice when no channel is configured (the embedded default)', async () => {
    const none = notificationSettingsFromEnv({}, 'http://localhost:3000');
    expect(notifierFor(none)).toBe(inAppNotifier);
    const before = await h.db.select().from(jobs).where(eq(jobs.kind, NOTIFICATION_DELIVER_JOB));
    await h.db.transaction(async (tx) => notifierFor(none).notify(tx, { userId, kind: 'digital_skill.confirmed', params: { source: 'officer' } }));
    expect(await h.db.select().from(jobs).where(eq(jobs.kind, NOTIFICATION_DELIVER_JOB))).toHaveLength(before.length);
  });

  it('refuses half a configuration with the variable at fault', () => {
    expect(() => notificationSettingsFromEnv({ SMTP_URL: 'smtp://127.0.0.1:25' }, 'http://x')).toThrow(/MAIL_FROM/);
    expect(() => notificationSettingsFromEnv({ SMS_GATEWAY_URL: 'https://sms.example.vn/send' }, 'http://x')).toThrow(/SMS_GATEWAY_TOKEN/);
    expect(() => notificationSettingsFromEnv({ SMTP_URL: 'http://mail', MAIL_FROM: 'a@b.vn' }, 'http://x')).toThrow(/smtp:\/\//);
    expect(() => notificationSettingsFromEnv({ NOTIFY_MAX_ATTEMPTS: '0' }, 'http://x')).toThrow(/NOTIFY_MAX_ATTEMPTS/);
  });
});
