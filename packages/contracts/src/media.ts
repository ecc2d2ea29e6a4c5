import { type Static, Type } from 'typebox';
import { Uuid } from './common.ts';

export const MediaKind = Type.Union([Type.Literal('video'), Type.Literal('audio'), Type.Literal('captions')]);
export type MediaKind = Static<typeof MediaKind>;
export const MediaStatus = Type.Union([
  Type.Literal('uploading'),
  Type.Literal('queued'),
  Type.Literal('transcoding'),
  Type.Literal('ready'),
  Type.Literal('failed'),
]);
export type MediaStatus = Static<typeof MediaStatus>;

export const CreateUploadBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    kind: MediaKind,
    /** Bytes the client will send; checked against the configured limit before anything is stored. */
    size: Type.Integer({ minimum: 1, description: 'exact size of the file in bytes' }),
    contentType: Type.Optional(Type.String({ maxLength: 100, description: 'what the browser says; the bytes decide' })),
    /** For captions: the video or audio asset they belong to, and their language. */
    captionsFor: Type.Optional(Uuid),
    language: Type.Optional(Type.String({ pattern: '^[a-z]{2,3}(-[A-Z]{2})?$', description: 'BCP 47 language, e.g. vi or en' })),
  },
  { additionalProperties: false },
);
export type CreateUploadBody = Static<typeof CreateUploadBody>;

export const UploadPartInfo = Type.Object({ partNumber: Type.Integer(), size: Type.Integer(), etag: Type.String() });
export type UploadPartInfo = Static<typeof UploadPartInfo>;

export const UploadSession = Type.Object({
  id: Uuid,
  assetId: Uuid,
  status: Type.Union([Type.Literal('open'), Type.Literal('completed'), Type.Literal('aborted')]),
  expectedSize: Type.Integer(),
  /** Every part except the last has exactly this many bytes. */
  partSize: Type.Integer(),
  partCount: Type.Integer(),
  receivedParts: Type.Array(UploadPartInfo),
  /** The first part not yet received, where a dropped upload resumes; null when all are in. */
  nextPart: Type.Union([Type.Integer(), Type.Null()]),
  expiresAt: Type.String({ format: 'date-time' }),
});
export type UploadSession = Static<typeof UploadSession>;

export const UploadSessionParams = Type.Object({ sessionId: Uuid });
export type UploadSessionParams = Static<typeof UploadSessionParams>;
export const UploadPartParams = Type.Object({ sessionId: Uuid, partNumber: Type.Integer({ minimum: 1, maximum: 10000 }) });
export type UploadPartParams = Static<typeof UploadPartParams>;

/** The raw bytes of one part, sent as application/octet-stream and streamed, never buffered whole. */
export const RawBytes = Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'raw bytes (application/octet-stream)' });

export const MediaRendition = Type.Object({ name: Type.String(), width: Type.Integer(), height: Type.Integer(), bandwidth: Type.Integer() });

export const MediaAsset = Type.Object({
  id: Uuid,
  ownerId: Uuid,
  kind: MediaKind,
  title: Type.String(),
  status: MediaStatus,
  progress: Type.Integer({ minimum: 0, maximum: 100 }),
  failureReason: Type.Union([Type.String(), Type.Null()]),
  sourceFormat: Type.Union([Type.String(), Type.Null()]),
  sourceSize: Type.Union([Type.Integer(), Type.Null()]),
  sourceKept: Type.Boolean(),
  durationSeconds: Type.Union([Type.Number(), Type.Null()]),
  width: Type.Union([Type.Integer(), Type.Null()]),
  height: Type.Union([Type.Integer(), Type.Null()]),
  renditions: Type.Array(MediaRendition),
  captions: Type.Array(Type.Object({ language: Type.String(), label: Type.String() })),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type MediaAsset = Static<typeof MediaAsset>;

export const MediaAssetList = Type.Object({ items: Type.Array(MediaAsset) });
export type MediaAssetList = Static<typeof MediaAssetList>;

export const MediaIdParams = Type.Object({ id: Uuid });
export type MediaIdParams = Static<typeof MediaIdParams>;

export const Playback = Type.Object({
  /** Same-origin path of the master playlist (needs the viewer's token). */
  masterUrl: Type.String(),
  posterUrl: Type.Union([Type.String(), Type.Null()]),
  durationSeconds: Type.Union([Type.Number(), Type.Null()]),
  captions: Type.Array(Type.Object({ language: Type.String(), label: Type.String(), url: Type.String() })),
});
export type Playback = Static<typeof Playback>;

export const VariantParams = Type.Object({ id: Uuid, name: Type.String({ pattern: '^[a-z0-9]{1,16}$' }) });
export type VariantParams = Static<typeof VariantParams>;
export const SignedQuery = Type.Object({ expires: Type.String({ pattern: '^[0-9]{1,12}$' }), signature: Type.String({ maxLength: 128 }) });
export type SignedQuery = Static<typeof SignedQuery>;

/** An HLS playlist, served as application/vnd.apple.mpegurl. */
export const Playlist = Type.String({ description: 'HLS playlist (application/vnd.apple.mpegurl)' });

export const ObjectParams = Type.Object({ '*': Type.String({ maxLength: 1024 }) });
export type ObjectParams = Static<typeof ObjectParams>;
