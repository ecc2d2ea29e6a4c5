import { describe, expect, it } from 'vitest';
import { detectMediaFormat, kindOfFormat } from './magic-bytes.ts';

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('detectMediaFormat', () => {
  it('recognises MP4, MOV and M4A by their ftyp box', () => {
    expect(detectMediaFormat(bytes([0, 0, 0, 0x20], 'ftypisom', [0, 0, 2, 0]))).toBe('mp4');
    expect(detectMediaFormat(bytes([0, 0, 0, 0x14], 'ftypqt  ', [0, 0, 0, 0]))).toBe('mov');
    expect(detectMediaFormat(bytes([0, 0, 0, 0x20], 'ftypM4A ', [0, 0, 0, 0]))).toBe('m4a');
  });

  it('recognises WebM and Matroska by the EBML magic', () => {
    expect(detectMediaFormat(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84], 'webm'))).toBe('webm');
    expect(detectMediaFormat(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x88], 'matroska'))).toBe('mkv');
  });

  it('recognises MP3 by an ID3 tag or an MPEG frame sync', () => {
    expect(detectMediaFormat(bytes('ID3', [3, 0, 0, 0, 0, 0, 0]))).toBe('mp3');
    expect(detectMediaFormat(bytes([0xff, 0xfb, 0x90, 0x64]))).toBe('mp3');
  });

  it('recognises WebVTT and SRT captions, with or without a byte-order mark', () => {
    expect(detectMediaFormat(bytes('WEBVTT\n\n00:00.000 --> 00:01.000\nXin chào'))).toBe('vtt');
    expect(detectMediaFormat(bytes([0xef, 0xbb, 0xbf], 'WEBVTT\n'))).toBe('vtt');
    expect(detectMediaFormat(bytes('1\r\n00:00:01,000 --> 00:00:02,500\r\nXin chào\r\n'))).toBe('srt');
  });

  it('rejects a renamed Windows executable, a zip archive and an HTML page', () => {
    expect(detectMediaFormat(bytes('MZ', [0x90, 0, 3, 0, 0, 0, 4, 0]))).toBeNull();
    expect(detectMediaFormat(bytes('PK', [3, 4, 20, 0, 0, 0, 8, 0]))).toBeNull();
    expect(detectMediaFormat(bytes('<!DOCTYPE html><html><body>video.mp4</body></html>'))).toBeNull();
  });

  it('rejects an empty file and text that only mentions a format', () => {
    expect(detectMediaFormat(new Uint8Array())).toBeNull();
    expect(detectMediaFormat(bytes('this is not WEBVTT'))).toBeNull();
  });

  it('maps each format to the kind of asset it can be', () => {
    expect(kindOfFormat('webm')).toBe('video');
    expect(kindOfFormat('m4a')).toBe('audio');
    expect(kindOfFormat('srt')).toBe('captions');
  });
});
