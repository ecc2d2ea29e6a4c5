/** Trims, composes (NFC) and collapses runs of spaces: how names are stored. */
export function cleanText(value: string): string {
  return value.normalize('NFC').trim().replace(/\s+/g, ' ');
}

/**
 * The key names are matched on: lower case, without diacritics (đ → d), single spaces. "Nguyễn  Văn Đức"
 * and "nguyen van duc" have the same key.
 */
export function nameKey(value: string): string {
  return cleanText(value)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

/** nameKey with every run of other characters turned into one '-': for codes built from names. */
export function slugKey(value: string): string {
  return nameKey(value)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
