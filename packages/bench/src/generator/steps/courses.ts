import { KIND, lit, syntheticIdSql } from '../sql.ts';
import type { GeneratorStep } from '../step.ts';

/** The national platform's catalog size: what catalog search is benched over, at every scale (one INSERT … SELECT, a second or two). */
export const CATALOG_COURSES = 3000;

const TOPICS = [
  'Kỹ năng số',
  'An toàn trên mạng',
  'Dịch vụ công trực tuyến',
  'Thanh toán điện tử',
  'Sử dụng điện thoại thông minh',
  'Học tập suốt đời',
  'Nông nghiệp số',
  'Thương mại điện tử',
  'Bảo vệ dữ liệu cá nhân',
  'Giao tiếp trực tuyến',
];
const AUDIENCES = ['cho nông dân', 'cho công nhân', 'cho người cao tuổi', 'cho thanh niên', 'cho cán bộ', 'cho hộ kinh doanh'];
const LEVELS = ['co-ban', 'trung-cap', 'nang-cao'];

const array = (values: string[]) => `array[${values.map(lit).join(',')}]::text[]`;

/**
 * Published courses in one pass of generate_series (3,000, the national platform's size, whatever the
 * scale of the population): varied Vietnamese titles, levels, competences, target groups and popularity, each with a
 * published version whose document is a content course's with the title replaced. Nobody owns them.
 */
export const coursesStep: GeneratorStep = {
  name: 'courses',
  async run({ content, seed, exec }) {
    const count = CATALOG_COURSES;
    const template = content.courses[0]?.doc;
    if (!template) throw new Error('content/courses is empty: the courses step needs a course document to copy');
    const competenceCodes = content.frameworks.flatMap((f) => f.competences.map((c) => c.code));
    const groups = content.targetGroups.map((g) => g.code);
    const pick = (list: string, size: number, salt: number) => `(${list})[1 + ((n * ${salt} + ${seed % 97}) % ${size})]`;
    const title = `${pick(array(TOPICS), TOPICS.length, 1)} || ' ' || ${pick(array(AUDIENCES), AUDIENCES.length, 7)} || ' – phần ' || n`;
    await exec(`
insert into courses (id, slug, origin, title, summary, level, duration_minutes, competences, target_groups, search_text, enrolment_count, published_at, created_at, updated_at)
select ${syntheticIdSql(KIND.course, seed, 'n')}, 'khoa-bench-' || n, 'authored', t.title,
       'Khóa học tổng hợp số ' || n || ': ' || t.title, ${pick(array(LEVELS), LEVELS.length, 3)}, 30 + (n % 9) * 15,
       array[${pick(array(competenceCodes), competenceCodes.length, 5)}, ${pick(array(competenceCodes), competenceCodes.length, 11)}],
       array[${pick(array(groups), groups.length, 13)}],
       t.title || ' \n Khóa học tổng hợp số ' || n, (n * 7919) % 5000, now() - (n || ' hours')::interval, now(), now()
from generate_series(1, ${count}) n, lateral (select ${title} as title) t`);
    await exec(`
insert into course_versions (id, course_id, number, doc, doc_hash, published_at)
select ${syntheticIdSql(KIND.courseVersion, seed, 'n')}, ${syntheticIdSql(KIND.course, seed, 'n')}, 1,
       jsonb_set(${lit(JSON.stringify(template))}::jsonb, '{title}', to_jsonb(c.title)), md5(c.title), c.published_at
from generate_series(1, ${count}) n join courses c on c.id = ${syntheticIdSql(KIND.course, seed, 'n')}`);
    await exec(`
update courses c set published_version_id = ${syntheticIdSql(KIND.courseVersion, seed, 'n')}
from generate_series(1, ${count}) n where c.id = ${syntheticIdSql(KIND.course, seed, 'n')}`);
    return { courses: count, course_versions: count };
  },
};
