/** "45,5%": Vietnamese writes a decimal comma. */
export function formatRate(rate: number, lang: 'vi' | 'en' = 'vi'): string {
  const text = Number.isInteger(rate) ? String(rate) : rate.toFixed(1);
  return `${lang === 'vi' ? text.replace('.', ',') : text}%`;
}

/** Bars of a ranking: the longest label decides nothing; each row is one line of text and one bar. */
export function niceMax(values: number[]): number {
  const max = Math.max(0, ...values);
  if (max <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  return Math.ceil(max / magnitude) * magnitude;
}
