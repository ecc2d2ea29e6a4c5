import type { RegistryPerson } from '@hts/contracts';
import {
  courseCompletions,
  courses,
  type Db,
  digitalSkillConfirmations,
  geoUnits,
  khuyenHocBranches,
  khuyenHocMembers,
  personTitleAwards,
  registryClans,
  registryCommunities,
  registryHouseholds,
  registryMemberships,
  registryPeople,
  registryUnits,
  targetGroups,
  users,
} from '@hts/db';
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { type Actor, coversCommune, requireRole } from '../access/actor.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { RequestContext } from '../shared/deps.ts';
import { DomainError, fieldError } from '../shared/errors.ts';
import { maskIdNumber } from './id-numbers.ts';
import { CRITERIA_COURSE_SLUG } from './khuyen-hoc-training.ts';

const village = alias(geoUnits, 'village');

/**
 * One registry person as an officer whose scope covers their commune sees them (admins and province officers:
 * anyone): identity with the ID number masked, commune and village, target group, every membership (ended ones
 * kept as history), the linked account, its current title and digital-skill confirmation, and Hội Khuyến học
 * membership. A read of personal data, so it is audited; a refusal is audited as a permission failure.
 */
export async function getRegistryPerson(db: Db, actor: Actor, id: string, ctx: RequestContext = {}): Promise<RegistryPerson> {
  requireRole(actor, ['officer', 'admin']);
  const [p] = await db
    .select({
      person: registryPeople,
      communeCode: geoUnits.code,
      communeName: geoUnits.name,
      villageName: village.name,
      groupCode: targetGroups.code,
      groupName: targetGroups.nameVi,
      accountName: users.fullName,
    })
    .from(registryPeople)
    .innerJoin(geoUnits, eq(geoUnits.id, registryPeople.communeId))
    .leftJoin(village, eq(village.id, registryPeople.villageId))
    .leftJoin(targetGroups, eq(targetGroups.id, registryPeople.targetGroupId))
    .leftJoin(users, eq(users.id, registryPeople.userId))
    .where(eq(registryPeople.id, id));
  if (!p) throw fieldError('not_found', '/params/id', 'no registry person has this id');
  if (!actor.roles.has('admin') && !coversCommune(actor, ['officer'], p.person.communeId)) {
    await recordAudit(
      db,
      {
        action: 'auth.permission_denied',
        outcome: 'denied',
        actorUserId: actor.userId,
        subjectType: 'registry_person',
        subjectId: id,
        details: { what: 'registry person' },
      },
      ctx,
    );
    throw new DomainError('forbidden', `this person is registered in ${p.communeName}, outside your scope`);
  }
  const person = p.person;
  const userId = person.userId;

  const memberships = await db
    .select({
      kind: registryMemberships.kind,
      id: sql<string>`coalesce(${registryMemberships.householdId}, ${registryMemberships.clanId}, ${registryMemberships.communityId}, ${registryMemberships.unitId})`,
      name: sql<string>`coalesce(${registryHouseholds.name}, ${registryClans.name}, ${registryCommunities.name}, ${registryUnits.name})`,
      role: registryMemberships.role,
      validFrom: registryMemberships.validFrom,
      validTo: registryMemberships.validTo,
    })
    .from(registryMemberships)
    .leftJoin(registryHouseholds, eq(registryHouseholds.id, registryMemberships.householdId))
    .leftJoin(registryClans, eq(registryClans.id, registryMemberships.clanId))
    .leftJoin(registryCommunities, eq(registryCommunities.id, registryMemberships.communityId))
    .leftJoin(registryUnits, eq(registryUnits.id, registryMemberships.unitId))
    .where(eq(registryMemberships.personId, person.id))
    .orderBy(sql`${registryMemberships.validTo} is not null`, asc(registryMemberships.kind));

  const [title] = userId
    ? await db
        .select({
          id: personTitleAwards.id,
          year: personTitleAwards.year,
          decisionNumber: personTitleAwards.decisionNumber,
          decisionDate: personTitleAwards.decisionDate,
        })
        .from(personTitleAwards)
        .where(and(eq(personTitleAwards.userId, userId), isNull(personTitleAwards.revokedAt)))
        .orderBy(desc(personTitleAwards.year), desc(personTitleAwards.awardedAt))
        .limit(1)
    : [];
  const [skill] = userId
    ? await db
        .select({
          id: digitalSkillConfirmations.id,
          source: digitalSkillConfirmations.source,
          confirmedAt: digitalSkillConfirmations.confirmedAt,
          ruleVersionId: digitalSkillConfirmations.ruleVersionId,
        })
        .from(digitalSkillConfirmations)
        .where(and(eq(digitalSkillConfirmations.userId, userId), isNull(digitalSkillConfirmations.revokedAt)))
        .limit(1)
    : [];
  const [kh] = await db
    .select({ branch: khuyenHocBranches.name, role: khuyenHocMembers.role, joinedYear: khuyenHocMembers.joinedYear, trainedOn: khuyenHocMembers.trainedOn })
    .from(khuyenHocMembers)
    .innerJoin(khuyenHocBranches, eq(khuyenHocBranches.id, khuyenHocMembers.branchId))
    .where(eq(khuyenHocMembers.personId, person.id));
  const [course] =
    kh && userId
      ? await db
          .select({ completedAt: courseCompletions.completedAt })
          .from(courseCompletions)
          .innerJoin(courses, eq(courses.id, courseCompletions.courseId))
          .where(and(eq(courseCompletions.userId, userId), eq(courses.slug, CRITERIA_COURSE_SLUG)))
          .orderBy(asc(courseCompletions.completedAt))
          .limit(1)
      : [];

  await recordAudit(
    db,
    {
      action: 'personal_data.read',
      outcome: 'success',
      actorUserId: actor.userId,
      subjectType: 'registry_person',
      subjectId: person.id,
      details: { what: 'registry person' },
    },
    ctx,
  );
  return {
    id: person.id,
    fullName: person.fullName,
    birthYear: person.birthYear,
    sex: person.sex,
    idNumber: maskIdNumber(person.idNumberLast4),
    phone: person.phone,
    commune: { code: p.communeCode, name: p.communeName },
    village: p.villageName,
    targetGroup: p.groupCode && p.groupName ? { code: p.groupCode, name: p.groupName } : null,
    source: person.source,
    memberships: memberships.map((m) => ({ ...m, current: m.validTo === null })),
    account:
      userId && p.accountName ? { userId, fullName: p.accountName, linkRule: person.userLinkRule, linkedAt: person.userLinkedAt?.toISOString() ?? null } : null,
    title: title ? { year: title.year, decisionNumber: title.decisionNumber, decisionDate: title.decisionDate, awardId: title.id } : null,
    digitalSkill: skill
      ? { confirmationId: skill.id, source: skill.source, confirmedAt: skill.confirmedAt.toISOString(), ruleVersion: skill.ruleVersionId }
      : null,
    khuyenHoc: kh ? { ...kh, criteriaCourseCompletedAt: course ? course.completedAt.toISOString() : null } : null,
    evidencePath: `/officer/indicators/evidence/registry/${person.id}`,
  };
}
