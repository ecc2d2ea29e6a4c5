import { randomUUID } from 'node:crypto';
import type { CourseDoc } from '@hts/contracts';
import { competences, courseCompletions, courses, courseVersions, type Db, enrolments, userRoles, users } from '@hts/db';

/** Test and benchmark helper: a published one-lesson course, and completions of it written as the learning use case writes them. */
export async function seedCredentialCourse(db: Db, tag: string, ownerId: string | null = null): Promise<{ courseId: string; versionId: string }> {
  await db
    .insert(competences)
    .values([
      {
        code: 'tt02:1.1',
        framework: 'tt02',
        groupCode: '1',
        groupName: 'Khai thác dữ liệu',
        nameVi: 'Duyệt, tìm kiếm và lọc dữ liệu',
        nameEn: 'Browsing, searching and filtering data',
      },
      { code: 'kns:0.1', framework: 'kns', groupCode: '0', groupName: 'Cơ bản', nameVi: 'Sử dụng điện thoại thông minh', nameEn: 'Using a smartphone' },
    ])
    .onConflictDoNothing();
  const doc: CourseDoc = {
    title: `Dùng điện thoại an toàn ${tag}`,
    summary: 'Nhận biết tin nhắn lừa đảo.',
    level: 'co-ban',
    language: 'vi',
    sequence: 'free',
    competences: ['kns:0.1', 'tt02:1.1'],
    targetGroups: [],
    modules: [],
  };
  const [course] = await db
    .insert(courses)
    .values({ slug: `chung-chi-${tag}`, title: doc.title, ownerId, competences: doc.competences })
    .returning({ id: courses.id });
  const courseId = course?.id as string;
  const [version] = await db.insert(courseVersions).values({ courseId, number: 1, doc, docHash: randomUUID() }).returning({ id: courseVersions.id });
  return { courseId, versionId: version?.id as string };
}

export async function seedUser(db: Db, name: string, roles: Array<'citizen' | 'trainer' | 'admin' | 'officer'> = ['citizen']): Promise<string> {
  const [u] = await db
    .insert(users)
    .values({ fullName: name, email: `${randomUUID()}@example.test`, passwordHash: 'x' })
    .returning({ id: users.id });
  const userId = u?.id as string;
  for (const role of roles) await db.insert(userRoles).values({ userId, role });
  return userId;
}

export async function seedCompletion(db: Db, course: { courseId: string; versionId: string }, userId: string, completedAt = new Date()): Promise<string> {
  const [e] = await db.insert(enrolments).values({ userId, courseId: course.courseId, versionId: course.versionId }).returning({ id: enrolments.id });
  const [c] = await db
    .insert(courseCompletions)
    .values({ enrolmentId: e?.id as string, userId, courseId: course.courseId, versionId: course.versionId, completedAt })
    .returning({ id: courseCompletions.id });
  return c?.id as string;
}
