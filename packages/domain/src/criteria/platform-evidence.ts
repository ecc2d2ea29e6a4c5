import type { CriteriaSetDef, EvidenceLink } from '@hts/contracts';
import { courseCompletions, courses, type Db, digitalSkillConfirmations } from '@hts/db';
import { and, eq, isNull } from 'drizzle-orm';

type Reader = Pick<Db, 'select'>;

export interface PlatformEvidence {
  completions: Array<{ id: string; courseId: string; slug: string; title: string; competences: string[]; completedAt: Date }>;
  digitalSkill: { id: string; ruleVersionId: string; confirmedAt: Date } | null;
}

/** What the platform already knows about a person that criteria can count: course completions and the digital-skill confirmation. */
export async function collectPlatformEvidence(db: Reader, userId: string): Promise<PlatformEvidence> {
  const completions = await db
    .select({
      id: courseCompletions.id,
      courseId: courses.id,
      slug: courses.slug,
      title: courses.title,
      competences: courses.competences,
      completedAt: courseCompletions.completedAt,
    })
    .from(courseCompletions)
    .innerJoin(courses, eq(courses.id, courseCompletions.courseId))
    .where(eq(courseCompletions.userId, userId))
    .orderBy(courseCompletions.completedAt);
  const [digitalSkill] = await db
    .select({ id: digitalSkillConfirmations.id, ruleVersionId: digitalSkillConfirmations.ruleVersionId, confirmedAt: digitalSkillConfirmations.confirmedAt })
    .from(digitalSkillConfirmations)
    .where(and(eq(digitalSkillConfirmations.userId, userId), isNull(digitalSkillConfirmations.revokedAt)));
  return { completions, digitalSkill: digitalSkill ?? null };
}

export const completionLink = (c: PlatformEvidence['completions'][number]): EvidenceLink => ({
  kind: 'course_completion',
  id: c.id,
  label: c.title,
  href: `/courses/${c.slug}`,
  at: c.completedAt.toISOString(),
});

export const digitalSkillLink = (d: NonNullable<PlatformEvidence['digitalSkill']>): EvidenceLink => ({
  kind: 'digital_skill_confirmation',
  id: d.id,
  label: d.ruleVersionId,
  href: '/profile#ky-nang-so',
  at: d.confirmedAt.toISOString(),
});

/**
 * The criteria that evidence on the platform satisfies, each with full points and links to that evidence. Pure:
 * reads the set's evidence rules (course completions mapped to given competences, at least `minCount`; a live
 * digital-skill confirmation). Credentials and branch attestations are not counted here.
 */
export function prefillFromEvidence(def: CriteriaSetDef, evidence: PlatformEvidence): Map<string, { points: number; evidence: EvidenceLink[] }> {
  const out = new Map<string, { points: number; evidence: EvidenceLink[] }>();
  for (const criterion of def.groups.flatMap((g) => g.criteria)) {
    const links: EvidenceLink[] = [];
    for (const rule of criterion.evidence) {
      if (rule.kind === 'course-completion') {
        const wanted = new Set(rule.competences);
        const matching = evidence.completions.filter((c) => wanted.size === 0 || c.competences.some((code) => wanted.has(code)));
        if (matching.length >= rule.minCount) links.push(...matching.map(completionLink));
      } else if (rule.kind === 'digital-skill' && evidence.digitalSkill) {
        links.push(digitalSkillLink(evidence.digitalSkill));
      }
    }
    const unique = [...new Map(links.map((l) => [`${l.kind}:${l.id}`, l])).values()];
    if (unique.length > 0) out.set(criterion.id, { points: criterion.points, evidence: unique });
  }
  return out;
}
