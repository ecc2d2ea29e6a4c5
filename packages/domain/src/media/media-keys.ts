import { objectKey } from '@hts/storage';

/** Every media key is built here from ids the server generated, never from a file name a user sent. */
export const mediaKeys = {
  root: (assetId: string) => objectKey('media', assetId),
  source: (assetId: string) => objectKey('media', assetId, 'source'),
  /** A versioned prefix per transcoding attempt: a retry never writes over what another attempt left. */
  output: (assetId: string, version: string) => objectKey('media', assetId, version),
  captions: (videoId: string, captionsId: string) => objectKey('media', videoId, 'captions', `${captionsId}.vtt`),
};

export const OUTPUT_VERSION_PREFIX = 'hls-';
