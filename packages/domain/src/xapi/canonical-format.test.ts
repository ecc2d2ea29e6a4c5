import { describe, expect, it } from 'vitest';
import { acceptedLanguages, canonicalStatement } from './canonical-format.ts';

const statement = {
  id: '0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b',
  actor: { mbox: 'mailto:lan@example.vn' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/answered', display: { 'en-US': 'answered', 'vi-VN': 'đã trả lời' } },
  object: {
    id: 'https://hoc.bacninh.vn/xapi/activities/quiz/1',
    definition: {
      name: { en: 'Phishing quiz', vi: 'Kiểm tra lừa đảo' },
      description: { en: 'Spot the scam' },
      interactionType: 'choice',
      choices: [{ id: 'a', description: { en: 'Give the OTP', vi: 'Đưa mã OTP' } }],
    },
  },
  context: {
    contextActivities: { parent: [{ id: 'https://hoc.bacninh.vn/xapi/activities/course/1', definition: { name: { en: 'Safety', vi: 'An toàn' } } }] },
  },
};

describe('format=canonical', () => {
  it('reads Accept-Language by quality, leaving out q=0', () => {
    expect(acceptedLanguages('en;q=0.5, vi-VN, fr;q=0')).toEqual(['vi-vn', 'en']);
    expect(acceptedLanguages(undefined)).toEqual([]);
  });

  it('keeps one language per map: the most wanted one, matching by primary subtag when needed', () => {
    const vi = canonicalStatement(statement, acceptedLanguages('vi, en;q=0.8'));
    expect((vi.verb as { display: unknown }).display).toEqual({ 'vi-VN': 'đã trả lời' });
    const def = (vi.object as { definition: Record<string, unknown> }).definition;
    expect(def.name).toEqual({ vi: 'Kiểm tra lừa đảo' });
    expect(def.description).toEqual({ en: 'Spot the scam' });
    expect(def.choices).toEqual([{ id: 'a', description: { vi: 'Đưa mã OTP' } }]);
    expect(vi.context).toEqual({
      contextActivities: { parent: [{ id: 'https://hoc.bacninh.vn/xapi/activities/course/1', definition: { name: { vi: 'An toàn' } } }] },
    });
  });

  it('falls back to the first entry when no wanted language is there, and leaves the stored statement as it was', () => {
    const de = canonicalStatement(statement, ['de']);
    expect((de.verb as { display: unknown }).display).toEqual({ 'en-US': 'answered' });
    expect(statement.verb.display).toEqual({ 'en-US': 'answered', 'vi-VN': 'đã trả lời' });
  });
});
