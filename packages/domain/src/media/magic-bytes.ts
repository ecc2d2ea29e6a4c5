import type { MediaKind } from '@hts/contracts';

export type MediaFormat = 'mp4' | 'mov' | 'webm' | 'mkv' | 'mp3' | 'm4a' | 'vtt' | 'srt';

/** How many leading bytes `detectMediaFormat` needs to decide. */
export const MAGIC_BYTES_NEEDED = 4096;

const KIND_OF: Record<MediaFormat, MediaKind> = {
  mp4: 'video',
  mov: 'video',
  webm: 'video',
  mkv: 'video',
  mp3: 'audio',
  m4a: 'audio',
  vtt: 'captions',
  srt: 'captions',
};

export function kindOfFormat(format: MediaFormat): MediaKind {
  return KIND_OF[format];
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return Buffer.from(bytes.subarray(start, start + length)).toString('latin1');
}

/** ISO base media (MP4/MOV/M4A): a box of type `ftyp` at offset 4, major brand after it. */
function detectFtyp(bytes: Uint8Array): MediaFormat | null {
  if (bytes.length < 12 || ascii(bytes, 4, 4) !== 'ftyp') return null;
  const brand = ascii(bytes, 8, 4);
  if (brand === 'M4A ' || brand === 'M4B ') return 'm4a';
  if (brand === 'qt  ') return 'mov';
  return 'mp4';
}

/** Matroska/WebM: the EBML magic 1A 45 DF A3, then the DocType names which. */
function detectEbml(bytes: Uint8Array): MediaFormat | null {
  if (bytes.length < 4 || bytes[0] !== 0x1a || bytes[1] !== 0x45 || bytes[2] !== 0xdf || bytes[3] !== 0xa3) return null;
  return ascii(bytes, 0, Math.min(bytes.length, 64)).includes('webm') ? 'webm' : 'mkv';
}

/** MP3: an ID3v2 tag, or an MPEG audio frame sync (11 set bits) with a valid layer and bitrate. */
function detectMp3(bytes: Uint8Array): MediaFormat | null {
  if (ascii(bytes, 0, 3) === 'ID3' && bytes.length >= 10 && (bytes[3] ?? 0) <= 4) return 'mp3';
  const [a = 0, b = 0, c = 0] = bytes;
  const sync = a === 0xff && (b & 0xe0) === 0xe0;
  const layer = (b >> 1) & 0x03;
  const version = (b >> 3) & 0x03;
  const bitrate = c >> 4;
  const sampleRate = (c >> 2) & 0x03;
  if (sync && layer !== 0 && version !== 1 && bitrate !== 0 && bitrate !== 15 && sampleRate !== 3) return 'mp3';
  return null;
}

function text(bytes: Uint8Array): string | null {
  const decoded = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  // Text files have no NUL bytes; a binary file decoded as text has plenty.
  if (decoded.includes('\u0000')) return null;
  return decoded.replace(/^\uFEFF/, '');
}

function detectText(bytes: Uint8Array): MediaFormat | null {
  const content = text(bytes);
  if (content === null) return null;
  if (/^WEBVTT(?:[ \t].*)?(?:\r?\n|$)/.test(content)) return 'vtt';
  // SRT: a numeric cue id, then "00:00:01,000 --> 00:00:02,000".
  if (/^\s*\d+\r?\n\d{1,2}:\d{2}:\d{2}[,.]\d{1,3} --> \d{1,2}:\d{2}:\d{2}[,.]\d{1,3}/.test(content)) return 'srt';
  return null;
}

/**
 * The media format the first bytes of a file prove, or null. The file name and the browser's content
 * type are never trusted: a renamed .exe, a zip or an HTML page is rejected here.
 */
export function detectMediaFormat(head: Uint8Array): MediaFormat | null {
  return detectFtyp(head) ?? detectEbml(head) ?? detectMp3(head) ?? detectText(head);
}
