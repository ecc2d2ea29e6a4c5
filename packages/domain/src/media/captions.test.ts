import { describe, expect, it } from 'vitest';
import { captionsLabel, sortCaptions, toWebVtt } from './captions.ts';

describe('captions', () => {
  it('turns SRT into WebVTT with dotted milliseconds', () => {
    const vtt = toWebVtt('1\r\n00:00:01,000 --> 00:00:02,500\r\nXin chào\r\n', 'srt');
    expect(vtt).toBe('WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.500\nXin chào\n');
  });

  it('names Vietnamese and English tracks and puts Vietnamese first', () => {
    expect(captionsLabel('vi')).toBe('Tiếng Việt');
    expect(sortCaptions([{ language: 'en' }, { language: 'vi' }]).map((c) => c.language)).toEqual(['vi', 'en']);
  });
});
