import { type TSchema, Type } from 'typebox';
import { CreateUserBody, ListUsersQuery, SetRolesBody, UserIdParams, UserList } from './admin.ts';
import { LoginBody, LogoutBody, Me, RefreshBody, RegisterBody, TokenPair } from './auth.ts';
import type { Role } from './common.ts';
import { ErrorBody } from './errors.ts';
import { CommuneList, Health, TargetGroupList } from './reference.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDef {
  method: Method;
  path: string;
  summary: string;
  tags: string[];
  /** 'public': no token; 'user': any signed-in user; a list: one of those roles. */
  access: 'public' | 'user' | readonly Role[];
  params?: TSchema;
  querystring?: TSchema;
  body?: TSchema;
  response: Record<number, TSchema>;
}

const NoContent = Type.Null({ description: 'no content' });
const err = ErrorBody;

/** Responses every route may give because of the edge itself (bad JSON, rate limit, crash). */
const edge = { 400: err, 429: err, 500: err } as const;
const authed = { ...edge, 401: err, 403: err } as const;

export const routes = {
  health: {
    method: 'GET',
    path: '/health',
    summary: 'Liveness and readiness: database and object store',
    tags: ['system'],
    access: 'public',
    response: { 200: Health, 503: Health, 500: err },
  },
  register: {
    method: 'POST',
    path: '/api/auth/register',
    summary: 'Create a citizen account',
    tags: ['auth'],
    access: 'public',
    body: RegisterBody,
    response: { 201: TokenPair, 404: err, 409: err, 415: err, ...edge },
  },
  login: {
    method: 'POST',
    path: '/api/auth/login',
    summary: 'Sign in with e-mail or phone and password',
    tags: ['auth'],
    access: 'public',
    body: LoginBody,
    response: { 200: TokenPair, 401: err, 415: err, ...edge },
  },
  refresh: {
    method: 'POST',
    path: '/api/auth/refresh',
    summary: 'Exchange a refresh token for a new pair (rotation)',
    tags: ['auth'],
    access: 'public',
    body: RefreshBody,
    response: { 200: TokenPair, 401: err, 415: err, ...edge },
  },
  logout: {
    method: 'POST',
    path: '/api/auth/logout',
    summary: 'Revoke the refresh token family of this session',
    tags: ['auth'],
    access: 'public',
    body: LogoutBody,
    response: { 204: NoContent, 415: err, ...edge },
  },
  me: {
    method: 'GET',
    path: '/api/me',
    summary: 'The signed-in user with roles and scopes',
    tags: ['auth'],
    access: 'user',
    response: { 200: Me, ...authed },
  },
  communes: {
    method: 'GET',
    path: '/api/geo/communes',
    summary: 'Communes and wards of the province',
    tags: ['reference'],
    access: 'public',
    response: { 200: CommuneList, ...edge },
  },
  targetGroups: {
    method: 'GET',
    path: '/api/target-groups',
    summary: 'Target groups a citizen can belong to',
    tags: ['reference'],
    access: 'public',
    response: { 200: TargetGroupList, ...edge },
  },
  adminListUsers: {
    method: 'GET',
    path: '/api/admin/users',
    summary: 'List users',
    tags: ['admin'],
    access: ['admin'],
    querystring: ListUsersQuery,
    response: { 200: UserList, ...authed },
  },
  adminCreateUser: {
    method: 'POST',
    path: '/api/admin/users',
    summary: 'Create a user with roles and scopes',
    tags: ['admin'],
    access: ['admin'],
    body: CreateUserBody,
    response: { 201: Me, 404: err, 409: err, 415: err, ...authed },
  },
  adminSetRoles: {
    method: 'PUT',
    path: '/api/admin/users/:id/roles',
    summary: 'Replace the roles and scopes of a user',
    tags: ['admin'],
    access: ['admin'],
    params: UserIdParams,
    body: SetRolesBody,
    response: { 200: Me, 404: err, 415: err, ...authed },
  },
} as const satisfies Record<string, RouteDef>;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
