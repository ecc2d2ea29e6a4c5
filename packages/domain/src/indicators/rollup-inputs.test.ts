import { defaultContentDir, loadContent } from '@hts/content';
import { describe, expect, it } from 'vitest';
import { indicatorsReading, inputsOf } from './rollup-queries.ts';

describe('what each indicator reads besides the registry', () => {
  it('names the evidence kinds of the shipped definitions', async () => {
    const { indicators } = await loadContent(defaultContentDir);
    const of = (id: string) => {
      const def = indicators.find((d) => d.id === id);
      if (!def) throw new Error(`no definition ${id}`);
      return [...inputsOf(def)].sort();
    };
    expect(of('khuyen-hoc-trained')).toEqual(['trained']);
    expect(of('adults-collectives-title')).toEqual(['person-title']);
    expect(of('unit-staff-title')).toEqual(['person-title']);
    // title holders are the population: a title moves the denominator, a confirmation the numerator
    expect(of('title-holders-digital')).toEqual(['digital-skills', 'person-title']);
    // the gate holds once enough members hold the person title
    expect(of('learning-units-gate')).toEqual(['person-title']);
    expect(of('households-title')).toEqual(['collective-title']);
    expect(of('digital-adults')).toEqual(['digital-skills', 'official-count']);
    expect(of('digital-enterprise-workers')).toEqual(['digital-skills']);
  });

  it('picks the indicators a confirmation, a person title or an official count can move', async () => {
    const { indicators } = await loadContent(defaultContentDir);
    expect(indicatorsReading(indicators, ['digital-skills'])).toEqual([
      'digital-adults',
      'digital-civil-servants',
      'digital-enterprise-workers',
      'title-holders-digital',
    ]);
    expect(indicatorsReading(indicators, ['person-title'])).toEqual([
      'adults-collectives-title',
      'learning-units-gate',
      'title-holders-digital',
      'unit-staff-title',
    ]);
    expect(indicatorsReading(indicators, ['official-count'])).toEqual(['digital-adults']);
    expect(indicatorsReading(indicators, [])).toEqual([]);
  });
});
