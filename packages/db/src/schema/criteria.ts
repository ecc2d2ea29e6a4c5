import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.ts';
import { geoUnits } from './geo.ts';
import { targetGroups } from './target-groups.ts';
import { users } from './users.ts';

/** `criteria_set`: a "Công dân học tập" criteria set of one target group; `digital_skill_rule`: the "có kỹ năng số" rule. */
export const criteriaSetKind = pgEnum('criteria_set_kind', ['criteria_set', 'digital_skill_rule']);
export const criteriaSetStatus = pgEnum('criteria_set_status', ['active', 'superseded']);

/**
 * One published version of a criteria set (or of the digital-skill rule), loaded from content/criteria.
 * The definition is frozen: a trigger rejects any change except marking it superseded, so a decision that
 * used a version can always be re-read as it was. Id: `<code>@<version>`, e.g. `cdht-nong-dan@2025.1`.
 */
export const criteriaSetVersions = pgTable(
  'criteria_set_versions',
  {
    id: text().primaryKey(),
    code: text().notNull(),
    version: text().notNull(),
    kind: criteriaSetKind().notNull(),
    /** Null for the digital-skill rule, which applies to everyone. */
    targetGroupId: uuid().references(() => targetGroups.id),
    yearFrom: integer().notNull(),
    yearTo: integer().notNull(),
    status: criteriaSetStatus().notNull().default('active'),
    supersededBy: text().references((): AnyPgColumn => criteriaSetVersions.id),
    supersededAt: timestamp({ withTimezone: true }),
    /** sha256 of the canonical JSON definition. */
    contentHash: text().notNull(),
    definition: jsonb().$type<Record<string, unknown>>().notNull(),
    /** The legal source (e.g. "QĐ 244/QĐ-KHVN, 28/7/2022"). */
    source: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex().on(t.code, t.version),
    index().on(t.kind, t.targetGroupId, t.status),
    check('criteria_set_versions_years_check', sql`${t.yearFrom} <= ${t.yearTo}`),
  ],
);

export const selfAssessmentStatus = pgEnum('self_assessment_status', ['draft', 'submitted', 'returned', 'confirmed', 'approved']);

/**
 * A citizen's yearly "Công dân học tập" self-assessment. A returned one is closed and kept; the citizen's next
 * edit starts a new draft, so at most one non-returned assessment exists per person and year.
 * Commune and target group are copied from the user when it is created, for scope queries.
 */
export const selfAssessments = pgTable(
  'self_assessments',
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    year: integer().notNull(),
    criteriaSetVersionId: text()
      .notNull()
      .references(() => criteriaSetVersions.id),
    communeId: uuid().references(() => geoUnits.id),
    targetGroupId: uuid().references(() => targetGroups.id),
    /** Remote, ethnic-minority or especially disadvantaged area: the lower pass threshold applies. */
    disadvantagedArea: boolean().notNull().default(false),
    status: selfAssessmentStatus().notNull().default('draft'),
    score: integer().notNull().default(0),
    /** Predicted by the scoring function from the current items. */
    predictedPass: boolean().notNull().default(false),
    /** Classification level code from the set's definition (e.g. `dat`), null when not passing. */
    classification: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    submittedAt: timestamp({ withTimezone: true }),
    confirmedAt: timestamp({ withTimezone: true }),
    returnedAt: timestamp({ withTimezone: true }),
    approvedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('self_assessments_user_year_open_key').on(t.userId, t.year).where(sql`${t.status} <> 'returned'`),
    index().on(t.communeId, t.status, t.year),
    index().on(t.status, t.year),
  ],
);

/** A link to a record on the platform that backs a criterion (shown to the citizen and the reviewer). */
export interface AssessmentEvidenceLink {
  kind: 'course_completion' | 'digital_skill_confirmation' | 'credential' | 'attestation';
  id: string;
  label: string;
  /** A page of the site that shows the record. */
  href?: string | null;
  /** When the record was made (ISO). */
  at?: string | null;
}

/** One criterion of an assessment: either backed by evidence on the platform or declared by the citizen. */
export const selfAssessmentItems = pgTable(
  'self_assessment_items',
  {
    assessmentId: uuid()
      .notNull()
      .references(() => selfAssessments.id, { onDelete: 'cascade' }),
    criterionId: text().notNull(),
    basis: text().notNull(),
    points: integer().notNull(),
    evidence: jsonb().$type<AssessmentEvidenceLink[]>().notNull().default([]),
    /** Ids of assessment_attachments rows owned by the same user. */
    attachmentIds: uuid().array().notNull().default(sql`'{}'::uuid[]`),
    comment: text(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.assessmentId, t.criterionId] }),
    check('self_assessment_items_basis_check', sql`${t.basis} in ('declared', 'evidence')`),
    check('self_assessment_items_points_check', sql`${t.points} >= 0`),
  ],
);

/**
 * A criterion whose evidence includes a branch attestation (`kind: attestation, by: branch`), attested by the
 * branch reviewer while reviewing the assessment: who, when and what they said. It gives the criterion its
 * full points; one per assessment and criterion.
 */
export const assessmentAttestations = pgTable(
  'assessment_attestations',
  {
    id: id(),
    assessmentId: uuid()
      .notNull()
      .references(() => selfAssessments.id, { onDelete: 'cascade' }),
    criterionId: text().notNull(),
    attestedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    comment: text(),
    attestedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('assessment_attestations_criterion_key').on(t.assessmentId, t.criterionId)],
);

/** A photo or document a citizen attached to a declared criterion; checked by magic bytes on upload. */
export const assessmentAttachments = pgTable(
  'assessment_attachments',
  {
    id: id(),
    ownerId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    objectKey: text().notNull().unique(),
    fileName: text().notNull(),
    contentType: text().notNull(),
    size: integer().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.ownerId)],
);

export const reviewAction = pgEnum('review_action', ['submit', 'confirm', 'return', 'approve']);

/** Append-only history of an assessment (a trigger rejects UPDATE and DELETE). */
export const assessmentReviewSteps = pgTable(
  'assessment_review_steps',
  {
    id: id(),
    assessmentId: uuid()
      .notNull()
      .references(() => selfAssessments.id, { onDelete: 'cascade' }),
    actorId: uuid().references(() => users.id, { onDelete: 'set null' }),
    action: reviewAction().notNull(),
    comment: text(),
    decisionNumber: text(),
    decisionDate: date({ mode: 'string' }),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.assessmentId, t.createdAt)],
);

/**
 * A person's title ("Công dân học tập", `cong-dan-hoc-tap`) for a year, from an approved assessment.
 * Never deleted (a trigger rejects DELETE); revocation sets revokedAt with a reason.
 * Commune and target group are copied at approval so rollups group without joins.
 */
export const personTitleAwards = pgTable(
  'person_title_awards',
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    year: integer().notNull(),
    title: text().notNull().default('cong-dan-hoc-tap'),
    classification: text().notNull(),
    score: integer().notNull(),
    assessmentId: uuid().references(() => selfAssessments.id),
    criteriaSetVersionId: text()
      .notNull()
      .references(() => criteriaSetVersions.id),
    communeId: uuid()
      .notNull()
      .references(() => geoUnits.id),
    targetGroupId: uuid().references(() => targetGroups.id),
    decisionNumber: text().notNull(),
    decisionDate: date({ mode: 'string' }).notNull(),
    approvedBy: uuid().references(() => users.id),
    awardedAt: createdAt(),
    revokedAt: timestamp({ withTimezone: true }),
    revocationReason: text(),
    revokedBy: uuid().references(() => users.id),
    /** The commune's decision that revoked the title. */
    revocationDecisionNumber: text(),
    revocationDecisionDate: date({ mode: 'string' }),
  },
  (t) => [
    uniqueIndex('person_title_awards_live_key').on(t.userId, t.year, t.title).where(sql`${t.revokedAt} is null`),
    index().on(t.communeId, t.year, t.targetGroupId),
    index().on(t.userId),
  ],
);

export const digitalSkillSource = pgEnum('digital_skill_source', ['automatic', 'import', 'officer']);

/**
 * "Có kỹ năng số": a person meets the basic digital-skills rule. Records which rule version held and where the
 * confirmation came from (automatic from course completions, an import, or an officer). At most one live
 * (not revoked) confirmation per person; never deleted.
 */
export const digitalSkillConfirmations = pgTable(
  'digital_skill_confirmations',
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    ruleVersionId: text()
      .notNull()
      .references(() => criteriaSetVersions.id),
    source: digitalSkillSource().notNull(),
    /** Import batch and row, or the officer's note; for `automatic`, the completion that made the rule hold. */
    sourceRef: text(),
    evidence: jsonb().$type<AssessmentEvidenceLink[]>().notNull().default([]),
    communeId: uuid().references(() => geoUnits.id),
    targetGroupId: uuid().references(() => targetGroups.id),
    confirmedBy: uuid().references(() => users.id),
    confirmedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp({ withTimezone: true }),
    revocationReason: text(),
  },
  (t) => [
    uniqueIndex('digital_skill_confirmations_live_key').on(t.userId).where(sql`${t.revokedAt} is null`),
    index().on(t.communeId, t.confirmedAt, t.targetGroupId),
  ],
);

/** In-app notifications; `kind` picks the message template, `params` fills it. */
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text().notNull(),
    params: jsonb().$type<Record<string, string | number | null>>().notNull().default({}),
    readAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.userId, t.createdAt)],
);

export type CriteriaSetVersionRow = typeof criteriaSetVersions.$inferSelect;
export type SelfAssessmentRow = typeof selfAssessments.$inferSelect;
export type SelfAssessmentItemRow = typeof selfAssessmentItems.$inferSelect;
export type AssessmentAttachmentRow = typeof assessmentAttachments.$inferSelect;
export type AssessmentReviewStepRow = typeof assessmentReviewSteps.$inferSelect;
export type PersonTitleAwardRow = typeof personTitleAwards.$inferSelect;
export type DigitalSkillConfirmationRow = typeof digitalSkillConfirmations.$inferSelect;
export type AssessmentAttestationRow = typeof assessmentAttestations.$inferSelect;
export type NotificationRow = typeof notifications.$inferSelect;
