import { type Static, Type } from 'typebox';
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

export const indicatorRoutes = {
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
