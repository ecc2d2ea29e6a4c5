import { type Static, Type } from 'typebox';
import { Uuid } from './common.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const Year = Type.Integer({ minimum: 2000, maximum: 2100 });
const IsoDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD' });

export const AssessmentStatus = Type.Union([
  Type.Literal('draft'),
  Type.Literal('submitted'),
  Type.Literal('returned'),
  Type.Literal('confirmed'),
  Type.Literal('approved'),
]);
export type AssessmentStatus = Static<typeof AssessmentStatus>;

export const EvidenceLinkKind = Type.Union([
  Type.Literal('course_completion'),
  Type.Literal('digital_skill_confirmation'),
  Type.Literal('credential'),
  Type.Literal('attestation'),
]);

/** A record on the platform that backs a criterion; `href` is a page of this site that shows it. */
export const EvidenceLink = Type.Object({
  kind: EvidenceLinkKind,
  id: Type.String(),
  label: Type.String(),
  href: Nullable(Type.String()),
  at: Nullable(DateTime),
});
export type EvidenceLink = Static<typeof EvidenceLink>;

export const AttachmentInfo = Type.Object({
  id: Uuid,
  fileName: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
});
export type AttachmentInfo = Static<typeof AttachmentInfo>;

export const AssessmentItem = Type.Object({
  basis: Type.Union([Type.Literal('declared'), Type.Literal('evidence')]),
  points: Type.Integer(),
  evidence: Type.Array(EvidenceLink),
  attachments: Type.Array(AttachmentInfo),
  comment: Nullable(Type.String()),
});
export type AssessmentItem = Static<typeof AssessmentItem>;

export const AssessmentCriterion = Type.Object({
  id: Type.String(),
  title: Type.String(),
  hint: Nullable(Type.String()),
  points: Type.Integer({ description: 'the maximum' }),
  evidenceKinds: Type.Array(Type.String()),
  /** none | optional | required: whether a declaration may carry photos or documents. */
  attachment: Type.String(),
  /** Evidence on the platform satisfies it: the citizen cannot change it. */
  prefilled: Type.Boolean(),
  item: Nullable(AssessmentItem),
  /** The branch reviewer attested it during review (criteria whose evidence includes a branch attestation). */
  attestation: Nullable(Type.Object({ by: Nullable(Type.String()), at: DateTime, comment: Nullable(Type.String()) })),
});
export type AssessmentCriterion = Static<typeof AssessmentCriterion>;

export const ScoreView = Type.Object({
  score: Type.Integer(),
  maxScore: Type.Integer(),
  threshold: Type.Integer(),
  pass: Type.Boolean(),
  classification: Type.Object({ code: Type.String(), name: Type.String() }),
  belowMinimum: Type.Array(Type.String()),
});

export const ReviewStep = Type.Object({
  action: Type.String(),
  actorName: Nullable(Type.String()),
  comment: Nullable(Type.String()),
  decisionNumber: Nullable(Type.String()),
  decisionDate: Nullable(Type.String()),
  at: DateTime,
});

export const TitleAward = Type.Object({
  id: Uuid,
  year: Type.Integer(),
  title: Type.String(),
  classification: Type.String(),
  score: Type.Integer(),
  decisionNumber: Type.String(),
  decisionDate: Type.String(),
  criteriaSetVersionId: Type.String(),
  awardedAt: DateTime,
  revokedAt: Nullable(DateTime),
  revocationReason: Nullable(Type.String()),
  revocationDecisionNumber: Nullable(Type.String()),
  /** Its entry in the evidence hash chain: anyone holding a later anchor can check it. */
  evidence: Nullable(Type.Object({ seq: Type.Integer(), entryHash: Type.String() })),
});
export type TitleAward = Static<typeof TitleAward>;

export const SelfAssessmentView = Type.Object({
  id: Uuid,
  year: Type.Integer(),
  status: AssessmentStatus,
  editable: Type.Boolean(),
  disadvantagedArea: Type.Boolean(),
  person: Type.Object({ id: Uuid, fullName: Type.String(), commune: Nullable(Type.String()), targetGroup: Nullable(Type.String()) }),
  criteriaSet: Type.Object({ id: Type.String(), title: Type.String(), version: Type.String(), source: Type.String(), status: Type.String() }),
  pass: Type.Object({ points: Type.Integer(), disadvantagedAreaPoints: Type.Integer(), minCriterionPoints: Type.Integer() }),
  classifications: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), minPoints: Type.Integer() })),
  failClassification: Type.Object({ code: Type.String(), name: Type.String() }),
  groups: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), criteria: Type.Array(AssessmentCriterion) })),
  result: ScoreView,
  history: Type.Array(ReviewStep),
  submittedAt: Nullable(DateTime),
  approvedAt: Nullable(DateTime),
  /** The title awarded on this assessment (revoked or not), once approved. */
  award: Nullable(TitleAward),
});
export type SelfAssessmentView = Static<typeof SelfAssessmentView>;

export const OpenAssessmentBody = Type.Object({ year: Year }, { additionalProperties: false });
export type OpenAssessmentBody = Static<typeof OpenAssessmentBody>;
export const AssessmentIdParams = Type.Object({ id: Uuid });
export type AssessmentIdParams = Static<typeof AssessmentIdParams>;

export const SaveItemsBody = Type.Object(
  {
    disadvantagedArea: Type.Optional(Type.Boolean()),
    items: Type.Array(
      Type.Object(
        {
          criterionId: Type.String({ minLength: 1, maxLength: 40 }),
          points: Type.Integer({ minimum: 0, maximum: 1000 }),
          comment: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
          attachmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 10 })),
          /** Records on the platform the citizen points to (their own only). */
          evidence: Type.Optional(
            Type.Array(
              Type.Object(
                { kind: Type.Union([Type.Literal('course_completion'), Type.Literal('digital_skill_confirmation')]), id: Uuid },
                { additionalProperties: false },
              ),
              { maxItems: 20 },
            ),
          ),
        },
        { additionalProperties: false },
      ),
      { maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);
export type SaveItemsBody = Static<typeof SaveItemsBody>;

export const AttachmentUploadQuery = Type.Object({ fileName: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export type AttachmentUploadQuery = Static<typeof AttachmentUploadQuery>;
export const AttachmentIdParams = Type.Object({ id: Uuid });
export type AttachmentIdParams = Static<typeof AttachmentIdParams>;
export const AttachmentLink = Type.Object({ url: Type.String(), expiresAt: DateTime });

export const ReviewQueueQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('submitted'), Type.Literal('confirmed'), Type.Literal('approved'), Type.Literal('returned')])),
    year: Type.Optional(Year),
  },
  { additionalProperties: false },
);
export type ReviewQueueQuery = Static<typeof ReviewQueueQuery>;
export const ReviewQueueItem = Type.Object({
  id: Uuid,
  year: Type.Integer(),
  status: AssessmentStatus,
  fullName: Type.String(),
  commune: Nullable(Type.String()),
  targetGroup: Nullable(Type.String()),
  score: Type.Integer(),
  predictedPass: Type.Boolean(),
  submittedAt: Nullable(DateTime),
});
export type ReviewQueueItem = Static<typeof ReviewQueueItem>;
export const ReviewQueue = Type.Object({ items: Type.Array(ReviewQueueItem) });
export type ReviewQueue = Static<typeof ReviewQueue>;

export const ReviewBody = Type.Object(
  {
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
    /** Criteria the branch attests while confirming (only those whose evidence includes `attestation`): each gets its full points. */
    attestations: Type.Optional(
      Type.Array(
        Type.Object(
          { criterionId: Type.String({ minLength: 1, maxLength: 40 }), comment: Type.Optional(Type.String({ maxLength: 1000 })) },
          { additionalProperties: false },
        ),
        { maxItems: 100 },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ReviewBody = Static<typeof ReviewBody>;
export const ReturnBody = Type.Object({ comment: Type.String({ minLength: 3, maxLength: 2000 }) }, { additionalProperties: false });
export type ReturnBody = Static<typeof ReturnBody>;

export const ApproveBody = Type.Object(
  {
    assessmentIds: Type.Array(Uuid, { minItems: 1, maxItems: 500, uniqueItems: true }),
    decisionNumber: Type.String({ minLength: 1, maxLength: 60 }),
    decisionDate: IsoDate,
  },
  { additionalProperties: false },
);
export type ApproveBody = Static<typeof ApproveBody>;

export const ApproveResult = Type.Object({ awards: Type.Array(TitleAward) });
export type ApproveResult = Static<typeof ApproveResult>;

export const DigitalSkillView = Type.Object({
  id: Uuid,
  ruleVersionId: Type.String(),
  source: Type.String(),
  sourceRef: Nullable(Type.String()),
  confirmedAt: DateTime,
});
export type DigitalSkillView = Static<typeof DigitalSkillView>;
export const MyTitles = Type.Object({ awards: Type.Array(TitleAward), digitalSkill: Nullable(DigitalSkillView) });
export type MyTitles = Static<typeof MyTitles>;

export const ConfirmDigitalSkillBody = Type.Object(
  {
    userId: Uuid,
    note: Type.String({ minLength: 3, maxLength: 500, description: 'what the officer checked (e.g. certificate number)' }),
    attachmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 10 })),
  },
  { additionalProperties: false },
);
export type ConfirmDigitalSkillBody = Static<typeof ConfirmDigitalSkillBody>;

export const Notification = Type.Object({
  id: Uuid,
  kind: Type.String(),
  params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()])),
  readAt: Nullable(DateTime),
  createdAt: DateTime,
});
export type Notification = Static<typeof Notification>;
export const NotificationList = Type.Object({ items: Type.Array(Notification), unread: Type.Integer() });
export type NotificationList = Static<typeof NotificationList>;
export const MarkReadBody = Type.Object({ ids: Type.Optional(Type.Array(Uuid, { maxItems: 200 })) }, { additionalProperties: false });
export type MarkReadBody = Static<typeof MarkReadBody>;

export const DigitalSkillImportBody = Type.Object(
  {
    /** CSV with a header row: phone, email and/or idNumber (CCCD, 12 digits; also `cccd`, `so_cccd`) to match, optional reference and confirmedOn (YYYY-MM-DD). */
    csv: Type.String({ minLength: 1, maxLength: 400_000 }),
    sourceName: Type.String({ minLength: 2, maxLength: 120, description: 'where the list comes from, e.g. "Bình dân học vụ số, 11/2026"' }),
    dryRun: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type DigitalSkillImportBody = Static<typeof DigitalSkillImportBody>;
export const ImportProblem = Type.Object({ line: Type.Integer(), column: Type.String(), reason: Type.String() });
export type ImportProblem = Static<typeof ImportProblem>;
export const DigitalSkillImportReport = Type.Object({
  dryRun: Type.Boolean(),
  rows: Type.Integer(),
  matched: Type.Integer(),
  created: Type.Integer(),
  alreadyConfirmed: Type.Integer(),
  /** Matched rows by the key that found the person (a row matched by its phone and its ID number counts under both). */
  matchedBy: Type.Object({ phone: Type.Integer(), email: Type.Integer(), idNumber: Type.Integer() }),
  /** Rows whose keys match nobody on the platform. */
  unmatched: Type.Integer(),
  /** Rows whose keys point at different people (e.g. the phone at one, the ID number at another): nothing is written for them. */
  ambiguous: Type.Integer(),
  /** Every matched row with the keys that matched it. */
  matches: Type.Array(
    Type.Object({ line: Type.Integer(), by: Type.Array(Type.Union([Type.Literal('phone'), Type.Literal('email'), Type.Literal('idNumber')])) }),
  ),
  /** Rows not imported: unmatched, ambiguous, outside the officer's communes, repeated, or malformed. */
  problems: Type.Array(ImportProblem),
});
export type DigitalSkillImportReport = Static<typeof DigitalSkillImportReport>;
