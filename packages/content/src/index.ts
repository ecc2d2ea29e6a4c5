import { fileURLToPath } from 'node:url';
import { type CourseContent, loadCourses } from './courses.ts';
import { type FrameworkContent, loadFrameworks } from './frameworks.ts';
import { loadProvince, type ProvinceContent } from './geo.ts';
import { type IndicatorContent, loadIndicators } from './indicators.ts';
import { ContentError, type ContentProblem } from './problems.ts';
import { loadTargetGroups, type TargetGroupContent } from './target-groups.ts';

export { type CourseContent, type CourseRefs, loadCourse } from './courses.ts';
export { CsvError, parseCsv } from './csv.ts';
export { MAX_CONTENT_FILE_BYTES } from './files.ts';
export type { CompetenceContent, FrameworkContent } from './frameworks.ts';
export type { CommuneContent, ProvinceContent } from './geo.ts';
export type { IndicatorContent } from './indicators.ts';
export { ContentError, type ContentProblem, formatProblem } from './problems.ts';
export type { TargetGroupContent } from './target-groups.ts';

/** The repository's own content/ folder, for tools that run inside the repository. */
export const defaultContentDir = fileURLToPath(new URL('../../../content', import.meta.url));

export interface Content {
  province: ProvinceContent;
  targetGroups: TargetGroupContent[];
  frameworks: FrameworkContent[];
  courses: CourseContent[];
  indicators: IndicatorContent[];
}

/** Reads and validates everything; returns every problem found rather than stopping at the first. */
export async function checkContent(contentDir: string): Promise<{ content: Content | null; problems: ContentProblem[] }> {
  const problems: ContentProblem[] = [];
  const province = await loadProvince(contentDir, problems);
  const targetGroups = await loadTargetGroups(contentDir, problems);
  const frameworks = await loadFrameworks(contentDir, problems);
  const refs = {
    competences: new Set(frameworks.flatMap((f) => f.competences.map((c) => c.code))),
    targetGroups: new Set(targetGroups.map((g) => g.code)),
  };
  const courses = await loadCourses(contentDir, refs, problems);
  const indicators = await loadIndicators(contentDir, { targetGroups: refs.targetGroups, courses: new Set(courses.map((c) => c.slug)) }, problems);
  if (province && province.communes.length === 0) problems.push({ file: 'geo/province.yaml', line: 1, message: 'the province has no communes' });
  if (targetGroups.length === 0) problems.push({ file: 'target-groups.yaml', line: 1, message: 'no target groups' });
  if (problems.length > 0 || !province) return { content: null, problems };
  return { content: { province, targetGroups, frameworks, courses, indicators }, problems };
}

/** Like checkContent, but throws a ContentError listing every problem. */
export async function loadContent(contentDir: string): Promise<Content> {
  const { content, problems } = await checkContent(contentDir);
  if (!content) throw new ContentError(problems);
  return content;
}
