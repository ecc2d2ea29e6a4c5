import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkContent, defaultContentDir, loadContent } from './index.ts';

async function copyOfContent(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hts-content-'));
  await cp(defaultContentDir, dir, { recursive: true });
  return dir;
}

describe('the repository content', () => {
  it('loads all 99 communes of Bắc Ninh with their official codes', async () => {
    const content = await loadContent(defaultContentDir);
    expect(content.province.name).toBe('Bắc Ninh');
    expect(content.province.communes).toHaveLength(99);
    expect(content.province.communes.filter((c) => c.type === 'commune')).toHaveLength(66);
    expect(content.province.communes.filter((c) => c.type === 'ward')).toHaveLength(33);
    expect(content.province.communes.find((c) => c.code === '07627')?.name).toBe('Đại Sơn');
  });

  it('loads the target groups with Vietnamese and English names', async () => {
    const content = await loadContent(defaultContentDir);
    const codes = content.targetGroups.map((g) => g.code);
    expect(codes).toEqual(expect.arrayContaining(['nong-dan', 'cong-nhan', 'cong-chuc', 'vien-chuc', 'doanh-nhan', 'can-bo-quan-ly']));
    expect(content.targetGroups.find((g) => g.code === 'nong-dan')?.nameVi).toBe('Nông dân, lao động nông thôn');
  });
});

describe('content check', () => {
  it('points at the file and line of a duplicated commune code', async () => {
    const dir = await copyOfContent();
    const csv = join(dir, 'geo', 'bac-ninh-communes.csv');
    const lines = (await readFile(csv, 'utf8')).split('\n');
    lines[5] = lines[5]?.replace(/^[0-9]{5}/, '07627') ?? '';
    await writeFile(csv, lines.join('\n'));
    const { content, problems } = await checkContent(dir);
    expect(content).toBeNull();
    expect(problems).toContainEqual({ file: 'geo/bac-ninh-communes.csv', line: 6, message: 'code 07627 already used on line 2' });
  });

  it('rejects a commune type that is neither xã nor phường, naming the line', async () => {
    const dir = await copyOfContent();
    const csv = join(dir, 'geo', 'bac-ninh-communes.csv');
    const lines = (await readFile(csv, 'utf8')).split('\n');
    lines[2] = lines[2]?.replace(',xã,', ',huyện,') ?? '';
    await writeFile(csv, lines.join('\n'));
    const { problems } = await checkContent(dir);
    expect(problems).toContainEqual(expect.objectContaining({ file: 'geo/bac-ninh-communes.csv', line: 3, message: 'type "huyện" must be xã or phường' }));
  });

  it('reports a target group without an English name at its line', async () => {
    const dir = await copyOfContent();
    await writeFile(
      join(dir, 'target-groups.yaml'),
      'groups:\n  - code: nong-dan\n    name: Nông dân\n    nameEn: Farmers\n  - code: cong-nhan\n    name: Công nhân\n',
    );
    const { problems } = await checkContent(dir);
    // courses naming the groups this copy dropped report too; this test is about the target-group file
    expect(problems.filter((p) => p.file === 'target-groups.yaml')).toEqual([{ file: 'target-groups.yaml', line: 5, message: 'nameEn is required' }]);
  });

  it('reports broken YAML with its line', async () => {
    const dir = await copyOfContent();
    await writeFile(join(dir, 'target-groups.yaml'), 'groups:\n  - code: a\n   bad: [\n');
    const { problems } = await checkContent(dir);
    expect(problems[0]?.file).toBe('target-groups.yaml');
    expect(problems[0]?.line).toBeGreaterThan(1);
  });
});
