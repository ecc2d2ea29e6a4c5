import { auditLog, digitalSkillConfirmations, evidenceChain, personTitleAwards, queryRows, selfAssessments } from '@hts/db';
import { refreshDirtyIndicators, systemClock, verifyChain } from '@hts/domain';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeCourseThroughApi } from '../testing/complete-course.ts';
import { bearer, createTestApp, newCitizen, signInAs, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
let branch: string;
let officer: string;
let admin: string;
const YEAR = new Date().getUTCFullYear();
const DIGITAL_COURSES = ['dien-thoai-thong-minh-an-toan', 'phong-tranh-lua-dao-truc-tuyen', 'dich-vu-cong-truc-tuyen-vneid'];
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 1)]);

beforeAll(async () => {
  t = await createTestApp();
  branch = (await signInAs(t.app, 'branch@demo.local')).accessToken;
  officer = (await signInAs(t.app, 'officer@demo.local')).accessToken;
  admin = (await signInAs(t.app, 'admin@demo.local')).accessToken;
}, 60_000);
afterAll(async () => t?.close());

const call = (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: object) =>
  t.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload }) });

async function register(overrides: Record<string, unknown> = {}): Promise<{ token: string; id: string }> {
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: newCitizen(overrides) });
  expect(res.statusCode, res.body).toBe(201);
  const token = res.json().accessToken as string;
  const me = await call('GET', '/api/me', token);
  return { token, id: me.json().id as string };
}

type View = {
  id: string;
  status: string;
  groups: Array<{
    criteria: Array<{
      id: string;
      points: number;
      prefilled: boolean;
      item: { points: number; evidence: Array<{ kind: string; href: string | null }> } | null;
    }>;
  }>;
  result: { score: number; pass: boolean; classification: { code: string } };
};
const criteriaOf = (v: View) => v.groups.flatMap((g) => g.criteria);

/** Declares full points for every criterion not pre-filled. */
const declareRest = (v: View) => ({
  items: criteriaOf(v)
    .filter((c) => !c.prefilled)
    .map((c) => ({ criterionId: c.id, points: c.points, comment: 'Tham gia đầy đủ' })),
});

async function approvedReady(): Promise<{ citizen: { token: string; id: string }; view: View }> {
  const citizen = await register();
  const open = await call('POST', '/api/me/self-assessments', citizen.token, { year: YEAR });
  const saved = await call('PUT', `/api/me/self-assessments/${open.json().id}/items`, citizen.token, declareRest(open.json()));
  expect(saved.statusCode, saved.body).toBe(200);
  return { citizen, view: saved.json() };
}

describe('the Công dân học tập self-assessment, review and approval', () => {
  it('takes a farmer from completed digital-skills courses to an approved title in the hash chain', async () => {
    const farmer = await register();
    for (const slug of DIGITAL_COURSES) await completeCourseThroughApi(t.app, t.db, farmer.token, slug);

    // the digital-skill rule held when the completions landed: confirmed automatically, with its rule version
    const [skill] = await t.db.select().from(digitalSkillConfirmations).where(eq(digitalSkillConfirmations.userId, farmer.id));
    expect(skill).toMatchObject({ source: 'automatic', ruleVersionId: 'ky-nang-so-co-ban@2025.1' });

    const opened = await call('POST', '/api/me/self-assessments', farmer.token, { year: YEAR });
    expect(opened.statusCode, opened.body).toBe(200);
    const view = opened.json() as View;
    expect(view.status).toBe('draft');
    const prefilled = criteriaOf(view).filter((c) => c.prefilled);
    expect(prefilled.map((c) => c.id)).toEqual(['1', '2', '5', '8']);
    const digital = criteriaOf(view).find((c) => c.id === '5');
    expect(digital?.item?.points).toBe(10);
    expect(digital?.item?.evidence.map((e) => e.kind)).toContain('digital_skill_confirmation');
    expect(criteriaOf(view).find((c) => c.id === '1')?.item?.evidence[0]?.href).toBe('/courses/phong-tranh-lua-dao-truc-tuyen');
    expect(view.result).toMatchObject({ score: 40, pass: false });

    // declaring the rest moves the score past the threshold; declaring over an evidence-backed criterion changes nothing
    const body = declareRest(view);
    body.items.push({ criterionId: '5', points: 0, comment: 'Dùng Zalo, VNeID hằng ngày' });
    const saved = await call('PUT', `/api/me/self-assessments/${view.id}/items`, farmer.token, body);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().result).toMatchObject({ score: 100, pass: true, classification: { code: 'dat' } });

    const submitted = await call('POST', `/api/me/self-assessments/${view.id}/submit`, farmer.token, {});
    expect(submitted.json().status).toBe('submitted');

    const queue = await call('GET', '/api/reviews/self-assessments', branch);
    expect(queue.json().items.map((i: { id: string }) => i.id)).toContain(view.id);
    const reviewed = (await call('GET', `/api/reviews/self-assessments/${view.id}`, branch)).json() as View;
    expect(criteriaOf(reviewed).find((c) => c.id === '5')?.item?.evidence.length).toBeGreaterThan(0);
    const confirmed = await call('POST', `/api/reviews/self-assessments/${view.id}/confirm`, branch, { comment: 'Đúng như kê khai' });
    expect(confirmed.json().status).toBe('confirmed');

    const titleHoldersDigital = async () => {
      // what the outbox job does right after each commit, run here so the test needs no worker
      await refreshDirtyIndicators(t.db, systemClock);
      const res = await call('GET', `/api/indicators?year=${YEAR}`, officer);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().indicators.find((i: { id: string }) => i.id === 'title-holders-digital') as { numerator: number; denominator: number };
    };
    const before = await titleHoldersDigital();

    const officerQueue = await call('GET', '/api/reviews/self-assessments', officer);
    expect(officerQueue.json().items.map((i: { id: string }) => i.id)).toContain(view.id);
    const approved = await call('POST', '/api/reviews/approvals', officer, {
      assessmentIds: [view.id],
      decisionNumber: '25/QĐ-UBND',
      decisionDate: `${YEAR}-01-02`,
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const award = approved.json().awards[0];
    expect(award).toMatchObject({ year: YEAR, title: 'cong-dan-hoc-tap', classification: 'dat', score: 100, decisionNumber: '25/QĐ-UBND' });

    // the approval marked the commune in the same transaction: the indicator counts the new holder without a rebuild
    expect(await titleHoldersDigital()).toMatchObject({ numerator: before.numerator + 1, denominator: before.denominator + 1 });

    // on the citizen's profile, in the hash chain (which still verifies), audited, and the citizen was told at each step
    expect((await call('GET', '/api/me/titles', farmer.token)).json()).toMatchObject({ awards: [{ id: award.id }], digitalSkill: { source: 'automatic' } });
    const chained = await t.db.select().from(evidenceChain).where(eq(evidenceChain.subjectId, award.id));
    expect(chained).toMatchObject([{ kind: 'title.award', payload: { userId: farmer.id, decisionNumber: '25/QĐ-UBND' } }]);
    expect(award.evidence).toEqual({ seq: chained[0]?.seq, entryHash: chained[0]?.entryHash });
    expect(await verifyChain(t.db)).toMatchObject({ ok: true });
    const audited = await t.db.select().from(auditLog).where(eq(auditLog.subjectId, view.id));
    expect(audited.map((a) => a.action)).toEqual(expect.arrayContaining(['assessment.submit', 'assessment.confirm', 'assessment.read']));
    expect((await t.db.select().from(auditLog).where(eq(auditLog.subjectId, award.id))).map((a) => a.action)).toEqual(['title.approve']);
    const notes = (await call('GET', '/api/me/notifications', farmer.token)).json();
    expect(notes.items.map((n: { kind: string }) => n.kind)).toEqual(
      expect.arrayContaining(['digital_skill.confirmed', 'assessment.submitted', 'assessment.confirmed', 'title.awarded']),
    );
    expect(notes.unread).toBe(notes.items.length);
    expect((await call('POST', '/api/me/notifications/read', farmer.token, {})).statusCode).toBe(204);
    expect((await call('GET', '/api/me/notifications', farmer.token)).json().unread).toBe(0);

    // the year is decided: opening it shows the approved assessment, and submitting again is a conflict
    const again = await call('POST', '/api/me/self-assessments', farmer.token, { year: YEAR });
    expect(again.json()).toMatchObject({ id: view.id, status: 'approved', editable: false });
    const resubmit = await call('POST', `/api/me/self-assessments/${view.id}/submit`, farmer.token, {});
    expect(resubmit.statusCode).toBe(409);
    expect((await call('PUT', `/api/me/self-assessments/${view.id}/items`, farmer.token, { items: [] })).statusCode).toBe(409);
  }, 120_000);

  it('answers 400 naming the field for points above a criterion maximum or an unknown criterion', async () => {
    const { token } = await register();
    const { id } = (await call('POST', '/api/me/self-assessments', token, { year: YEAR })).json();
    const over = await call('PUT', `/api/me/self-assessments/${id}/items`, token, { items: [{ criterionId: '3', points: 11 }] });
    expect(over.statusCode).toBe(400);
    expect(over.json().details).toEqual([{ field: '/body/items/0/points', message: 'criterion 3 is worth at most 10 points' }]);
    const unknown = await call('PUT', `/api/me/self-assessments/${id}/items`, token, {
      items: [
        { criterionId: '3', points: 5 },
        { criterionId: '42', points: 1 },
      ],
    });
    expect(unknown.json().details[0].field).toBe('/body/items/1/criterionId');
    expect((await call('POST', '/api/me/self-assessments', token, { year: YEAR + 1 })).statusCode).toBe(400);
  });

  it("answers 403 for evidence or attachments that belong to someone else, and 404 for someone else's assessment", async () => {
    const owner = await register();
    await completeCourseThroughApi(t.app, t.db, owner.token, 'phong-tranh-lua-dao-truc-tuyen');
    const ownerView = (await call('POST', '/api/me/self-assessments', owner.token, { year: YEAR })).json() as View;
    const completionId = criteriaOf(ownerView).find((c) => c.id === '1')?.item?.evidence[0] as unknown as { id: string };
    const upload = await t.app.inject({
      method: 'PUT',
      url: '/api/me/assessment-attachments?fileName=anh.png',
      headers: { ...bearer(owner.token), 'content-type': 'application/octet-stream' },
      payload: PNG,
    });
    expect(upload.statusCode, upload.body).toBe(201);

    const other = await register();
    const { id } = (await call('POST', '/api/me/self-assessments', other.token, { year: YEAR })).json();
    const stolenCompletion = await call('PUT', `/api/me/self-assessments/${id}/items`, other.token, {
      items: [{ criterionId: '3', points: 5, evidence: [{ kind: 'course_completion', id: completionId.id }] }],
    });
    expect(stolenCompletion.statusCode).toBe(403);
    const stolenAttachment = await call('PUT', `/api/me/self-assessments/${id}/items`, other.token, {
      items: [{ criterionId: '3', points: 5, attachmentIds: [upload.json().id] }],
    });
    expect(stolenAttachment.statusCode).toBe(403);
    expect((await call('GET', `/api/assessment-attachments/${upload.json().id}`, other.token)).statusCode).toBe(404);
    expect((await call('PUT', `/api/me/self-assessments/${ownerView.id}/items`, other.token, { items: [] })).statusCode).toBe(404);
  }, 60_000);

  it('stores a photo checked by its bytes, refuses other types with 415 and files over 5 MB with 413', async () => {
    const { token } = await register();
    const put = (payload: Buffer, name = 'x.png') =>
      t.app.inject({
        method: 'PUT',
        url: `/api/me/assessment-attachments?fileName=${encodeURIComponent(name)}`,
        headers: { ...bearer(token), 'content-type': 'application/octet-stream' },
        payload,
      });
    const ok = await put(PNG, 'giấy khen.png');
    expect(ok.json()).toMatchObject({ fileName: 'giấy khen.png', contentType: 'image/png', size: PNG.length });
    expect((await put(Buffer.from('<html>not a photo</html>'), 'anh.png')).statusCode).toBe(415);
    expect((await put(Buffer.alloc(5 * 1024 * 1024 + 1, 0xff))).statusCode).toBe(413);
    const link = await call('GET', `/api/assessment-attachments/${ok.json().id}`, token);
    expect(link.json().url).toContain('/objects/');

    const { id } = (await call('POST', '/api/me/self-assessments', token, { year: YEAR })).json();
    const saved = await call('PUT', `/api/me/self-assessments/${id}/items`, token, { items: [{ criterionId: '3', points: 8, attachmentIds: [ok.json().id] }] });
    expect(saved.json().groups[0].criteria[2].item.attachments).toEqual([ok.json()]);
    const onNone = await call('PUT', `/api/me/self-assessments/${id}/items`, token, {
      items: [{ criterionId: '9', points: 8, attachmentIds: [ok.json().id] }],
    });
    expect(onNone.statusCode).toBe(400);
  });

  it('lets the branch return an assessment with a comment; the citizen starts again with what they declared', async () => {
    const { citizen, view } = await approvedReady();
    await call('POST', `/api/me/self-assessments/${view.id}/submit`, citizen.token, {});
    expect((await call('POST', `/api/reviews/self-assessments/${view.id}/return`, branch, { comment: 'x' })).statusCode).toBe(400);
    const returned = await call('POST', `/api/reviews/self-assessments/${view.id}/return`, branch, { comment: 'Thiếu ảnh hoạt động câu lạc bộ' });
    expect(returned.json().status).toBe('returned');
    expect((await call('POST', `/api/reviews/self-assessments/${view.id}/confirm`, branch, {})).statusCode).toBe(409);
    const reopened = (await call('POST', '/api/me/self-assessments', citizen.token, { year: YEAR })).json() as View;
    expect(reopened.id).not.toBe(view.id);
    expect(reopened).toMatchObject({ status: 'draft', result: { score: 100 } });
    const notes = (await call('GET', '/api/me/notifications', citizen.token)).json();
    expect(notes.items[0]).toMatchObject({ kind: 'assessment.returned', params: { comment: 'Thiếu ảnh hoạt động câu lạc bộ' } });
  });

  it('answers 403 for approval or review outside the reviewer’s commune, and approves a batch all or nothing', async () => {
    const inScope = await approvedReady();
    const elsewhere = await register({ communeCode: '07615' });
    const away = (await call('POST', '/api/me/self-assessments', elsewhere.token, { year: YEAR })).json() as View;
    await call('PUT', `/api/me/self-assessments/${away.id}/items`, elsewhere.token, declareRest(away));
    for (const [token, id] of [
      [inScope.citizen.token, inScope.view.id],
      [elsewhere.token, away.id],
    ] as const)
      expect((await call('POST', `/api/me/self-assessments/${id}/submit`, token, {})).statusCode).toBe(200);

    // the demo branch and officer cover Đại Sơn only
    expect((await call('GET', '/api/reviews/self-assessments', branch)).json().items.map((i: { id: string }) => i.id)).not.toContain(away.id);
    expect((await call('GET', `/api/reviews/self-assessments/${away.id}`, branch)).statusCode).toBe(404);
    expect((await call('POST', `/api/reviews/self-assessments/${away.id}/confirm`, branch, {})).statusCode).toBe(403);
    expect((await call('POST', `/api/reviews/self-assessments/${inScope.view.id}/confirm`, branch, {})).statusCode).toBe(200);
    expect((await call('POST', `/api/reviews/self-assessments/${away.id}/confirm`, admin, {})).statusCode).toBe(200);

    const batch = { assessmentIds: [inScope.view.id, away.id], decisionNumber: '30/QĐ-UBND', decisionDate: `${YEAR}-01-03` };
    const denied = await call('POST', '/api/reviews/approvals', officer, batch);
    expect(denied.statusCode).toBe(403);
    expect(await t.db.select().from(personTitleAwards).where(eq(personTitleAwards.decisionNumber, '30/QĐ-UBND'))).toEqual([]);
    const [row] = await t.db.select().from(selfAssessments).where(eq(selfAssessments.id, inScope.view.id));
    expect(row?.status).toBe('confirmed');
    expect((await call('POST', '/api/reviews/approvals', citizenToken(inScope), batch)).statusCode).toBe(403);
    expect((await call('POST', '/api/reviews/approvals', officer, { ...batch, assessmentIds: [inScope.view.id], decisionDate: '2025-02-30' })).statusCode).toBe(
      400,
    );
    expect((await call('POST', '/api/reviews/approvals', officer, { ...batch, assessmentIds: [inScope.view.id] })).statusCode).toBe(200);
    expect((await call('POST', '/api/reviews/approvals', officer, { ...batch, assessmentIds: [inScope.view.id] })).statusCode).toBe(409);
  });

  it('answers 403 when a branch cadre or an officer reviews or approves their own assessment, and changes nothing', async () => {
    const cadre = await approvedReady();
    const grant = await call('PUT', `/api/admin/users/${cadre.citizen.id}/roles`, admin, {
      roles: [{ role: 'citizen' }, { role: 'branch', scopeCodes: ['07627'] }, { role: 'officer', scopeCodes: ['07627'] }],
    });
    expect(grant.statusCode, grant.body).toBe(200);
    // roles are read on every request, so the citizen's own token now carries them
    const token = cadre.citizen.token;
    expect((await call('POST', `/api/me/self-assessments/${cadre.view.id}/submit`, token, {})).statusCode).toBe(200);

    const selfConfirm = await call('POST', `/api/reviews/self-assessments/${cadre.view.id}/confirm`, token, {});
    expect(selfConfirm.statusCode, selfConfirm.body).toBe(403);
    expect((await call('POST', `/api/reviews/self-assessments/${cadre.view.id}/return`, token, { comment: 'Tự trả lại' })).statusCode).toBe(403);
    expect((await call('POST', `/api/reviews/self-assessments/${cadre.view.id}/confirm`, branch, {})).statusCode).toBe(200);

    const batch = { assessmentIds: [cadre.view.id], decisionNumber: '31/QĐ-UBND', decisionDate: `${YEAR}-01-03` };
    expect((await call('POST', '/api/reviews/approvals', token, batch)).statusCode).toBe(403);
    const [row] = await t.db.select().from(selfAssessments).where(eq(selfAssessments.id, cadre.view.id));
    expect(row?.status).toBe('confirmed');
    expect(await t.db.select().from(personTitleAwards).where(eq(personTitleAwards.decisionNumber, '31/QĐ-UBND'))).toEqual([]);
    expect((await call('POST', '/api/reviews/approvals', officer, batch)).statusCode).toBe(200);

    const selfSkill = await call('POST', '/api/officer/digital-skill-confirmations', token, { userId: cadre.citizen.id, note: 'Tự xác nhận' });
    expect(selfSkill.statusCode, selfSkill.body).toBe(403);
    expect(await t.db.select().from(digitalSkillConfirmations).where(eq(digitalSkillConfirmations.userId, cadre.citizen.id))).toEqual([]);
  });

  it('lets the branch attest the criteria it vouches for while confirming: they count with full points and show who attested', async () => {
    const citizen = await register();
    const open = (await call('POST', '/api/me/self-assessments', citizen.token, { year: YEAR })).json() as View;
    // criteria 3, 4, 9 and 10 of the farmers' set take a branch attestation; the citizen leaves them at 0
    const attestable = ['3', '4', '9', '10'];
    const body = declareRest(open);
    body.items = body.items.filter((i) => !attestable.includes(i.criterionId));
    const saved = (await call('PUT', `/api/me/self-assessments/${open.id}/items`, citizen.token, body)).json() as View;
    expect(saved.result).toMatchObject({ score: 60, pass: false });
    await call('POST', `/api/me/self-assessments/${open.id}/submit`, citizen.token, {});

    // a criterion that takes no attestation is 400 naming the entry, and nothing is confirmed
    const wrong = await call('POST', `/api/reviews/self-assessments/${open.id}/confirm`, branch, {
      attestations: [{ criterionId: '9' }, { criterionId: '5' }],
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().details[0].field).toBe('/body/attestations/1/criterionId');
    const [still] = await t.db.select().from(selfAssessments).where(eq(selfAssessments.id, open.id));
    expect(still).toMatchObject({ status: 'submitted', score: 60 });

    const confirmed = await call('POST', `/api/reviews/self-assessments/${open.id}/confirm`, branch, {
      comment: 'Chi hội đã kiểm tra',
      attestations: attestable.map((criterionId) => ({ criterionId, comment: 'Tham gia sinh hoạt chi hội đều đặn' })),
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const view = confirmed.json() as View & { groups: Array<{ criteria: Array<{ attestation: { by: string; at: string; comment: string } | null }> }> };
    expect(view).toMatchObject({ status: 'confirmed', result: { score: 100, pass: true } });
    const nine = view.groups.flatMap((g) => g.criteria).find((c) => (c as { id: string }).id === '9') as unknown as {
      item: { points: number; basis: string; evidence: Array<{ kind: string; label: string }> };
      attestation: { by: string; comment: string; at: string };
    };
    expect(nine.item).toMatchObject({ points: 10, basis: 'evidence', evidence: [{ kind: 'attestation', label: 'Chi hội Khuyến học Đại Sơn' }] });
    expect(nine.attestation).toMatchObject({ by: 'Chi hội Khuyến học Đại Sơn', comment: 'Tham gia sinh hoạt chi hội đều đặn' });
    // the citizen sees the same on their form, and the stored score lets the officer approve it
    const mine = (await call('POST', '/api/me/self-assessments', citizen.token, { year: YEAR })).json();
    expect(mine.groups.flatMap((g: { criteria: unknown[] }) => g.criteria).find((c: { id: string }) => c.id === '10').attestation.by).toBe(
      'Chi hội Khuyến học Đại Sơn',
    );
    const audited = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, open.id), eq(auditLog.action, 'assessment.attest')));
    expect(audited[0]?.details).toEqual({ criteria: attestable });
    const approved = await call('POST', '/api/reviews/approvals', officer, {
      assessmentIds: [open.id],
      decisionNumber: '31/QĐ-UBND',
      decisionDate: `${YEAR}-01-05`,
    });
    expect(approved.statusCode, approved.body).toBe(200);
  });

  it('lets the commune officer revoke a title with a reason and a decision number; the profile shows it revoked', async () => {
    const { citizen, view } = await approvedReady();
    await call('POST', `/api/me/self-assessments/${view.id}/submit`, citizen.token, {});
    await call('POST', `/api/reviews/self-assessments/${view.id}/confirm`, branch, {});
    const approved = await call('POST', '/api/reviews/approvals', officer, {
      assessmentIds: [view.id],
      decisionNumber: '40/QĐ-UBND',
      decisionDate: `${YEAR}-01-06`,
    });
    const awardId = approved.json().awards[0].id as string;
    const revoke = (id: string, body: Record<string, unknown>, token = officer) => call('POST', `/api/reviews/title-awards/${id}/revoke`, token, body);
    const reason = 'Kê khai không đúng sự thật';

    expect((await revoke(awardId, { reason, decisionNumber: '  ' })).json().details[0].field).toBe('/body/decisionNumber');
    expect((await revoke(awardId, { reason: 'no', decisionNumber: '41/QĐ-UBND' })).json().details[0].field).toBe('/body/reason');
    const future = await revoke(awardId, { reason, decisionNumber: '41/QĐ-UBND', decisionDate: '2999-12-31' });
    expect(future.statusCode).toBe(400);
    expect(future.json().details[0].field).toBe('/body/decisionDate');
    expect((await revoke(awardId, { reason, decisionNumber: '41/QĐ-UBND' }, citizen.token)).statusCode).toBe(403);
    expect((await revoke(awardId, { reason, decisionNumber: '41/QĐ-UBND' }, branch)).statusCode).toBe(403);

    await refreshDirtyIndicators(t.db, systemClock); // nothing left dirty before the revocation
    const res = await revoke(awardId, { reason, decisionNumber: '41/QĐ-UBND', decisionDate: `${YEAR}-01-07` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: awardId, revocationReason: reason, revocationDecisionNumber: '41/QĐ-UBND' });
    expect((await revoke(awardId, { reason, decisionNumber: '42/QĐ-UBND' })).statusCode).toBe(409);

    const titles = (await call('GET', '/api/me/titles', citizen.token)).json();
    expect(titles.awards[0]).toMatchObject({ id: awardId, revocationReason: reason, revocationDecisionNumber: '41/QĐ-UBND' });
    expect(titles.awards[0].revokedAt).not.toBeNull();
    const [entry] = await t.db
      .select()
      .from(evidenceChain)
      .where(and(eq(evidenceChain.kind, 'title.revoke'), eq(evidenceChain.subjectId, awardId)));
    expect(entry?.payload).toMatchObject({ userId: citizen.id, reason, decisionNumber: '41/QĐ-UBND', decisionDate: `${YEAR}-01-07` });
    expect(await verifyChain(t.db)).toMatchObject({ ok: true });
    expect((await t.db.select().from(auditLog).where(eq(auditLog.subjectId, awardId))).map((a) => a.action)).toEqual(['title.approve', 'title.revoke']);
    const notes = (await call('GET', '/api/me/notifications', citizen.token)).json();
    expect(notes.items[0]).toMatchObject({ kind: 'title.revoked', params: { reason, decisionNumber: '41/QĐ-UBND' } });
    // the revocation marked the commune dirty in its transaction: the indicators drop the title on the next refresh
    const dirty = await queryRows<{ code: string }>(t.db, sql`select g.code from indicator_dirty_communes d join geo_units g on g.id = d.commune_id`);
    expect(dirty.map((d) => d.code)).toContain('07627');

    // a title of another commune: 403 for this officer, and the refusal is audited
    const elsewhere = await register({ communeCode: '07615' });
    const away = (await call('POST', '/api/me/self-assessments', elsewhere.token, { year: YEAR })).json() as View;
    await call('PUT', `/api/me/self-assessments/${away.id}/items`, elsewhere.token, declareRest(away));
    await call('POST', `/api/me/self-assessments/${away.id}/submit`, elsewhere.token, {});
    await call('POST', `/api/reviews/self-assessments/${away.id}/confirm`, admin, {});
    const awayAward = (
      await call('POST', '/api/reviews/approvals', admin, { assessmentIds: [away.id], decisionNumber: '12/QĐ-UBND', decisionDate: `${YEAR}-01-06` })
    ).json().awards[0].id as string;
    expect((await revoke(awayAward, { reason, decisionNumber: '43/QĐ-UBND' })).statusCode).toBe(403);
    expect(
      (
        await t.db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.subjectId, awayAward), eq(auditLog.outcome, 'denied')))
      ).length,
    ).toBe(1);
    expect((await revoke('00000000-0000-4000-8000-000000000000', { reason, decisionNumber: '43/QĐ-UBND' })).statusCode).toBe(404);
  });

  it('lets an officer confirm digital skills for a person of their commune only, once', async () => {
    const person = await register();
    const elsewhere = await register({ communeCode: '07615' });
    const confirm = (userId: string) =>
      call('POST', '/api/officer/digital-skill-confirmations', officer, { userId, note: 'Chứng chỉ Bình dân học vụ số số 123' });
    const created = await confirm(person.id);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ source: 'officer', ruleVersionId: 'ky-nang-so-co-ban@2025.1', sourceRef: 'Chứng chỉ Bình dân học vụ số số 123' });
    expect((await confirm(person.id)).statusCode).toBe(409);
    expect((await confirm(elsewhere.id)).statusCode).toBe(403);
    const view = (await call('POST', '/api/me/self-assessments', person.token, { year: YEAR })).json() as View;
    expect(criteriaOf(view).find((c) => c.id === '5')?.prefilled).toBe(true);
  });
});

describe('importing digital-skill confirmations from an external list', () => {
  it('reports every row it cannot import on a dry run, writes nothing, then imports the matched rows once', async () => {
    const phone = `09${String(Date.now()).slice(-8)}`;
    const person = await register({ email: undefined, phone });
    const other = await register();
    const away = await register({ communeCode: '07615' });
    const awayEmail = (await call('GET', '/api/me', away.token)).json().email as string;
    const otherEmail = (await call('GET', '/api/me', other.token)).json().email as string;
    const csv = [
      'phone,email,reference,confirmedOn',
      `${phone},,BDHVS-001,${YEAR}-01-02`,
      `,${otherEmail.toUpperCase()},BDHVS-002,`,
      '0900000001,,BDHVS-003,',
      `,${awayEmail},BDHVS-004,`,
      `${phone.replace(/^0/, '+84')},,BDHVS-005,`,
      'abc,,BDHVS-006,',
      `,,BDHVS-007,`,
      `,${otherEmail},BDHVS-008,2999-01-01`,
    ].join('\n');
    const body = { csv, sourceName: 'Bình dân học vụ số, 11/2026', dryRun: true };
    const dry = await call('POST', '/api/officer/digital-skill-imports', officer, body);
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, rows: 8, matched: 2, created: 0, alreadyConfirmed: 0 });
    expect(dry.json().problems).toEqual([
      { line: 7, column: 'phone', reason: '"abc" is not a Vietnamese mobile number' },
      { line: 8, column: 'phone', reason: 'a phone number or an e-mail is required' },
      { line: 9, column: 'confirmedOn', reason: '"2999-01-01" is not a past date written YYYY-MM-DD' },
      { line: 4, column: 'phone', reason: 'no person with this phone number or e-mail on the platform' },
      { line: 5, column: 'email', reason: 'this person lives outside your communes' },
      { line: 6, column: 'phone', reason: 'the same person as line 2' },
    ]);
    expect(await t.db.select().from(digitalSkillConfirmations).where(eq(digitalSkillConfirmations.userId, person.id))).toEqual([]);

    const real = await call('POST', '/api/officer/digital-skill-imports', officer, { ...body, dryRun: false });
    expect(real.json()).toMatchObject({ dryRun: false, matched: 2, created: 2, alreadyConfirmed: 0 });
    const [row] = await t.db.select().from(digitalSkillConfirmations).where(eq(digitalSkillConfirmations.userId, person.id));
    expect(row).toMatchObject({ source: 'import', sourceRef: 'Bình dân học vụ số, 11/2026, dòng 2, BDHVS-001', ruleVersionId: 'ky-nang-so-co-ban@2025.1' });
    expect(row?.confirmedAt.toISOString()).toBe(`${YEAR}-01-02T00:00:00.000Z`);
    expect(
      await t.db
        .select()
        .from(evidenceChain)
        .where(eq(evidenceChain.subjectId, row?.id ?? '')),
    ).toHaveLength(1);

    const again = await call('POST', '/api/officer/digital-skill-imports', officer, { ...body, dryRun: false });
    expect(again.json()).toMatchObject({ matched: 2, created: 0, alreadyConfirmed: 2 });
    const broken = await call('POST', '/api/officer/digital-skill-imports', officer, { ...body, csv: 'phone,email\n"0912,' });
    expect(broken.statusCode).toBe(400);
    expect((await call('POST', '/api/officer/digital-skill-imports', branch, body)).statusCode).toBe(403);
  });

  it('matches rows by CCCD number through the registry, says which key matched, and writes nothing for an ambiguous row', async () => {
    const stamp = String(Date.now()).slice(-7);
    const phoneOf = (n: number) => `097${n}${stamp.slice(-6)}`;
    const cccdOf = (n: number) => `0012${n}${stamp}0`.slice(0, 12);
    const byId = await register({ email: undefined, phone: phoneOf(1), birthYear: 1981 });
    const both = await register({ email: undefined, phone: phoneOf(2), birthYear: 1982 });
    const phoneOnly = await register({ email: undefined, phone: phoneOf(3), birthYear: 1983 });
    // the registry knows their ID numbers and links them to the accounts by phone when the import is applied
    const people = [
      'ma_xa,ho_ten,nam_sinh,so_dien_thoai,so_cccd',
      `07627,Lê Văn Một,1981,${phoneOf(1)},${cccdOf(1)}`,
      `07627,Lê Văn Hai,1982,${phoneOf(2)},${cccdOf(2)}`,
      `07627,Lê Thị Bốn,1984,,${cccdOf(4)}`,
    ].join('\n');
    const checked = await t.app.inject({
      method: 'POST',
      url: '/api/registry/imports?kind=people&fileName=nguoi-dan.csv',
      headers: { ...bearer(officer), 'content-type': 'text/csv' },
      payload: people,
    });
    expect(checked.json().errors).toEqual([]);
    expect((await call('POST', `/api/registry/imports/${checked.json().id}/apply`, officer, {})).statusCode).toBe(200);

    const csv = [
      'phone,cccd,reference',
      `,${cccdOf(1)},BDHVS-101`,
      `${phoneOf(2)},${cccdOf(2).replace(/(\d{3})(?=\d)/g, '$1 ')},BDHVS-102`,
      `${phoneOf(3)},${cccdOf(1)},BDHVS-103`,
      `,${cccdOf(4)},BDHVS-104`,
      `,${cccdOf(9)},BDHVS-105`,
      ',12345,BDHVS-106',
    ].join('\n');
    const body = { csv, sourceName: 'Bình dân học vụ số, 12/2026', dryRun: true };
    const dry = await call('POST', '/api/officer/digital-skill-imports', officer, body);
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({
      rows: 6,
      matched: 2,
      created: 0,
      unmatched: 2,
      ambiguous: 1,
      matchedBy: { phone: 1, email: 0, idNumber: 2 },
      matches: [
        { line: 2, by: ['idNumber'] },
        { line: 3, by: ['phone', 'idNumber'] },
      ],
    });
    expect(dry.json().problems).toEqual([
      { line: 7, column: 'idNumber', reason: 'not a CCCD number: it needs exactly 12 digits' },
      { line: 4, column: 'idNumber', reason: 'ambiguous: the phone number and the ID number belong to different people; nothing imported' },
      { line: 5, column: 'idNumber', reason: 'this ID number is in the registry but not linked to an account yet' },
      { line: 6, column: 'idNumber', reason: 'no person with this phone number, e-mail or ID number on the platform' },
    ]);

    const real = await call('POST', '/api/officer/digital-skill-imports', officer, { ...body, dryRun: false });
    expect(real.json()).toMatchObject({ matched: 2, created: 2, ambiguous: 1 });
    const confirmedFor = async (userId: string) => t.db.select().from(digitalSkillConfirmations).where(eq(digitalSkillConfirmations.userId, userId));
    expect(await confirmedFor(byId.id)).toHaveLength(1);
    expect(await confirmedFor(both.id)).toHaveLength(1);
    // the ambiguous row named this person's phone: nothing written for them
    expect(await confirmedFor(phoneOnly.id)).toEqual([]);
  });
});

const citizenToken = (x: { citizen: { token: string } }) => x.citizen.token;
