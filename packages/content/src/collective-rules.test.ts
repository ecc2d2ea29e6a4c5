import { describe, expect, it } from 'vitest';
import { parseCollectiveRule } from './collective-rules.ts';
import { checkContent, defaultContentDir } from './index.ts';
import type { ContentProblem } from './problems.ts';

const FILE = 'criteria/collective/don-vi-hoc-tap/2025.1.yaml';
const good = `kind: collective-title-rule
code: don-vi-hoc-tap
version: "2025.1"
title: Đơn vị học tập
subject: unit
years: { from: 2025, to: 2030 }
personTitle: cong-dan-hoc-tap
source: TT 24/2023/TT-BGDĐT
requirements:
  - code: thanh-vien-dat-cdht
    label: Ít nhất 90% thành viên đạt danh hiệu
    type: members-with-title
    minShare: 0.9
    assumption: false
`;

function parse(text: string) {
  const problems: ContentProblem[] = [];
  const doc = parseCollectiveRule(text, FILE, 'don-vi-hoc-tap', '2025.1', problems);
  return { doc, problems };
}

describe('collective title rule files', () => {
  it('reads a valid rule with its defaults', () => {
    const { doc, problems } = parse(good);
    expect(problems).toEqual([]);
    expect(doc).toMatchObject({
      id: 'don-vi-hoc-tap@2025.1',
      subject: 'unit',
      requirements: [{ type: 'members-with-title', minShare: 0.9, minCount: 1, ageFrom: null }],
    });
  });

  it('names the file and line of a missing source', () => {
    const { doc, problems } = parse(good.replace('source: TT 24/2023/TT-BGDĐT\n', ''));
    expect(doc).toBeNull();
    expect(problems).toContainEqual({ file: FILE, line: 1, message: 'source is required' });
  });

  it('refuses an assumption without a note, a share above 1 and an unknown type, each at its line', () => {
    const text = good
      .replace('assumption: false', 'assumption: true')
      .replace('minShare: 0.9', 'minShare: 90')
      .concat('  - code: khac\n    label: Khác\n    type: points\n    assumption: false\n');
    const { problems } = parse(text);
    expect(problems.map((p) => [p.line, p.message]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [13, 'requirements.0.minShare must be a share above 0 and at most 1 (0.9 = 90%)'],
      [14, 'assumption: true needs a note saying what is assumed and why'],
      [17, 'type must be one of members-with-title, head-with-title, households-with-title'],
    ]);
  });

  it('refuses a version that does not match its file name and a type that does not fit the subject', () => {
    const { problems } = parse(good.replace('"2025.1"', '"2025.2"').replace('type: members-with-title', 'type: households-with-title'));
    expect(problems.map((p) => p.message)).toEqual(
      expect.arrayContaining([
        'version 2025.2 does not match the file name 2025.1.yaml',
        'type households-with-title does not apply to a unit',
        'households-with-title needs familyTitle at the top of the file',
      ]),
    );
  });

  it('loads the four rules of the repository content', async () => {
    const { content, problems } = await checkContent(defaultContentDir);
    expect(problems).toEqual([]);
    expect(content?.collectiveRules.map((r) => r.doc.id).sort()).toEqual([
      'cong-dong-hoc-tap@2025.1',
      'don-vi-hoc-tap@2025.1',
      'dong-ho-hoc-tap@2025.1',
      'gia-dinh-hoc-tap@2025.1',
    ]);
  });
});
