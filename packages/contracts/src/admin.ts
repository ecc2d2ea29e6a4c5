import { type Static, Type } from 'typebox';
import { Me } from './auth.ts';
import { BirthYear, CommuneCode, Email, FullName, GeoCode, Password, Phone, Role, Uuid } from './common.ts';

export const RoleGrantInput = Type.Object(
  {
    role: Role,
    scopeCodes: Type.Optional(Type.Array(GeoCode, { maxItems: 200, description: 'commune codes, or the province code for all' })),
  },
  { additionalProperties: false },
);
export type RoleGrantInput = Static<typeof RoleGrantInput>;

export const CreateUserBody = Type.Object(
  {
    email: Type.Optional(Email),
    phone: Type.Optional(Phone),
    fullName: FullName,
    birthYear: Type.Optional(BirthYear),
    communeCode: Type.Optional(CommuneCode),
    targetGroupCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    password: Password,
    roles: Type.Array(RoleGrantInput, { minItems: 1, maxItems: 5 }),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const SetRolesBody = Type.Object({ roles: Type.Array(RoleGrantInput, { minItems: 1, maxItems: 5 }) }, { additionalProperties: false });
export type SetRolesBody = Static<typeof SetRolesBody>;

export const UserIdParams = Type.Object({ id: Uuid });
export type UserIdParams = Static<typeof UserIdParams>;

export const ListUsersQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100 })),
    role: Type.Optional(Role),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);
export type ListUsersQuery = Static<typeof ListUsersQuery>;

export const UserList = Type.Object({ items: Type.Array(Me), total: Type.Integer() });
export type UserList = Static<typeof UserList>;
