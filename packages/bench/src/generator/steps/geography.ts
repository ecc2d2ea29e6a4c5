import { seedGeography, seedTargetGroups } from '@hts/db';
import type { GeneratorStep } from '../step.ts';

/**
 * The real 99 communes and target groups, through the same seed functions the API runs on start (so a
 * generated database is one the API accepts). Estimated populations stay in the plan, not in geo_units:
 * they are not facts.
 */
export const geographyStep: GeneratorStep = {
  name: 'geography',
  async run({ db, content }) {
    await seedGeography(db, content.province);
    await seedTargetGroups(db, content.targetGroups);
    return { geo_units: content.province.communes.length + 1, target_groups: content.targetGroups.length };
  },
};
