import { describe, expect, it } from 'vitest';
import en from './en.json';
import { translate } from './index.ts';
import vi from './vi.json';

const viEntries = Object.entries(vi) as [keyof typeof vi, string][];
const enEntries = Object.entries(en) as [string, string][];
/** Letters only Vietnamese uses among Latin scripts: ă â đ ê ô ơ ư and the five tone marks on vowels. */
const VIETNAMESE = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/i;
/**
 * Vietnamese strings that rightly have no diacritics: the switch to English is written in English,
 * "E-mail" is the word used, and "Trang sau" (next page) "Video", "Sai" (false) and "Nam" (male) have none.
 */
const NOT_VIETNAMESE = new Set(['lang.switchTo', 'profile.email', 'admin.users.next', 'course.kind.video', 'quiz.false', 'registryPerson.sex.male']);

describe('message files', () => {
  it('have the same keys in vi.json and en.json', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
  });

  it('have no empty strings', () => {
    for (const [key, value] of [...viEntries, ...enEntries]) expect(value.trim(), key).not.toBe('');
  });

  it('are NFC-normalised, so diacritics compare and search as one character', () => {
    for (const [key, value] of [...viEntries, ...enEntries]) expect(value === value.normalize('NFC'), key).toBe(true);
  });

  it('write Vietnamese with its diacritics', () => {
    for (const [key, value] of viEntries) {
      if (NOT_VIETNAMESE.has(key)) continue;
      if (/^\{\w+\}$/.test(value)) continue;
      expect(VIETNAMESE.test(value), `${key}: "${value}"`).toBe(true);
    }
  });

  it('spell the key words of the pages correctly', () => {
    expect(vi['register.title']).toBe('Đăng ký');
    expect(vi['login.title']).toBe('Đăng nhập');
    expect(vi['profile.title']).toBe('Hồ sơ');
    expect(vi['home.citizen.title']).toBe('Học tiếp');
    expect(vi['home.trainer.title']).toBe('Khóa học của tôi');
    expect(vi['home.branch.title']).toBe('Phiếu tự đánh giá cần xem');
    expect(vi['home.officer.title']).toBe('Chỉ số của xã');
    expect(vi['home.trainer.empty']).toBe('Chưa có khóa học nào.');
  });

  it('use the same placeholders in both languages', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, value] of viEntries) expect(placeholders(en[key]), key).toEqual(placeholders(value));
  });

  it('leave no Vietnamese in English strings except proper names', () => {
    const names = /Bắc Ninh|Nguyễn Thị Lan|Tiếng Việt|Hội Khuyến học/g;
    for (const [key, value] of enEntries) expect(VIETNAMESE.test(value.replace(names, '')), `${key}: "${value}"`).toBe(false);
  });
});

describe('t()', () => {
  it('fills placeholders', () => {
    expect(translate('vi', 'home.hello', { name: 'Lan' })).toBe('Xin chào, Lan!');
    expect(translate('en', 'err.rateLimited', { minutes: 3 })).toBe('Too many tries. Please try again in 3 min.');
  });

  it('leaves an unknown placeholder visible rather than inventing a value', () => {
    expect(translate('vi', 'home.hello', {})).toBe('Xin chào, {name}!');
  });
});
