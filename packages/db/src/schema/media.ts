import { bigint, doublePrecision, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.ts';
import { users } from './users.ts';

export const mediaKind = pgEnum('media_kind', ['video', 'audio', 'captions']);
export const mediaStatus = pgEnum('media_status', ['uploading', 'queued', 'transcoding', 'ready', 'failed']);
export const uploadSessionStatus = pgEnum('upload_session_status', ['open', 'completed', 'aborted']);

/** One HLS rendition of a published asset; keys are object-store keys under the asset's versioned prefix. */
export interface MediaRendition {
  name: string;
  /** 0 for the audio-only rendition. */
  height: number;
  width: number;
  /** Peak bits per second, as the master playlist announces it. */
  bandwidth: number;
  playlistKey: string;
}

export interface MediaCaption {
  language: string;
  label: string;
  /** A WebVTT object. */
  key: string;
}

/**
 * A video, audio or captions file a trainer uploaded, and what transcoding made of it. Nothing under
 * `outputPrefix` is visible to learners until `status` is `ready`, which is set in the same update
 * that writes the keys: a half-finished transcode never shows.
 */
export const mediaAssets = pgTable(
  'media_assets',
  {
    id: id(),
    ownerId: uuid()
      .notNull()
      .references(() => users.id),
    kind: mediaKind().notNull(),
    title: text().notNull(),
    status: mediaStatus().notNull().default('uploading'),
    /** 0..100 while transcoding. */
    progress: integer().notNull().default(0),
    failureReason: text(),
    /** The uploaded file; null once deleted by the source policy. */
    sourceKey: text(),
    /** Container found by the magic-byte check: mp4, webm, mp3, m4a, vtt, srt. */
    sourceFormat: text(),
    sourceSize: bigint({ mode: 'number' }),
    durationSeconds: doublePrecision(),
    width: integer(),
    height: integer(),
    renditions: jsonb().$type<MediaRendition[]>().notNull().default([]),
    posterKey: text(),
    masterKey: text(),
    /** The versioned prefix the published renditions live under. */
    outputPrefix: text(),
    captions: jsonb().$type<MediaCaption[]>().notNull().default([]),
    /** For a captions asset: the video or audio it belongs to. */
    captionsForId: uuid(),
    captionsLanguage: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index().on(t.ownerId), index().on(t.captionsForId)],
);

/** A resumable multipart upload of one asset's source file. */
export const uploadSessions = pgTable(
  'upload_sessions',
  {
    id: id(),
    assetId: uuid()
      .notNull()
      .references(() => mediaAssets.id, { onDelete: 'cascade' }),
    ownerId: uuid()
      .notNull()
      .references(() => users.id),
    objectKey: text().notNull(),
    /** The object store's multipart upload id. */
    multipartUploadId: text().notNull(),
    expectedSize: bigint({ mode: 'number' }).notNull(),
    partSize: integer().notNull(),
    contentType: text().notNull(),
    status: uploadSessionStatus().notNull().default('open'),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index().on(t.assetId), index().on(t.status, t.expiresAt)],
);

/** Parts acknowledged to the client: stored only after the object store has them. */
export const uploadParts = pgTable(
  'upload_parts',
  {
    sessionId: uuid()
      .notNull()
      .references(() => uploadSessions.id, { onDelete: 'cascade' }),
    partNumber: integer().notNull(),
    etag: text().notNull(),
    size: bigint({ mode: 'number' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.partNumber] })],
);

export type MediaAssetRow = typeof mediaAssets.$inferSelect;
export type UploadSessionRow = typeof uploadSessions.$inferSelect;
export type UploadPartRow = typeof uploadParts.$inferSelect;
