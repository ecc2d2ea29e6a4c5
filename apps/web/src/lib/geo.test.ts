import { describe, expect, it } from 'vitest';
import { communeOptionLabel, geoName, scopeText, sortCommunes } from './geo.ts';
import { translator } from './i18n/index.ts';

const vi = translator('vi');
const en = translator('en');

describe('communes', () => {
  it('sort in Vietnamese alphabetical order (Ă and Â after A, Đ after D)', () => {
    const names = ['Yên Dũng', 'Đông Cứu', 'Dương Hưu', 'Ân Thi', 'Ăn Lạc', 'An Lạc', 'Bắc Giang', 'Tân Yên', 'Tam Đa'];
    const sorted = sortCommunes(names.map((name, i) => ({ name, code: String(10000 + i) }))).map((c) => c.name);
    expect(sorted).toEqual(['An Lạc', 'Ăn Lạc', 'Ân Thi', 'Bắc Giang', 'Dương Hưu', 'Đông Cứu', 'Tam Đa', 'Tân Yên', 'Yên Dũng']);
  });

  it('are named with their type', () => {
    expect(geoName(vi, { name: 'Đại Sơn', type: 'xa' })).toBe('Xã Đại Sơn');
    expect(geoName(vi, { name: 'Kinh Bắc', type: 'phuong' })).toBe('Phường Kinh Bắc');
    expect(geoName(en, { name: 'Kinh Bắc', type: 'phuong' })).toBe('Kinh Bắc ward');
    expect(geoName(vi, { name: 'Kinh Bắc', type: 'phường' })).toBe('Phường Kinh Bắc');
    expect(communeOptionLabel(vi, { name: 'Đại Sơn', type: 'xa' })).toBe('Đại Sơn (xã)');
  });

  it('are named with their type whether the API says xa/phuong or commune/ward', () => {
    expect(geoName(vi, { name: 'Đại Sơn', type: 'commune' })).toBe('Xã Đại Sơn');
    expect(geoName(vi, { name: 'Bắc Giang', type: 'ward' })).toBe('Phường Bắc Giang');
    expect(geoName(vi, { name: 'Bắc Ninh', type: 'province' })).toBe('Tỉnh Bắc Ninh');
    expect(geoName(vi, { name: 'Thôn Đông', type: 'village' })).toBe('Thôn Đông');
  });

  it('describe a scope: the whole province, some communes, or none', () => {
    expect(scopeText(vi, [{ name: 'Bắc Ninh', type: 'province' }])).toBe('Toàn tỉnh Bắc Ninh');
    expect(
      scopeText(vi, [
        { name: 'Đại Sơn', type: 'xa' },
        { name: 'Kinh Bắc', type: 'phuong' },
      ]),
    ).toBe('Xã Đại Sơn, Phường Kinh Bắc');
    expect(scopeText(vi, [])).toBe('Chưa được giao phạm vi');
  });
});
