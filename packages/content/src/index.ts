import { fileURLToPath } from 'node:url';
import { type CollectiveRuleContent, loadCollectiveRules } from './collective-rules.ts';
import { type CourseContent, loadCourses } from './courses.ts';
import { type CriteriaContent, loadCriteria } from './criteria.ts';
import { type FrameworkContent, loadFrameworks } from './frameworks.ts';
import { loadProvince, type ProvinceContent } from './geo.ts';
import { type IndicatorContent, loadIndicators } from './indicators.ts';
import { ContentError, type ContentProblem } from './problems.ts';
import { loadTargetGroups, type TargetGroupContent } from './target-groups.ts';

export { type CollectiveRuleContent, parseCollectiveRule } from './collective-rules.ts';
export { type CourseContent, type CourseRefs, loadCourse } from './courses.ts';
export { type CriteriaContent, compareVersions } from './criteria.ts';
export { CsvError, parseCsv } from './csv.ts';
export { type ContentRoot, MAX_CONTENT_FILE_BYTES, type MemoryFolder } from './files.ts';
export type { CompetenceContent, FrameworkContent } from './frameworks.ts';
export type { CommuneContent, ProvinceContent } from './geo.ts';
export type { IndicatorContent } from './indicators.ts';
export {
  COURSE_PACKAGE_LIMITS,
  coursePackageFiles,
  packageLimitProblem,
  type ReadPackageResult,
  readCoursePackage,
  unpackCoursePackage,
  unsafeEntryName,
  zipCoursePackage,
} from './package.ts';
export { ContentError, type ContentProblem, formatProblem } from './problems.ts';
export type { TargetGroupContent } from './target-groups.ts';

/** The repository's own content/ folder, for tools that run inside the repository. */
export const defaultContentDir = fileURLToPath(new URL('../../../content', import.meta.url));

export interface Content {
  province: ProvinceContent;
  targetGroups: TargetGroupContent[];
  frameworks: FrameworkContent[];
  courses: CourseContent[];
  criteria: CriteriaContent[];
  collectiveRules: CollectiveRuleContent[];
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
  const criteria = await loadCriteria(contentDir, { ...refs, courses: new Set(courses.map((c) => c.slug)) }, problems);
  const collectiveRules = await loadCollectiveRules(contentDir, problems);
  const indicators = await loadIndicators(contentDir, { targetGroups: refs.targetGroups, courses: new Set(courses.map((c) => c.slug)) }, problems);
  if (province && province.communes.length === 0) problems.push({ file: 'geo/province.yaml', line: 1, message: 'the province has no communes' });
  if (targetGroups.length === 0) problems.push({ file: 'target-groups.yaml', line: 1, message: 'no target groups' });
  if (problems.length > 0 || !province) return { content: null, problems };
  return { content: { province, targetGroups, frameworks, courses, criteria, collectiveRules, indicators }, problems };
}

/** Like checkContent, but throws a ContentError listing every problem. */
export async function loadContent(contentDir: string): Promise<Content> {
  const { content, problems } = await checkContent(contentDir);
  if (!content) throw new ContentError(problems);
  return content;
}
