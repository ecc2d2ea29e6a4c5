import { type TSchema, Type } from 'typebox';
import { CreateUserBody, ListUsersQuery, SetRolesBody, UserIdParams, UserList } from './admin.ts';
import { LoginBody, LogoutBody, Me, RefreshBody, RegisterBody, TokenPair } from './auth.ts';
import type { Role } from './common.ts';
import { ErrorBody } from './errors.ts';
import {
  CreateUploadBody,
  MediaAsset,
  MediaAssetList,
  MediaIdParams,
  ObjectParams,
  Playback,
  Playlist,
  RawBytes,
  SetPublishedBody,
  SignedQuery,
  UploadPartInfo,
  UploadPartParams,
  UploadSession,
  UploadSessionParams,
  VariantParams,
} from './media.ts';
import { CommuneList, Health, TargetGroupList } from './reference.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDef {
  method: Method;
  path: string;
  summary: string;
  tags: string[];
  /** 'public': no token; 'user': any signed-in user; a list: one of those roles. */
  access: 'public' | 'user' | readonly Role[];
  /** 'stream': the body is raw bytes handed to the handler as a stream (not parsed, not validated by schema). */
  bodyKind?: 'json' | 'stream';
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
  mediaCreateUpload: {
    method: 'POST',
    path: '/api/media/uploads',
    summary: 'Start a resumable upload of a video, audio or captions file (413 at once when the declared size is over the limit)',
    tags: ['media'],
    access: ['trainer', 'admin'],
    body: CreateUploadBody,
    response: { 201: UploadSession, 404: err, 413: err, 415: err, ...authed },
  },
  mediaUploadPart: {
    method: 'PUT',
    path: '/api/media/uploads/:sessionId/parts/:partNumber',
    summary: 'Send one part as application/octet-stream; sending a part again replaces it',
    tags: ['media'],
    access: ['trainer', 'admin'],
    params: UploadPartParams,
    body: RawBytes,
    bodyKind: 'stream',
    response: { 200: UploadPartInfo, 404: err, 409: err, 413: err, 415: err, ...authed },
  },
  mediaGetUpload: {
    method: 'GET',
    path: '/api/media/uploads/:sessionId',
    summary: 'An upload and the parts received so far: a dropped upload resumes from nextPart',
    tags: ['media'],
    access: ['trainer', 'admin'],
    params: UploadSessionParams,
    response: { 200: UploadSession, 404: err, ...authed },
  },
  mediaCompleteUpload: {
    method: 'POST',
    path: '/api/media/uploads/:sessionId/complete',
    summary: 'Assemble the parts, check the file type by its bytes (415 otherwise) and queue transcoding',
    tags: ['media'],
    access: ['trainer', 'admin'],
    params: UploadSessionParams,
    body: Type.Object({}, { additionalProperties: false }),
    response: { 200: MediaAsset, 404: err, 409: err, 415: err, ...authed },
  },
  mediaAbortUpload: {
    method: 'DELETE',
    path: '/api/media/uploads/:sessionId',
    summary: 'Abandon an upload and discard its parts',
    tags: ['media'],
    access: ['trainer', 'admin'],
    params: UploadSessionParams,
    response: { 204: NoContent, 404: err, 409: err, ...authed },
  },
  mediaList: {
    method: 'GET',
    path: '/api/media',
    summary: 'The media of the signed-in trainer (all media for an admin)',
    tags: ['media'],
    access: ['trainer', 'admin'],
    response: { 200: MediaAssetList, ...authed },
  },
  mediaGet: {
    method: 'GET',
    path: '/api/media/:id',
    summary: 'One media asset with its live transcoding state',
    tags: ['media'],
    access: ['trainer', 'admin'],
    params: MediaIdParams,
    response: { 200: MediaAsset, 404: err, ...authed },
  },
  mediaSetPublished: {
    method: 'PUT',
    path: '/api/media/:id/published',
    summary: 'Let signed-in learners watch a ready asset, or stop them',
    tags: ['media'],
    access: ['trainer', 'admin'],
    params: MediaIdParams,
    body: SetPublishedBody,
    response: { 200: MediaAsset, 404: err, 409: err, 415: err, ...authed },
  },
  mediaPlayback: {
    method: 'GET',
    path: '/api/media/:id/playback',
    summary: 'What a player needs: the master playlist path, a signed poster URL and caption tracks',
    tags: ['media'],
    access: 'user',
    params: MediaIdParams,
    response: { 200: Playback, 404: err, 409: err, ...authed },
  },
  mediaMasterPlaylist: {
    method: 'GET',
    path: '/api/media/:id/master.m3u8',
    summary: 'The master playlist, its rendition playlists signed and expiring',
    tags: ['media'],
    access: 'user',
    params: MediaIdParams,
    response: { 200: Playlist, 404: err, 409: err, ...authed },
  },
  mediaVariantPlaylist: {
    method: 'GET',
    path: '/api/media/:id/playlists/:name',
    summary: 'A rendition playlist (signed URL from the master) with every segment URL signed by the object store',
    tags: ['media'],
    access: 'public',
    params: VariantParams,
    querystring: SignedQuery,
    response: { 200: Playlist, 403: err, 404: err, ...edge },
  },
  localObject: {
    method: 'GET',
    path: '/objects/*',
    summary: 'An object of the local folder store, for a signed URL (embedded mode; S3 serves its own)',
    tags: ['media'],
    access: 'public',
    params: ObjectParams,
    querystring: SignedQuery,
    response: { 200: RawBytes, 403: err, 404: err, ...edge },
  },
} as const satisfies Record<string, RouteDef>;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
