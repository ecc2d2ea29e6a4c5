import type { Commune, GeoRef } from '@hts/contracts';
import type { Lang, MessageKey, MessageParams } from './i18n/index.ts';

const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

/** Communes in Vietnamese alphabetical order (A Ă Â B C D Đ E Ê …), not code order. */
export function sortCommunes<T extends Pick<Commune, 'name' | 'code'>>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => collator.compare(a.name, b.name) || a.code.localeCompare(b.code));
}

type T = (key: MessageKey, params?: MessageParams) => string;

/** "Xã Đại Sơn", "Phường Kinh Bắc", "Tỉnh Bắc Ninh" (or their English forms). */
export function geoName(t: T, ref: Pick<GeoRef, 'name' | 'type'>): string {
  switch (normalizeGeoType(ref.type)) {
    case 'xa':
      return t('geo.xa', { name: ref.name });
    case 'phuong':
      return t('geo.phuong', { name: ref.name });
    case 'province':
      return t('geo.province', { name: ref.name });
    default:
      return ref.name;
  }
}

/** A role's scope in words: "Toàn tỉnh Bắc Ninh" for the province, else the communes by name. */
export function scopeText(t: T, scope: readonly Pick<GeoRef, 'name' | 'type'>[]): string {
  if (scope.length === 0) return t('scope.none');
  return scope.map((s) => (normalizeGeoType(s.type) === 'province' ? t('geo.wholeProvince', { name: s.name }) : geoName(t, s))).join(', ');
}

export function normalizeGeoType(type: string): 'xa' | 'phuong' | 'province' | 'other' {
  const value = type.normalize('NFC').toLowerCase();
  if (value === 'xa' || value === 'xã' || value === 'commune') return 'xa';
  if (value === 'phuong' || value === 'phường' || value === 'ward') return 'phuong';
  if (value === 'province' || value === 'tinh' || value === 'tỉnh') return 'province';
  return 'other';
}

export function communeOptionLabel(t: T, commune: Pick<Commune, 'name' | 'type'>): string {
  const type = normalizeGeoType(commune.type) === 'phuong' ? t('geo.typePhuong') : t('geo.typeXa');
  return `${commune.name} (${type})`;
}

export function formatDate(lang: Lang, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}
