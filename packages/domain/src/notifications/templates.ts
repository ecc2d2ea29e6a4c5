import type { NotificationKind } from '../criteria/notifier.ts';

export interface RenderedMessage {
  subject: string;
  /** The e-mail body: Vietnamese, then English. */
  text: string;
  /** One short Vietnamese SMS with the link. */
  sms: string;
}

type Params = Record<string, string | number | null | undefined>;

interface Template {
  subject: (p: Params) => string;
  vi: (p: Params) => string;
  en: (p: Params) => string;
  /** Where on the site the person sees it. */
  path: string;
}

/**
 * What a person is told at each step, in plain words. Vietnamese first (the e-mail adds English below).
 * Every kind must have one (the type says so); a stored kind this code no longer knows gets the generic notice.
 */
const templates: Record<NotificationKind, Template> = {
  'assessment.submitted': {
    subject: (p) => `Đã gửi phiếu tự đánh giá năm ${p.year}`,
    vi: (p) => `Bạn đã gửi phiếu tự đánh giá “Công dân học tập” năm ${p.year} (${p.score} điểm). Chi hội khuyến học sẽ xem xét và báo lại cho bạn.`,
    en: (p) =>
      `You submitted your ${p.year} “Công dân học tập” self-assessment (${p.score} points). Your Hội Khuyến học branch will review it and let you know.`,
    path: '/self-assessment',
  },
  'assessment.confirmed': {
    subject: (p) => `Chi hội đã xác nhận phiếu năm ${p.year}`,
    vi: (p) =>
      `Chi hội khuyến học đã xác nhận phiếu tự đánh giá năm ${p.year} của bạn. Phiếu được chuyển lên xã, phường để công nhận.${p.comment ? ` Lời nhắn: ${p.comment}` : ''}`,
    en: (p) => `Your branch confirmed your ${p.year} self-assessment; it goes to the commune for approval.${p.comment ? ` Comment: ${p.comment}` : ''}`,
    path: '/self-assessment',
  },
  'assessment.returned': {
    subject: (p) => `Phiếu năm ${p.year} cần bổ sung`,
    vi: (p) => `Chi hội khuyến học trả lại phiếu tự đánh giá năm ${p.year} để bạn bổ sung: ${p.comment}. Bạn sửa rồi gửi lại nhé.`,
    en: (p) => `Your branch returned your ${p.year} self-assessment for more information: ${p.comment}. Please complete it and submit again.`,
    path: '/self-assessment',
  },
  'title.awarded': {
    subject: (p) => `Chúc mừng! Bạn đạt danh hiệu “Công dân học tập” năm ${p.year}`,
    vi: (p) =>
      `Chúc mừng! Bạn được công nhận danh hiệu “Công dân học tập” năm ${p.year} theo Quyết định số ${p.decisionNumber} ngày ${viDate(p.decisionDate)}.`,
    en: (p) => `Congratulations! You hold the “Công dân học tập” title for ${p.year} (decision ${p.decisionNumber} of ${p.decisionDate}).`,
    path: '/profile',
  },
  'title.revoked': {
    subject: (p) => `Danh hiệu “Công dân học tập” năm ${p.year} đã bị thu hồi`,
    vi: (p) => `Danh hiệu “Công dân học tập” năm ${p.year} của bạn đã bị thu hồi theo Quyết định số ${p.decisionNumber}. Lý do: ${p.reason}`,
    en: (p) => `Your “Công dân học tập” title for ${p.year} was revoked (decision ${p.decisionNumber}). Reason: ${p.reason}`,
    path: '/profile',
  },
  'collective_title.awarded': {
    subject: (p) => `Chúc mừng! ${p.name} đạt danh hiệu “${p.title}” năm ${p.year}`,
    vi: (p) =>
      `Chúc mừng! ${p.name} được công nhận danh hiệu “${p.title}” năm ${p.year} theo Quyết định số ${p.decisionNumber} ngày ${viDate(p.decisionDate)}.`,
    en: (p) => `Congratulations! ${p.name} was awarded “${p.title}” for ${p.year} (decision ${p.decisionNumber} of ${p.decisionDate}).`,
    path: '/collectives',
  },
  'collective_title.revoked': {
    subject: (p) => `Danh hiệu “${p.title}” của ${p.name} đã bị thu hồi`,
    vi: (p) => `Danh hiệu “${p.title}” năm ${p.year} của ${p.name} đã bị thu hồi theo Quyết định số ${p.decisionNumber}. Lý do: ${p.reason}`,
    en: (p) => `The “${p.title}” title of ${p.name} for ${p.year} was revoked (decision ${p.decisionNumber}). Reason: ${p.reason}`,
    path: '/collectives',
  },
  'digital_skill.confirmed': {
    subject: () => 'Bạn đã được xác nhận “có kỹ năng số”',
    vi: () => 'Bạn đã được xác nhận “có kỹ năng số”. Xác nhận này được tính vào phiếu tự đánh giá “Công dân học tập” của bạn.',
    en: () => 'You are confirmed as having basic digital skills (“có kỹ năng số”); it counts on your “Công dân học tập” self-assessment.',
    path: '/profile',
  },
};

const generic: Template = {
  subject: () => 'Bạn có thông báo mới trên Học tập số',
  vi: () => 'Bạn có thông báo mới trên Học tập số.',
  en: () => 'You have a new notice on Học tập số.',
  path: '/profile',
};

function viDate(value: Params[string]): string {
  const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  return m ? `${m[3]}/${m[2]}/${m[1]}` : String(value ?? '');
}

/** "Công dân học tập" → "Cong dan hoc tap", for gateways that take only plain ASCII SMS. */
export function unaccent(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[“”]/g, '"')
    .normalize('NFC');
}

export function hasTemplate(kind: string): boolean {
  return kind in templates;
}

export function renderNotification(kind: string, params: Params, options: { publicUrl: string }): RenderedMessage {
  const t = templates[kind as NotificationKind] ?? generic;
  const link = `${options.publicUrl}${t.path}`;
  const vi = t.vi(params);
  return {
    subject: t.subject(params).normalize('NFC'),
    text: `${vi}\n\nXem chi tiết: ${link}\n\n---\n${t.en(params)}\nDetails: ${link}\n\nHọc tập số — tin nhắn tự động, vui lòng không trả lời.\n`.normalize(
      'NFC',
    ),
    sms: `Học tập số: ${vi} ${link}`.normalize('NFC'),
  };
}
