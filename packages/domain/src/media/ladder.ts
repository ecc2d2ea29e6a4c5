/** One rung of the HLS ladder. Bitrates are chosen for weak mobile links: the lowest fits in 2G-ish 150 kbps. */
export interface Rung {
  name: string;
  height: number;
  videoKbps: number;
}

export const LADDER: readonly Rung[] = [
  { name: '234p', height: 234, videoKbps: 145 },
  { name: '360p', height: 360, videoKbps: 730 },
  { name: '540p', height: 540, videoKbps: 2000 },
  { name: '720p', height: 720, videoKbps: 3000 },
];

export const AUDIO_KBPS = 64;
export const SEGMENT_SECONDS = 2;

/**
 * The rungs at or below the source height: never upscale. A source smaller than the lowest rung
 * still gets one rendition at its own height, so every video plays.
 */
export function planLadder(sourceHeight: number): Rung[] {
  const rungs = LADDER.filter((r) => r.height <= sourceHeight);
  if (rungs.length > 0) return rungs;
  const height = Math.max(2, sourceHeight - (sourceHeight % 2));
  return [{ name: `${height}p`, height, videoKbps: LADDER[0]?.videoKbps ?? 145 }];
}

/** Output width for a rung: keeps the aspect ratio, rounded to an even number as H.264 needs. */
export function rungWidth(sourceWidth: number, sourceHeight: number, height: number): number {
  return Math.max(2, Math.round((sourceWidth * height) / sourceHeight / 2) * 2);
}

export interface PlannedRendition {
  name: string;
  width: number;
  height: number;
  bandwidth: number;
  /** Path of its playlist relative to the output folder. */
  playlist: string;
  codecs: string;
}

/** ffmpeg arguments for the whole ladder in one pass: each rung and the audio-only rendition as HLS. */
export function ladderArguments(input: {
  source: string;
  outDir: string;
  rungs: Rung[];
  sourceWidth: number;
  sourceHeight: number;
  hasVideo: boolean;
  hasAudio: boolean;
}): { args: string[]; renditions: PlannedRendition[] } {
  const { source, outDir, rungs, hasVideo, hasAudio } = input;
  const args = ['-hide_banner', '-nostdin', '-y', '-i', source, '-progress', 'pipe:1', '-nostats'];
  const renditions: PlannedRendition[] = [];
  const streamMap: string[] = [];
  const videoRungs = hasVideo ? rungs : [];
  if (videoRungs.length > 0) {
    const labels = videoRungs.map((_, i) => `[v${i}]`).join('');
    const scales = videoRungs.map((r, i) => `[v${i}]scale=${rungWidth(input.sourceWidth, input.sourceHeight, r.height)}:${r.height}[v${i}o]`);
    args.push('-filter_complex', `[0:v:0]split=${videoRungs.length}${labels};${scales.join(';')}`);
  }
  videoRungs.forEach((rung, i) => {
    const width = rungWidth(input.sourceWidth, input.sourceHeight, rung.height);
    args.push('-map', `[v${i}o]`);
    args.push(
      `-c:v:${i}`,
      'libx264',
      `-profile:v:${i}`,
      'main',
      `-b:v:${i}`,
      `${rung.videoKbps}k`,
      `-maxrate:v:${i}`,
      `${Math.round(rung.videoKbps * 1.07)}k`,
      `-bufsize:v:${i}`,
      `${rung.videoKbps * 2}k`,
    );
    if (hasAudio) args.push('-map', '0:a:0');
    streamMap.push(hasAudio ? `v:${i},a:${i},name:${rung.name}` : `v:${i},name:${rung.name}`);
    const audioKbps = hasAudio ? AUDIO_KBPS : 0;
    renditions.push({
      name: rung.name,
      width,
      height: rung.height,
      bandwidth: Math.round((rung.videoKbps * 1.07 + audioKbps) * 1000 * 1.1),
      playlist: `${rung.name}/index.m3u8`,
      codecs: hasAudio ? 'avc1.4d401f,mp4a.40.2' : 'avc1.4d401f',
    });
  });
  if (hasAudio) {
    args.push('-map', '0:a:0');
    streamMap.push(`a:${videoRungs.length},name:audio`);
    renditions.push({
      name: 'audio',
      width: 0,
      height: 0,
      bandwidth: Math.round(AUDIO_KBPS * 1000 * 1.1),
      playlist: 'audio/index.m3u8',
      codecs: 'mp4a.40.2',
    });
  }
  if (videoRungs.length > 0) {
    // A keyframe exactly every 2 s (and never elsewhere) so every segment starts with one and the
    // player can switch rungs at any segment boundary.
    args.push('-preset', 'veryfast', '-force_key_frames', `expr:gte(t,n_forced*${SEGMENT_SECONDS})`, '-sc_threshold', '0', '-pix_fmt', 'yuv420p');
  }
  if (hasAudio) args.push('-c:a', 'aac', '-b:a', `${AUDIO_KBPS}k`, '-ac', '2', '-ar', '44100');
  args.push(
    '-f',
    'hls',
    '-hls_time',
    String(SEGMENT_SECONDS),
    '-hls_playlist_type',
    'vod',
    '-hls_flags',
    'independent_segments',
    '-hls_segment_filename',
    `${outDir}/%v/seg_%04d.ts`,
    '-var_stream_map',
    streamMap.join(' '),
    `${outDir}/%v/index.m3u8`,
  );
  return { args, renditions };
}

/** The master playlist: video rungs from the lowest up, then the audio-only rendition. */
export function masterPlaylist(renditions: PlannedRendition[], uriOf: (r: PlannedRendition) => string = (r) => r.playlist): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const r of renditions) {
    const resolution = r.height > 0 ? `,RESOLUTION=${r.width}x${r.height}` : '';
    lines.push(`#EXT-X-STREAM-INF:BANDWIDTH=${r.bandwidth}${resolution},CODECS="${r.codecs}"`, uriOf(r));
  }
  return `${lines.join('\n')}\n`;
}
