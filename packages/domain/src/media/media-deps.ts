import type { Db } from '@hts/db';
import type { ObjectStore } from '@hts/storage';
import type { Clock } from '../shared/deps.ts';

/** Media settings; the API reads them from its configuration and passes them in. */
export interface MediaSettings {
  /** Largest file a trainer may upload, in bytes (MEDIA_MAX_UPLOAD_BYTES). */
  maxUploadBytes: number;
  /** Bytes per upload part; every part but the last has exactly this size (≥ 5 MiB, the S3 minimum). */
  partSize: number;
  /** How long an unfinished upload can be resumed. */
  uploadTtlSeconds: number;
  /** Keep the uploaded source after transcoding (MEDIA_KEEP_SOURCE). */
  keepSource: boolean;
  /** Lifetime of signed playlist and segment URLs. */
  playbackUrlTtlSeconds: number;
  /** HMAC key signing rendition playlist URLs handed out by the master playlist. */
  playlistSigningSecret: string;
}

export const defaultMediaSettings: Omit<MediaSettings, 'playlistSigningSecret'> = {
  maxUploadBytes: 2 * 1024 * 1024 * 1024,
  partSize: 8 * 1024 * 1024,
  uploadTtlSeconds: 24 * 3600,
  keepSource: true,
  playbackUrlTtlSeconds: 6 * 3600,
};

/** Captions are small text files; anything larger is not captions. */
export const MAX_CAPTIONS_BYTES = 2 * 1024 * 1024;

export interface MediaDeps {
  db: Db;
  store: ObjectStore;
  clock: Clock;
  media: MediaSettings;
}

export const TRANSCODE_JOB = 'media.transcode';
