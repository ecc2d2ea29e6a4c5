import { type Static, Type } from 'typebox';

export const Commune = Type.Object({
  code: Type.String(),
  name: Type.String(),
  type: Type.Union([Type.Literal('xa'), Type.Literal('phuong')]),
  typeLabel: Type.String({ description: 'xã or phường' }),
});
export type Commune = Static<typeof Commune>;
export const CommuneList = Type.Object({ province: Type.Object({ code: Type.String(), name: Type.String() }), items: Type.Array(Commune) });
export type CommuneList = Static<typeof CommuneList>;

export const TargetGroup = Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.String() });
export type TargetGroup = Static<typeof TargetGroup>;
export const TargetGroupList = Type.Object({ items: Type.Array(TargetGroup) });
export type TargetGroupList = Static<typeof TargetGroupList>;

const Check = Type.Object({ ok: Type.Boolean(), ms: Type.Number(), error: Type.Optional(Type.String()) });
export const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  checks: Type.Object({ database: Check, objectStore: Check }),
});
export type Health = Static<typeof Health>;
