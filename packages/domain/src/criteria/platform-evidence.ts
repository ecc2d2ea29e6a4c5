import type { CriteriaSetDef, EvidenceLink } from '@hts/contracts';
import { courseCompletions, courses, credentialRevocations, credentials, type Db, digitalSkillConfirmations } from '@hts/db';
import { and, eq, isNull } from 'drizzle-orm';

type Reader = Pick<Db, 'select'>;

export interface PlatformEvidence {
  completions: Array<{ id: string; courseId: string; slug: string; title: string; competences: string[]; completedAt: Date }>;
  digitalSkill: { id: string; ruleVersionId: string; confirmedAt: Date } | null;
  /** Certificates not revoked, with the competences of the course they were issued for. */
  credentials?: Array<{ id: string; title: string; competences: string[]; issuedAt: Date }>;
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
  const held = await db
    .select({ id: credentials.id, title: courses.title, competences: courses.competences, issuedAt: credentials.issuedAt })
    .from(credentials)
    .innerJoin(courses, eq(courses.id, credentials.courseId))
    .leftJoin(credentialRevocations, eq(credentialRevocations.credentialId, credentials.id))
    .where(and(eq(credentials.userId, userId), isNull(credentialRevocations.id)))
    .orderBy(credentials.issuedAt);
  return { completions, digitalSkill: digitalSkill ?? null, credentials: held };
}

export const credentialLink = (c: NonNullable<PlatformEvidence['credentials']>[number]): EvidenceLink => ({
  kind: 'credential',
  id: c.id,
  label: c.title,
  href: `/verify/${c.id}`,
  at: c.issuedAt.toISOString(),
});

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
 * digital-skill confirmation; a certificate not revoked, aligned to given competences). Branch attestations are not
 * counted here.
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
      } else if (rule.kind === 'credential') {
        // A platform certificate proves the competences of its course only: a criterion that names none (a
        // foreign language, a trade licence) is met by a credential the person declares, never by any certificate.
        const wanted = new Set(rule.competences);
        links.push(...(evidence.credentials ?? []).filter((c) => wanted.size > 0 && c.competences.some((code) => wanted.has(code))).map(credentialLink));
      } else if (rule.kind === 'digital-skill' && evidence.digitalSkill) {
        links.push(digitalSkillLink(evidence.digitalSkill));
      }
    }
    const unique = [...new Map(links.map((l) => [`${l.kind}:${l.id}`, l])).values()];
    if (unique.length > 0) out.set(criterion.id, { points: criterion.points, evidence: unique });
  }
  return out;
}
