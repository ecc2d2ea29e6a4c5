import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkContent, defaultContentDir, loadContent } from './index.ts';

async function copyOfContent(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hts-indicators-'));
  await cp(defaultContentDir, dir, { recursive: true });
  return dir;
}

async function edit(dir: string, file: string, change: (text: string) => string): Promise<void> {
  const path = join(dir, 'indicators', file);
  await writeFile(path, change(await readFile(path, 'utf8')));
}

describe('the repository indicator definitions', () => {
  it('carries the four headline targets of the province plan for 2025 and the national ones for 2030', async () => {
    const { indicators } = await loadContent(defaultContentDir);
    const headline = indicators.filter((d) => d.headline);
    expect(headline.map((d) => d.id)).toEqual(['khuyen-hoc-trained', 'adults-collectives-title', 'unit-staff-title', 'title-holders-digital']);
    const target = (id: string, year: number) => indicators.find((d) => d.id === id)?.targets.find((t) => t.year === year)?.value;
    expect([
      target('khuyen-hoc-trained', 2025),
      target('adults-collectives-title', 2025),
      target('unit-staff-title', 2025),
      target('title-holders-digital', 2025),
    ]).toEqual([100, 45, 65, 75]);
    expect([target('adults-collectives-title', 2030), target('unit-staff-title', 2030), target('title-holders-digital', 2030)]).toEqual([60, 80, 90]);
  });

  it('includes the learning-unit gate, the collective title rates and the digital-skills shares', async () => {
    const { indicators } = await loadContent(defaultContentDir);
    const byId = new Map(indicators.map((d) => [d.id, d]));
    expect(byId.get('learning-units-gate')?.numerator).toMatchObject({ kind: 'unit-gate', threshold: 90 });
    expect(byId.get('learning-units-gate')?.byTargetGroup).toBe(false);
    for (const id of ['households-title', 'clans-title', 'communities-title']) expect(byId.get(id)?.numerator.kind).toBe('collective-title');
    expect(byId.get('digital-civil-servants')?.population.targetGroups).toEqual(['cong-chuc', 'vien-chuc', 'can-bo-quan-ly']);
    expect(byId.get('digital-adults')).toMatchObject({ base: 'official', officialCountKey: 'adults' });
    expect(byId.get('digital-enterprise-workers')?.population.unitKinds).toEqual(['enterprise']);
  });
});

describe('content check of indicators', () => {
  it('names the file and line of a target above 100%', async () => {
    const dir = await copyOfContent();
    await edit(dir, 'unit-staff-title.yaml', (t) => t.replace('value: 65', 'value: 650'));
    const { content, problems } = await checkContent(dir);
    expect(content).toBeNull();
    const text = await readFile(join(dir, 'indicators', 'unit-staff-title.yaml'), 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('value: 650')) + 1;
    expect(problems).toEqual([{ file: 'indicators/unit-staff-title.yaml', line, message: 'target value must be a percent 0–100, not 650' }]);
  });

  it('rejects a condition that does not apply to the population, at the line of the kind', async () => {
    const dir = await copyOfContent();
    await edit(dir, 'households-title.yaml', (t) => t.replace('kind: collective-title', 'kind: digital-skills'));
    const { problems } = await checkContent(dir);
    const text = await readFile(join(dir, 'indicators', 'households-title.yaml'), 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('kind: digital-skills')) + 1;
    expect(problems).toContainEqual({
      file: 'indicators/households-title.yaml',
      line,
      message: 'numerator digital-skills does not apply to population households (use one of: collective-title)',
    });
  });

  it('rejects an unknown target group and a collective title of the wrong kind', async () => {
    const dir = await copyOfContent();
    await edit(dir, 'digital-civil-servants.yaml', (t) => t.replace('vien-chuc', 'vien-chucc'));
    await edit(dir, 'clans-title.yaml', (t) => t.replace('title: dong-ho-hoc-tap', 'title: gia-dinh-hoc-tap'));
    const { problems } = await checkContent(dir);
    expect(problems).toContainEqual(
      expect.objectContaining({ file: 'indicators/digital-civil-servants.yaml', message: 'unknown target group "vien-chucc" (see target-groups.yaml)' }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({ file: 'indicators/clans-title.yaml', message: 'the title of clans is dong-ho-hoc-tap, not gia-dinh-hoc-tap' }),
    );
  });

  it('rejects a second version whose years overlap the first', async () => {
    const dir = await copyOfContent();
    const text = await readFile(join(dir, 'indicators', 'clans-title.yaml'), 'utf8');
    await writeFile(
      join(dir, 'indicators', 'clans-title@2027.1.yaml'),
      text.replace('version: "2025.1"', 'version: "2027.1"').replace('from: 2021', 'from: 2027'),
    );
    const { problems } = await checkContent(dir);
    expect(problems).toContainEqual({
      file: 'indicators/clans-title@2027.1.yaml',
      line: 1,
      message: 'versions 2025.1 and 2027.1 of clans-title both apply to 2027; years must not overlap',
    });
  });

  it('accepts a second version that takes over in a later year', async () => {
    const dir = await copyOfContent();
    await edit(dir, 'clans-title.yaml', (t) => t.replace('to: 2030', 'to: 2026'));
    const text = await readFile(join(dir, 'indicators', 'clans-title.yaml'), 'utf8');
    await writeFile(
      join(dir, 'indicators', 'clans-title@2027.1.yaml'),
      text.replace('version: "2025.1"', 'version: "2027.1"').replace('from: 2021, to: 2026', 'from: 2027, to: 2030'),
    );
    const { content, problems } = await checkContent(dir);
    expect(problems).toEqual([]);
    expect(content?.indicators.filter((d) => d.id === 'clans-title').map((d) => d.version)).toEqual(['2025.1', '2027.1']);
  });

  it('rejects a file whose name does not match its id, and an official base on a collective', async () => {
    const dir = await copyOfContent();
    await edit(dir, 'communities-title.yaml', (t) => t.replace('base: registered', 'base: official'));
    await edit(dir, 'learning-units-gate.yaml', (t) => t.replace('id: learning-units-gate', 'id: units-gate'));
    const { problems } = await checkContent(dir);
    expect(problems).toContainEqual(
      expect.objectContaining({ file: 'indicators/communities-title.yaml', message: 'an official count exists only for populations of people' }),
    );
    expect(problems).toContainEqual({
      file: 'indicators/learning-units-gate.yaml',
      line: 1,
      message: 'file name must be units-gate.yaml or units-gate@2025.1.yaml',
    });
  });

  it('reports a missing method text and a years range that runs backwards', async () => {
    const dir = await copyOfContent();
    await edit(dir, 'digital-adults.yaml', (t) => t.replace(/^method: >-\n( {2}.*\n)+/m, '').replace('from: 2025, to: 2030', 'from: 2030, to: 2025'));
    const { problems } = await checkContent(dir);
    const file = problems.filter((p) => p.file === 'indicators/digital-adults.yaml').map((p) => p.message);
    expect(file).toEqual(['method is required (text)', 'years.to (2025) is before years.from (2030)']);
  });
});
