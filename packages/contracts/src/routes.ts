import { type TSchema, Type } from 'typebox';
import { CreateUserBody, ListUsersQuery, SetRolesBody, UserIdParams, UserList } from './admin.ts';
import { LoginBody, LogoutBody, Me, RefreshBody, RegisterBody, TokenPair } from './auth.ts';
import type { Role } from './common.ts';
import {
  AttemptParams,
  AttemptResult,
  CatalogPage,
  CatalogQuery,
  CourseDraft,
  CourseIdParams,
  CoursePage,
  CreateCourseBody,
  Enrolment,
  LessonParams,
  LessonView,
  MyLearning,
  ProgressBatch,
  ProgressResults,
  QuizAttempt,
  SaveDraftBody,
  SetOwnerBody,
  SlugParams,
  SubmitAttemptBody,
  TrainerCourse,
  TrainerCourseList,
} from './courses.ts';
import { ErrorBody } from './errors.ts';
import { indicatorRoutes } from './indicators.ts';
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
import {
  About,
  ActivityProfileQuery,
  ActivityQuery,
  AgentProfileQuery,
  AgentQuery,
  EvidenceAnchors,
  PutStatementQuery,
  StatementIds,
  StatementsQuery,
  StateQuery,
  XapiAny,
  XapiDocumentBody,
} from './xapi.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDef {
  method: Method;
  path: string;
  summary: string;
  tags: readonly string[];
  /**
   * 'public': no token; 'user': any signed-in user; a list: one of those roles; 'lrs': an xAPI client
   * with LRS credentials (HTTP Basic) or a platform user's bearer token, checked against LRS scopes.
   */
  access: 'public' | 'user' | 'lrs' | readonly Role[];
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

const lrs = { ...authed, 409: err, 412: err, 413: err, 415: err } as const;

/** The four methods of a document resource (State, Activity Profile, Agent Profile). */
function documentRoutes<Q extends TSchema>(what: string, path: string, querystring: Q) {
  const base = { path, tags: ['xapi'], access: 'lrs', querystring } as const;
  return {
    get: { ...base, method: 'GET', summary: `${what}: one document, or the ids of the documents`, response: { 200: XapiDocumentBody, 404: err, ...lrs } },
    put: { ...base, method: 'PUT', summary: `${what}: store or replace a document`, body: XapiDocumentBody, response: { 204: NoContent, ...lrs } },
    post: { ...base, method: 'POST', summary: `${what}: merge a JSON document`, body: XapiDocumentBody, response: { 204: NoContent, ...lrs } },
    delete: { ...base, method: 'DELETE', summary: `${what}: delete a document (State: or all of them)`, response: { 204: NoContent, ...lrs } },
  } as const;
}
const state = documentRoutes('State', '/xapi/activities/state', StateQuery);
const activityProfile = documentRoutes('Activity Profile', '/xapi/activities/profile', ActivityProfileQuery);
const agentProfile = documentRoutes('Agent Profile', '/xapi/agents/profile', AgentProfileQuery);

/** The LRS routes, with every status the xAPI specification lets each one answer. */
const xapiRoutes = {
  xapiAbout: {
    method: 'GET',
    path: '/xapi/about',
    summary: 'xAPI versions this LRS speaks',
    tags: ['xapi'],
    access: 'public',
    response: { 200: About, ...edge },
  },
  xapiPostStatements: {
    method: 'POST',
    path: '/xapi/statements',
    summary: 'Store one statement or a batch, all or nothing; idempotent by statement id',
    tags: ['xapi'],
    access: 'lrs',
    body: XapiAny,
    response: { 200: StatementIds, ...lrs },
  },
  xapiPutStatement: {
    method: 'PUT',
    path: '/xapi/statements',
    summary: 'Store one statement with the given id; idempotent',
    tags: ['xapi'],
    access: 'lrs',
    querystring: PutStatementQuery,
    body: XapiAny,
    response: { 204: NoContent, ...lrs },
  },
  xapiGetStatements: {
    method: 'GET',
    path: '/xapi/statements',
    summary: 'One statement by id, or a page of statements matching the filters, with a `more` link',
    tags: ['xapi'],
    access: 'lrs',
    querystring: StatementsQuery,
    response: { 200: XapiAny, 404: err, ...lrs },
  },
  xapiStateGet: state.get,
  xapiStatePut: state.put,
  xapiStatePost: state.post,
  xapiStateDelete: state.delete,
  xapiActivityProfileGet: activityProfile.get,
  xapiActivityProfilePut: activityProfile.put,
  xapiActivityProfilePost: activityProfile.post,
  xapiActivityProfileDelete: activityProfile.delete,
  xapiAgentProfileGet: agentProfile.get,
  xapiAgentProfilePut: agentProfile.put,
  xapiAgentProfilePost: agentProfile.post,
  xapiAgentProfileDelete: agentProfile.delete,
  xapiActivity: {
    method: 'GET',
    path: '/xapi/activities',
    summary: 'An Activity with its definition',
    tags: ['xapi'],
    access: 'lrs',
    querystring: ActivityQuery,
    response: { 200: XapiAny, ...lrs },
  },
  xapiAgents: {
    method: 'GET',
    path: '/xapi/agents',
    summary: 'The Person object of an Agent',
    tags: ['xapi'],
    access: 'lrs',
    querystring: AgentQuery,
    response: { 200: XapiAny, ...lrs },
  },
} as const;

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
  ...xapiRoutes,
  ...indicatorRoutes,
  evidenceAnchors: {
    method: 'GET',
    path: '/api/evidence/anchors',
    summary: 'Daily anchors of the completion hash chain: the hash of the last entry of each UTC day',
    tags: ['evidence'],
    access: 'public',
    response: { 200: EvidenceAnchors, ...edge },
  },
  catalog: {
    method: 'GET',
    path: '/api/courses',
    summary: 'The public catalog: published courses, searchable with or without Vietnamese diacritics',
    tags: ['courses'],
    access: 'public',
    querystring: CatalogQuery,
    response: { 200: CatalogPage, ...edge },
  },
  coursePage: {
    method: 'GET',
    path: '/api/courses/:slug',
    summary: 'A published course and its outline; with a token, the caller’s enrolment and lesson status',
    tags: ['courses'],
    access: 'public',
    params: SlugParams,
    response: { 200: CoursePage, 401: err, 404: err, ...edge },
  },
  enrol: {
    method: 'POST',
    path: '/api/courses/:id/enrolments',
    summary: 'Enrol yourself in a published course (pinned to its current version); again is a no-op',
    tags: ['learning'],
    access: 'user',
    params: CourseIdParams,
    body: Type.Object({}, { additionalProperties: false }),
    response: { 200: Enrolment, 201: Enrolment, 404: err, 415: err, ...authed },
  },
  lesson: {
    method: 'GET',
    path: '/api/courses/:id/lessons/:lessonId',
    summary: 'A lesson of the version you are enrolled in, for the player',
    tags: ['learning'],
    access: 'user',
    params: LessonParams,
    response: { 200: LessonView, 404: err, ...authed },
  },
  progress: {
    method: 'POST',
    path: '/api/progress',
    summary: 'A batch of progress events (opened, video watched, external result); idempotent per event id',
    tags: ['learning'],
    access: 'user',
    body: ProgressBatch,
    response: { 200: ProgressResults, 404: err, 409: err, 415: err, ...authed },
  },
  startAttempt: {
    method: 'POST',
    path: '/api/courses/:id/lessons/:lessonId/attempts',
    summary: 'Start a quiz attempt: questions drawn on the server, answers kept there',
    tags: ['learning'],
    access: 'user',
    params: LessonParams,
    body: Type.Object({}, { additionalProperties: false }),
    response: { 201: QuizAttempt, 404: err, 409: err, 415: err, ...authed },
  },
  submitAttempt: {
    method: 'POST',
    path: '/api/attempts/:id/submit',
    summary: 'Submit the answers of an open attempt; graded on the server; once only',
    tags: ['learning'],
    access: 'user',
    params: AttemptParams,
    body: SubmitAttemptBody,
    response: { 200: AttemptResult, 404: err, 409: err, 415: err, ...authed },
  },
  myLearning: {
    method: 'GET',
    path: '/api/me/learning',
    summary: 'Your courses, most recent first, with progress and where to continue',
    tags: ['learning'],
    access: 'user',
    response: { 200: MyLearning, ...authed },
  },
  trainerCourses: {
    method: 'GET',
    path: '/api/trainer/courses',
    summary: 'Courses you own (admins: all courses)',
    tags: ['authoring'],
    access: ['trainer', 'admin'],
    response: { 200: TrainerCourseList, ...authed },
  },
  createCourse: {
    method: 'POST',
    path: '/api/trainer/courses',
    summary: 'Create a course as a draft you own',
    tags: ['authoring'],
    access: ['trainer', 'admin'],
    body: CreateCourseBody,
    response: { 201: CourseDraft, 409: err, 415: err, ...authed },
  },
  courseDraft: {
    method: 'GET',
    path: '/api/trainer/courses/:id',
    summary: 'The draft of a course you own (the published version when there is no draft)',
    tags: ['authoring'],
    access: ['trainer', 'admin'],
    params: CourseIdParams,
    response: { 200: CourseDraft, 404: err, ...authed },
  },
  saveDraft: {
    method: 'PUT',
    path: '/api/trainer/courses/:id/draft',
    summary: 'Replace the draft (modules, lessons, questions); published versions are untouched',
    tags: ['authoring'],
    access: ['trainer', 'admin'],
    params: CourseIdParams,
    body: SaveDraftBody,
    response: { 200: CourseDraft, 404: err, 415: err, ...authed },
  },
  publishCourse: {
    method: 'POST',
    path: '/api/trainer/courses/:id/publish',
    summary: 'Freeze the draft into a new immutable version and list it in the catalog',
    tags: ['authoring'],
    access: ['trainer', 'admin'],
    params: CourseIdParams,
    body: Type.Object({}, { additionalProperties: false }),
    response: { 200: TrainerCourse, 404: err, 409: err, 415: err, ...authed },
  },
  setCourseOwner: {
    method: 'PUT',
    path: '/api/admin/courses/:id/owner',
    summary: 'Give a course to another trainer',
    tags: ['admin'],
    access: ['admin'],
    params: CourseIdParams,
    body: SetOwnerBody,
    response: { 200: TrainerCourse, 404: err, 415: err, ...authed },
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
