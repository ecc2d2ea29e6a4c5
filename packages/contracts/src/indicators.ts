import { type Static, type TSchema, Type } from 'typebox';
import { ErrorBody } from './errors.ts';

const err = ErrorBody;
const edge = { 400: err, 429: err, 500: err } as const;
const authed = { ...edge, 401: err, 403: err } as const;

const Year = Type.Integer({ minimum: 2000, maximum: 2100, description: 'the programme year, e.g. 2025' });
const CommuneCode = Type.String({ pattern: '^[0-9]{5}$', description: 'official 5-digit commune code' });
const Rate = Type.Union([Type.Number(), Type.Null()], { description: 'numerator / denominator in percent, one decimal; null when the denominator is 0' });

export const IndicatorsQuery = Type.Object({ year: Year, commune: Type.Optional(CommuneCode) }, { additionalProperties: false });
export type IndicatorsQuery = Static<typeof IndicatorsQuery>;
export const PublicIndicatorsQuery = Type.Object({ year: Year }, { additionalProperties: false });
export type PublicIndicatorsQuery = Static<typeof PublicIndicatorsQuery>;

export const IndicatorTargetView = Type.Object({
  year: Type.Integer(),
  value: Type.Number(),
  level: Type.Union([Type.Literal('province'), Type.Literal('national')]),
  source: Type.String(),
  assumption: Type.Union([Type.String(), Type.Null()]),
});

export const IndicatorCell = Type.Object({ numerator: Type.Integer(), denominator: Type.Integer(), rate: Rate });

export const IndicatorView = Type.Object({
  id: Type.String(),
  version: Type.String(),
  nameVi: Type.String(),
  nameEn: Type.String(),
  methodVi: Type.String(),
  methodEn: Type.String(),
  subject: Type.String({ description: 'person, household, clan, community or unit' }),
  base: Type.Union([Type.Literal('registered'), Type.Literal('official')]),
  headline: Type.Boolean(),
  source: Type.String(),
  assumption: Type.Union([Type.String(), Type.Null()]),
  numerator: Type.Integer(),
  denominator: Type.Integer(),
  rate: Rate,
  target: Type.Union([IndicatorTargetView, Type.Null()], { description: 'the target of the year, else the next milestone; null when none is set' }),
  byGroup: Type.Array(Type.Object({ targetGroup: Type.Union([Type.String(), Type.Null()]), ...IndicatorCell.properties })),
  byCommune: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), ...IndicatorCell.properties })),
  trend: Type.Array(Type.Integer(), { description: 'numerator at the end of each month of the year (12 values)' }),
  computedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type IndicatorView = Static<typeof IndicatorView>;

export const IndicatorScope = Type.Object({
  kind: Type.Union([Type.Literal('province'), Type.Literal('commune')]),
  communes: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
});

export const IndicatorReport = Type.Object({
  year: Type.Integer(),
  scope: IndicatorScope,
  generatedAt: Type.String({ format: 'date-time' }),
  indicators: Type.Array(IndicatorView),
});
export type IndicatorReport = Static<typeof IndicatorReport>;

export const PublicIndicatorCell = Type.Object({
  suppressed: Type.Boolean({ description: 'hidden: fewer than 5 people, or hidden so a hidden cell cannot be worked out by subtraction' }),
  numerator: Type.Union([Type.Integer(), Type.Null()]),
  denominator: Type.Union([Type.Integer(), Type.Null()]),
  rate: Rate,
});
export type PublicIndicatorCell = Static<typeof PublicIndicatorCell>;

export const PublicIndicatorReport = Type.Object({
  year: Type.Integer(),
  generatedAt: Type.String({ format: 'date-time' }),
  indicators: Type.Array(
    Type.Object({
      id: Type.String(),
      version: Type.String(),
      nameVi: Type.String(),
      nameEn: Type.String(),
      methodVi: Type.String(),
      methodEn: Type.String(),
      target: Type.Union([IndicatorTargetView, Type.Null()]),
      province: PublicIndicatorCell,
      communes: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), ...PublicIndicatorCell.properties })),
    }),
  ),
});
export type PublicIndicatorReport = Static<typeof PublicIndicatorReport>;

export const OfficialCountsBody = Type.Object(
  {
    year: Year,
    countKey: Type.String({ minLength: 1, maxLength: 60, description: 'the officialCountKey of an indicator, e.g. adults' }),
    fileName: Type.Optional(Type.String({ maxLength: 200 })),
    csv: Type.String({ minLength: 1, maxLength: 2_000_000, description: 'CSV with the columns commune_code, target_group (code or empty), count' }),
  },
  { additionalProperties: false },
);
export type OfficialCountsBody = Static<typeof OfficialCountsBody>;
export const OfficialCountsResult = Type.Object({ rows: Type.Integer(), communes: Type.Integer() });

export const IndicatorPeopleQuery = Type.Object(
  { year: Year, indicator: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 80 }), commune: CommuneCode },
  { additionalProperties: false },
);
export type IndicatorPeopleQuery = Static<typeof IndicatorPeopleQuery>;
export const IndicatorPeople = Type.Object({
  indicator: Type.Object({ id: Type.String(), version: Type.String(), nameVi: Type.String(), nameEn: Type.String(), subject: Type.String() }),
  year: Type.Integer(),
  commune: Type.Object({ code: Type.String(), name: Type.String() }),
  subjectKind: Type.Union([Type.Literal('registry'), Type.Literal('account'), Type.Literal('collective')], {
    description: 'what the ids are: registry people, accounts or collectives',
  }),
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      birthYear: Type.Union([Type.Integer(), Type.Null()]),
      targetGroup: Type.Union([Type.String(), Type.Null()]),
      counted: Type.Boolean({ description: 'in the numerator (else only in the denominator)' }),
      since: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    }),
  ),
});
export type IndicatorPeople = Static<typeof IndicatorPeople>;

export const PersonEvidenceParams = Type.Object({
  kind: Type.Union([Type.Literal('registry'), Type.Literal('account')]),
  id: Type.String({ format: 'uuid' }),
});
export type PersonEvidenceParams = Static<typeof PersonEvidenceParams>;
const Iso = Type.String({ format: 'date-time' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const PersonEvidence = Type.Object({
  person: Type.Object({
    name: Type.String(),
    birthYear: Nullable(Type.Integer()),
    commune: Type.Object({ code: Type.String(), name: Type.String() }),
    hasAccount: Type.Boolean(),
  }),
  completions: Type.Array(Type.Object({ id: Type.String(), course: Type.String(), slug: Type.String(), completedAt: Iso })),
  credentials: Type.Array(Type.Object({ id: Type.String(), course: Type.String(), issuedAt: Iso, revokedAt: Nullable(Iso) })),
  khuyenHoc: Nullable(Type.Object({ role: Type.String(), branch: Type.String(), trainedOn: Nullable(Type.String()) })),
  titles: Type.Array(
    Type.Object({
      id: Type.String(),
      year: Type.Integer(),
      title: Type.String(),
      classification: Type.String(),
      score: Type.Integer(),
      decisionNumber: Type.String(),
      decisionDate: Type.String(),
      criteriaVersion: Type.String(),
      awardedAt: Iso,
      revokedAt: Nullable(Iso),
      revocationReason: Nullable(Type.String()),
    }),
  ),
  confirmations: Type.Array(
    Type.Object({
      id: Type.String(),
      source: Type.String(),
      sourceRef: Nullable(Type.String()),
      ruleVersion: Type.String(),
      confirmedAt: Iso,
      revokedAt: Nullable(Iso),
      evidence: Type.Array(Type.Object({ kind: Type.String(), id: Type.String(), label: Type.String() })),
    }),
  ),
  memberships: Type.Array(Type.Object({ kind: Type.String(), name: Type.String(), current: Type.Boolean() })),
});
export type PersonEvidence = Static<typeof PersonEvidence>;

export const IndicatorExportBody = Type.Object(
  { year: Year, commune: Type.Optional(CommuneCode), format: Type.Union([Type.Literal('xlsx'), Type.Literal('csv')]) },
  { additionalProperties: false },
);
export type IndicatorExportBody = Static<typeof IndicatorExportBody>;
export const IndicatorExportParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export type IndicatorExportParams = Static<typeof IndicatorExportParams>;
export const IndicatorExportQueued = Type.Object({ id: Type.String() });
export const IndicatorExportState = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  progress: Type.Integer({ minimum: 0, maximum: 100 }),
  format: Type.Union([Type.Literal('xlsx'), Type.Literal('csv')]),
  url: Type.Union([Type.String(), Type.Null()], { description: 'signed download link, once done (valid 15 minutes)' }),
  error: Type.Union([Type.String(), Type.Null()]),
});
export type IndicatorExportState = Static<typeof IndicatorExportState>;

export const indicatorRoutes = {
  requestIndicatorExport: {
    method: 'POST',
    path: '/api/indicators/exports',
    summary: 'Queue the yearly report (XLSX or CSV) for the officer’s scope or one commune; a background job writes it',
    tags: ['indicators'],
    access: ['officer', 'admin'],
    body: IndicatorExportBody,
    response: { 202: IndicatorExportQueued, 404: err, 415: err, ...authed },
  },
  indicatorExport: {
    method: 'GET',
    path: '/api/indicators/exports/:id',
    summary: 'Progress of a report export, and its download link when done',
    tags: ['indicators'],
    access: ['officer', 'admin'],
    params: IndicatorExportParams,
    response: { 200: IndicatorExportState, 404: err, ...authed },
  },
  indicatorPeople: {
    method: 'GET',
    path: '/api/indicators/people',
    summary: 'The people (or collectives) behind one indicator number of one commune; audited',
    tags: ['indicators'],
    access: ['officer', 'admin'],
    querystring: IndicatorPeopleQuery,
    response: { 200: IndicatorPeople, 404: err, ...authed },
  },
  personEvidence: {
    method: 'GET',
    path: '/api/indicators/evidence/:kind/:id',
    summary: 'One person’s evidence: completions, training, title awards, digital-skill confirmations, memberships; audited',
    tags: ['indicators'],
    access: ['officer', 'admin'],
    params: PersonEvidenceParams,
    response: { 200: PersonEvidence, 404: err, ...authed },
  },
  indicators: {
    method: 'GET',
    path: '/api/indicators',
    summary: 'Every indicator of the year for the officer’s scope (or one commune), with numerator, denominator, rate, target and definition version',
    tags: ['indicators'],
    access: ['officer', 'admin'],
    querystring: IndicatorsQuery,
    response: { 200: IndicatorReport, 404: err, ...authed },
  },
  publicIndicators: {
    method: 'GET',
    path: '/api/public/indicators',
    summary: 'Headline rates of the province and of each commune, with small cells suppressed',
    tags: ['indicators'],
    access: 'public',
    querystring: PublicIndicatorsQuery,
    response: { 200: PublicIndicatorReport, 404: err, ...edge },
  },
  importOfficialCounts: {
    method: 'POST',
    path: '/api/indicators/official-counts',
    summary: 'Import official counts (denominators) per commune and group for a year; all rows or none',
    tags: ['indicators'],
    access: ['officer', 'admin'],
    body: OfficialCountsBody,
    response: { 200: OfficialCountsResult, 415: err, ...authed },
  },
} as const;
