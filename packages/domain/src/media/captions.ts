/** Turns SRT into WebVTT (the only captions format HLS players load); WebVTT passes through. */
export function toWebVtt(text: string, format: 'vtt' | 'srt'): string {
  const clean = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .normalize('NFC');
  if (format === 'vtt') return clean;
  const body = clean.replace(/(\d{1,2}:\d{2}:\d{2}),(\d{1,3})/g, '$1.$2');
  return `WEBVTT\n\n${body.trim()}\n`;
}

const LANGUAGE_LABELS: Record<string, string> = { vi: 'Tiếng Việt', en: 'English' };

export function captionsLabel(language: string): string {
  return LANGUAGE_LABELS[language.split('-')[0] ?? language] ?? language;
}

/** Vietnamese first, then the rest in the order they were added. */
export function sortCaptions<T extends { language: string }>(captions: T[]): T[] {
  return [...captions].sort((a, b) => Number(b.language.startsWith('vi')) - Number(a.language.startsWith('vi')));
}
