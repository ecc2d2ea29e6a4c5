import { type Static, Type } from 'typebox';

export const Uuid = Type.String({ format: 'uuid' });
export const CommuneCode = Type.String({ pattern: '^[0-9]{5}$', description: 'official 5-digit commune/ward code' });
export const GeoCode = Type.String({ pattern: '^[0-9]{2,5}$', description: 'official code of a province (2 digits) or commune/ward (5 digits)' });
export const Email = Type.String({ format: 'email', maxLength: 254 });
/** Vietnamese mobile numbers, written 0xxxxxxxxx or +84xxxxxxxxx; stored as +84… */
export const Phone = Type.String({ pattern: '^(0|\\+84)[35789][0-9]{8}$', description: 'Vietnamese mobile number' });
export const Password = Type.String({ minLength: 8, maxLength: 128 });
export const FullName = Type.String({ minLength: 2, maxLength: 100 });
export const BirthYear = Type.Integer({ minimum: 1900, maximum: 2100 });

export const roles = ['citizen', 'trainer', 'branch', 'officer', 'admin'] as const;
export const Role = Type.Union([Type.Literal('citizen'), Type.Literal('trainer'), Type.Literal('branch'), Type.Literal('officer'), Type.Literal('admin')]);
export type Role = (typeof roles)[number];
/** Roles that only make sense with a geographic scope. */
export const scopedRoles: readonly Role[] = ['branch', 'officer'];

export const GeoRef = Type.Object({
  code: Type.String(),
  name: Type.String(),
  type: Type.String(),
});
export type GeoRef = Static<typeof GeoRef>;

export const TargetGroupRef = Type.Object({ code: Type.String(), name: Type.String() });
export type TargetGroupRef = Static<typeof TargetGroupRef>;
