#!/usr/bin/env -S node --import tsx
import { resolve } from 'node:path';
import { checkContent, defaultContentDir, formatProblem } from './index.ts';

const [command = 'check', dir] = process.argv.slice(2);
if (command !== 'check') {
  console.error(`unknown command "${command}"; usage: content check [folder]`);
  process.exit(2);
}
const contentDir = dir ? resolve(dir) : defaultContentDir;
const { content, problems } = await checkContent(contentDir);
for (const p of problems) console.error(formatProblem(p));
if (!content) {
  console.error(`content check: ${problems.length} problem(s) in ${contentDir}`);
  process.exit(1);
}
console.log(
  `content check: ok (${content.province.communes.length} communes of ${content.province.name}, ${content.targetGroups.length} target groups, ${content.frameworks.length} frameworks with ${content.frameworks.reduce((n, f) => n + f.competences.length, 0)} competences, ${content.courses.length} courses, ${content.criteria.length} criteria versions, ${content.collectiveRules.length} collective title rules, ${content.indicators.length} indicators)`,
);
