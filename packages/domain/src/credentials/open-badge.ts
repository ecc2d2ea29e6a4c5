import { createHash } from 'node:crypto';
import { type CredentialSettings, credentialUrl, issuerId, OB3_CONTEXT } from './credential-settings.ts';

export interface CompetenceAlignment {
  code: string;
  framework: string;
  nameVi: string;
  nameEn: string;
}

export interface OpenBadgeInput {
  credentialId: string;
  issuedAt: Date;
  learner: { userId: string; fullName: string };
  identitySalt: string;
  course: { slug: string; title: string; summary: string; versionId: string; versionNumber: number };
  competences: CompetenceAlignment[];
}

/** OB 2/3 hashed identity: `sha256$` + hex of value + salt. */
export function hashedIdentity(value: string, salt: string): string {
  return `sha256$${createHash('sha256')
    .update(value + salt)
    .digest('hex')}`;
}

/**
 * An OpenBadgeCredential (OB 3.0 on the VC Data Model 2.0): the achievement is the course version, aligned
 * to the competence codes of content/frameworks. The learner's name is shown (a certificate names its
 * holder); their account only as a salted hash, their phone and e-mail not at all.
 */
export function buildOpenBadge(s: CredentialSettings, input: OpenBadgeInput): Record<string, unknown> {
  const identifiers: Array<Record<string, unknown>> = [{ type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: input.learner.fullName }];
  // The account id, not the phone or e-mail: a phone number hashed even with a published salt is found by
  // trying the billion numbers there are; a random UUID is not.
  identifiers.push({
    type: 'IdentityObject',
    identityType: 'identifier',
    hashed: true,
    identityHash: hashedIdentity(input.learner.userId, input.identitySalt),
    salt: input.identitySalt,
  });
  const courseUrl = `${s.publicUrl}/courses/${input.course.slug}`;
  return {
    '@context': OB3_CONTEXT,
    id: credentialUrl(s, input.credentialId),
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: issuerId(s), type: ['Profile'], name: s.issuerName, url: s.publicUrl },
    validFrom: input.issuedAt.toISOString(),
    name: input.course.title,
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: identifiers,
      achievement: {
        id: `${courseUrl}#version-${input.course.versionNumber}`,
        type: ['Achievement'],
        achievementType: 'Course',
        name: input.course.title,
        description: input.course.summary || input.course.title,
        criteria: {
          id: courseUrl,
          narrative: 'Hoàn thành khóa học theo quy tắc hoàn thành của phiên bản này. / Completed the course under the completion rule of this version.',
        },
        version: String(input.course.versionNumber),
        inLanguage: 'vi',
        alignment: input.competences.map((c) => ({
          type: ['Alignment'],
          targetCode: c.code,
          targetName: c.nameVi,
          targetDescription: c.nameEn,
          targetFramework: c.framework,
          targetUrl: `${s.publicUrl}/courses?competence=${encodeURIComponent(c.code)}`,
          targetType: 'ext:Competence',
        })),
      },
    },
  };
}
