import { type Static, Type } from 'typebox';
import { BirthYear, CommuneCode, Email, FullName, GeoRef, Password, Phone, Role, TargetGroupRef, Uuid } from './common.ts';

export const RegisterBody = Type.Object(
  {
    email: Type.Optional(Email),
    phone: Type.Optional(Phone),
    fullName: FullName,
    birthYear: BirthYear,
    communeCode: CommuneCode,
    targetGroupCode: Type.String({ minLength: 1, maxLength: 64 }),
    password: Password,
  },
  { additionalProperties: false },
);
export type RegisterBody = Static<typeof RegisterBody>;

export const LoginBody = Type.Object(
  {
    login: Type.String({ minLength: 3, maxLength: 254, description: 'e-mail or phone number' }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const RefreshBody = Type.Object({ refreshToken: Type.String({ minLength: 20, maxLength: 200 }) }, { additionalProperties: false });
export type RefreshBody = Static<typeof RefreshBody>;

export const RoleGrant = Type.Object({
  role: Role,
  scope: Type.Array(GeoRef, { description: 'geographic units the role covers; a province covers all its communes' }),
});
export type RoleGrant = Static<typeof RoleGrant>;

export const Me = Type.Object({
  id: Uuid,
  fullName: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  birthYear: Type.Union([Type.Integer(), Type.Null()]),
  commune: Type.Union([GeoRef, Type.Null()]),
  targetGroup: Type.Union([TargetGroupRef, Type.Null()]),
  roles: Type.Array(RoleGrant),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Me = Static<typeof Me>;

export const TokenPair = Type.Object({
  tokenType: Type.Literal('Bearer'),
  accessToken: Type.String(),
  expiresIn: Type.Integer({ description: 'seconds until the access token expires' }),
  refreshToken: Type.String(),
  refreshExpiresIn: Type.Integer(),
  user: Me,
});
export type TokenPair = Static<typeof TokenPair>;

export const LogoutBody = Type.Object({ refreshToken: Type.Optional(Type.String({ minLength: 20, maxLength: 200 })) }, { additionalProperties: false });
export type LogoutBody = Static<typeof LogoutBody>;
