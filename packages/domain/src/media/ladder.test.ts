import { describe, expect, it } from 'vitest';
import { ladderArguments, masterPlaylist, planLadder, rungWidth } from './ladder.ts';

describe('planLadder', () => {
  it('keeps only the rungs at or below the source height, never upscaling', () => {
    expect(planLadder(720).map((r) => r.name)).toEqual(['234p', '360p', '540p', '720p']);
    expect(planLadder(1080).map((r) => r.name)).toEqual(['234p', '360p', '540p', '720p']);
    expect(planLadder(480).map((r) => r.name)).toEqual(['234p', '360p']);
  });

  it('gives a tiny source one rendition at its own height', () => {
    expect(planLadder(121)).toEqual([{ name: '120p', height: 120, videoKbps: 145 }]);
  });

  it('keeps the aspect ratio with an even width', () => {
    expect(rungWidth(1280, 720, 234)).toBe(416);
    expect(rungWidth(720, 1280, 360)).toBe(202);
  });
});

describe('ladderArguments', () => {
  it('asks for 2 s segments with a keyframe every 2 s and an audio-only rendition', () => {
    const { args, renditions } = ladderArguments({
      source: 'in.mp4',
      outDir: '/tmp/out',
      rungs: planLadder(360),
      sourceWidth: 640,
      sourceHeight: 360,
      hasVideo: true,
      hasAudio: true,
    });
    expect(args.join(' ')).toContain('-hls_time 2');
    expect(args.join(' ')).toContain('-force_key_frames expr:gte(t,n_forced*2)');
    expect(args.join(' ')).toContain('-sc_threshold 0');
    expect(args[args.indexOf('-var_stream_map') + 1]).toBe('v:0,a:0,name:234p v:1,a:1,name:360p a:2,name:audio');
    expect(renditions.map((r) => r.name)).toEqual(['234p', '360p', 'audio']);
  });

  it('writes a master playlist listing every rendition with its bandwidth and resolution', () => {
    const { renditions } = ladderArguments({
      source: 'a',
      outDir: 'o',
      rungs: planLadder(234),
      sourceWidth: 416,
      sourceHeight: 234,
      hasVideo: true,
      hasAudio: true,
    });
    const text = masterPlaylist(renditions);
    expect(text).toContain('RESOLUTION=416x234');
    expect(text).toContain('234p/index.m3u8');
    expect(text).toContain('audio/index.m3u8');
  });
});
