/**
 * xAPI 1.0.3 attachments (Data 2.4.11, Communication 1.5.2) and signed statements (Data 2.6): one test
 * per requirement, like conformance.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { createHash, createSign } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { xapiAttachments } from '@hts/db';
import { parseMultipart } from '@hts/domain';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { lrsClient, statement } from './lrs-test-kit.ts';

let t: TestApp;
let c: Awaited<ReturnType<typeof lrsClient>>;
let privateKey: string;
let certificate: string;
beforeAll(async () => {
  t = await createTestApp();
  c = await lrsClient(t.app);
  // A throwaway RSA key and self-signed certificate for the x5c header of signed statements.
  const dir = mkdtempSync(join(tmpdir(), 'hts-jws-'));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`, '-days', '1', '-subj', '/CN=hoc-tap-so-test'],
    {
      stdio: 'ignore',
    },
  );
  privateKey = readFileSync(`${dir}/key.pem`, 'utf8');
  certificate = readFileSync(`${dir}/cert.pem`, 'utf8');
}, 60_000);
afterAll(async () => t?.close());

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const BOUNDARY = 'xapi-boundary-7f3a';

function multipart(statements: unknown, parts: { content: Buffer | string; headers: Record<string, string> }[]): Buffer {
  const chunks: Buffer[] = [Buffer.from(`--${BOUNDARY}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(statements)}\r\n`)];
  for (const p of parts) {
    const head = Object.entries(p.headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    chunks.push(Buffer.from(`--${BOUNDARY}\r\n${head}\r\n`), Buffer.from(p.content), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

const postMultipart = (body: Buffer) =>
  c.request({ method: 'POST', url: '/xapi/statements', payload: body, headers: { 'content-type': `multipart/mixed; boundary=${BOUNDARY}` } });

const attachmentFor = (content: string, usageType = 'https://hoc.bacninh.vn/xapi/attachments/certificate', contentType = 'text/plain') => ({
  usageType,
  display: { vi: 'tệp đính kèm' },
  contentType,
  length: Buffer.byteLength(content),
  sha2: sha256(content),
});

const part = (content: string, over: Record<string, string> = {}) => ({
  content,
  headers: { 'Content-Type': 'text/plain', 'Content-Transfer-Encoding': 'binary', 'X-Experience-API-Hash': sha256(content), ...over },
});

describe('Communication 1.5.2 multipart/mixed attachments', () => {
  it('stores a statement with an attachment part whose content matches its hash', async () => {
    const content = `chứng chỉ ${Date.now()}`;
    const res = await postMultipart(multipart(statement({ attachments: [attachmentFor(content)] }), [part(content)]));
    expect(res.statusCode, res.body).toBe(200);
    const [stored] = await t.app.services.db
      .select()
      .from(xapiAttachments)
      .where(eq(xapiAttachments.sha2, sha256(content)));
    expect(Buffer.from(stored?.content ?? []).toString()).toBe(content);
  });
  it('rejects a part that does not hash to its X-Experience-API-Hash, storing nothing', async () => {
    const s = statement({ attachments: [attachmentFor('thật')] });
    const res = await postMultipart(multipart(s, [part('giả', { 'X-Experience-API-Hash': sha256('thật') })]));
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('/body/parts/1/headers/x-experience-api-hash');
    expect((await c.get({ statementId: s.id })).statusCode).toBe(404);
  });
  it('rejects a part without X-Experience-API-Hash', async () => {
    const { 'X-Experience-API-Hash': _, ...headers } = part('a').headers;
    expect((await postMultipart(multipart(statement({ attachments: [attachmentFor('a')] }), [{ content: 'a', headers }]))).statusCode).toBe(400);
  });
  it('rejects a part without Content-Transfer-Encoding: binary', async () => {
    const res = await postMultipart(multipart(statement({ attachments: [attachmentFor('b')] }), [part('b', { 'Content-Transfer-Encoding': 'base64' })]));
    expect(res.statusCode).toBe(400);
  });
  it('rejects a part that no statement declares', async () => {
    expect((await postMultipart(multipart(statement(), [part('thừa')]))).statusCode).toBe(400);
  });
  it('rejects an attachment with neither a part nor a fileUrl', async () => {
    const res = await c.post(statement({ attachments: [attachmentFor('thiếu')] }));
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('/body/attachments/0/sha2');
  });
  it('answers attachments=true as multipart/mixed: the statement, then each attachment with its hash', async () => {
    const content = `bảng điểm ${Date.now()}`;
    const s = statement({ attachments: [attachmentFor(content)] });
    await postMultipart(multipart(s, [part(content)]));
    const res = await c.get({ statementId: s.id, attachments: 'true' });
    expect(res.statusCode).toBe(200);
    const boundary = /boundary=(\S+)/.exec(res.headers['content-type'] as string)?.[1] as string;
    const parts = parseMultipart(res.rawPayload, boundary);
    expect(JSON.parse(parts[0]?.content.toString() ?? '').id).toBe(s.id);
    expect(parts[1]?.headers['x-experience-api-hash']).toBe(sha256(content));
    expect(parts[1]?.content.toString()).toBe(content);
  });
  it('rejects a multipart body whose first part is not JSON', async () => {
    const body = Buffer.from(`--${BOUNDARY}\r\nContent-Type: text/plain\r\n\r\nhello\r\n--${BOUNDARY}--\r\n`);
    expect((await postMultipart(body)).statusCode).toBe(400);
  });
});

describe('Data 2.6 Signed statements', () => {
  function sign(payload: object, alg = 'RS256', x5c = true): string {
    const der = certificate.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
    const header = Buffer.from(JSON.stringify({ alg, ...(x5c ? { x5c: [der] } : {}) })).toString('base64url');
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    const signature = createSign('RSA-SHA256').update(`${header}.${body}`).sign(privateKey).toString('base64url');
    return `${header}.${body}.${signature}`;
  }
  const signed = (jws: string, s: Record<string, unknown>) => {
    const withSig = { ...s, attachments: [attachmentFor(jws, 'http://adlnet.gov/expapi/attachments/signature', 'application/octet-stream')] };
    return postMultipart(multipart(withSig, [part(jws, { 'Content-Type': 'application/octet-stream' })]));
  };

  it('accepts a statement signed with RS256 whose x5c certificate verifies the signature', async () => {
    const s = statement();
    const res = await signed(sign(s), s);
    expect(res.statusCode, res.body).toBe(200);
  });
  it('rejects a signature whose payload differs from the statement', async () => {
    const s = statement();
    expect((await signed(sign({ ...s, verb: { id: 'http://adlnet.gov/expapi/verbs/passed' } }), s)).statusCode).toBe(400);
  });
  it('rejects a signature algorithm other than RS256, RS384 or RS512', async () => {
    const s = statement();
    expect((await signed(sign(s, 'HS256'), s)).statusCode).toBe(400);
  });
  it('rejects a signature that does not verify with its certificate', async () => {
    const s = statement();
    const [h, p] = sign(s).split('.');
    expect((await signed(`${h}.${p}.${Buffer.from('not a signature').toString('base64url')}`, s)).statusCode).toBe(400);
  });
  it('rejects a signature that is not a compact JWS', async () => {
    const s = statement();
    expect((await signed('not-a-jws', s)).statusCode).toBe(400);
  });
});
