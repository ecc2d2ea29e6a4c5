import { describe, expect, it } from 'vitest';
import { renderNotification } from './templates.ts';

const publicUrl = 'https://hoc.bacninh.vn';

describe('notice templates', () => {
  it('tells a revoked title with its decision and reason, in Vietnamese first', () => {
    const m = renderNotification('title.revoked', { year: 2026, decisionNumber: '12/QĐ-UBND', reason: 'Kê khai sai' }, { publicUrl });
    expect(m.subject).toBe('Danh hiệu “Công dân học tập” năm 2026 đã bị thu hồi');
    expect(m.text).toContain('Quyết định số 12/QĐ-UBND. Lý do: Kê khai sai');
    expect(m.text.indexOf('Lý do')).toBeLessThan(m.text.indexOf('Reason'));
    expect(m.sms).toContain(`${publicUrl}/profile`);
  });

  it('names the household or unit and its title when a collective title is awarded or revoked', () => {
    const params = {
      name: 'Hộ ông Nguyễn Văn An',
      title: 'Gia đình học tập',
      year: 2026,
      decisionNumber: '7/QĐ-UBND',
      decisionDate: '2026-11-20',
      reason: 'Sai sót',
    };
    const awarded = renderNotification('collective_title.awarded', params, { publicUrl });
    expect(awarded.subject).toBe('Chúc mừng! Hộ ông Nguyễn Văn An đạt danh hiệu “Gia đình học tập” năm 2026');
    expect(awarded.text).toContain('ngày 20/11/2026');
    const revoked = renderNotification('collective_title.revoked', params, { publicUrl });
    expect(revoked.text).toContain('Lý do: Sai sót');
    for (const m of [awarded, revoked]) {
      expect(m.text).not.toMatch(/undefined|null/);
      expect(m.text).toBe(m.text.normalize('NFC'));
    }
  });

  it('falls back to a generic notice for a kind it does not know', () => {
    expect(renderNotification('something.else', {}, { publicUrl }).subject).toBe('Bạn có thông báo mới trên Học tập số');
  });
});
