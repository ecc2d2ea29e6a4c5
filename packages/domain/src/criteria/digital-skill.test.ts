import { describe, expect, it } from 'vitest';
import { detectAttachmentFormat } from './attachments.ts';
import { digitalSkillRuleHolds } from './digital-skill.ts';

const rule = { competences: ['kns:0.1', 'kns:1.2'], courses: [], testPassPercent: 70 };
const course = (slug: string, competences: string[], bestQuizScores: number[] = [100]) => ({ id: slug, slug, competences, bestQuizScores });

describe('the digital-skill rule', () => {
  it('holds when the completed courses together cover every required competence', () => {
    const held = digitalSkillRuleHolds(rule, [course('dien-thoai', ['kns:0.1']), course('lua-dao', ['kns:1.2']), course('khac', ['tt02:3.1'])]);
    expect(held?.map((c) => c.slug)).toEqual(['dien-thoai', 'lua-dao']);
  });

  it('does not hold while a required competence is missing', () => {
    expect(digitalSkillRuleHolds(rule, [course('dien-thoai', ['kns:0.1'])])).toBeNull();
  });

  it('does not count a course whose best quiz score is below the pass percent', () => {
    expect(digitalSkillRuleHolds(rule, [course('dien-thoai', ['kns:0.1'], [69, 100]), course('lua-dao', ['kns:1.2'])])).toBeNull();
    expect(digitalSkillRuleHolds(rule, [course('dien-thoai', ['kns:0.1'], [70]), course('lua-dao', ['kns:1.2'], [])])).not.toBeNull();
  });

  it('needs every course the rule names', () => {
    const named = { ...rule, courses: ['vneid'] };
    expect(digitalSkillRuleHolds(named, [course('dien-thoai', ['kns:0.1', 'kns:1.2'])])).toBeNull();
    expect(digitalSkillRuleHolds(named, [course('dien-thoai', ['kns:0.1', 'kns:1.2']), course('vneid', [])])?.map((c) => c.slug)).toEqual([
      'dien-thoai',
      'vneid',
    ]);
  });
});

describe('attachment type by magic bytes', () => {
  it('recognises JPEG, PNG, WebP, HEIC and PDF whatever the name, and nothing else', () => {
    expect(detectAttachmentFormat(Buffer.from('ffd8ffe000104a464946', 'hex'))).toBe('jpeg');
    expect(detectAttachmentFormat(Buffer.from('89504e470d0a1a0a', 'hex'))).toBe('png');
    expect(detectAttachmentFormat(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('webp');
    expect(detectAttachmentFormat(Buffer.from('\x00\x00\x00\x18ftypheic\x00\x00', 'latin1'))).toBe('heic');
    expect(detectAttachmentFormat(Buffer.from('%PDF-1.7\n', 'latin1'))).toBe('pdf');
    expect(detectAttachmentFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(detectAttachmentFormat(Buffer.from('MZ\x90\x00', 'latin1'))).toBeNull();
  });
});
