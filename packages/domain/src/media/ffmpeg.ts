import { spawn } from 'node:child_process';

export interface MediaTools {
  ffmpeg: string;
  ffprobe: string;
}
export const systemMediaTools: MediaTools = { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' };

/** Not worth retrying: the input itself is the problem (ffmpeg cannot decode it). */
export class UndecodableMediaError extends Error {
  override readonly name = 'UndecodableMediaError';
}

export interface ProbeResult {
  durationSeconds: number;
  width: number;
  height: number;
  hasVideo: boolean;
  hasAudio: boolean;
}

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function missingBinary(binary: string): Error {
  return new Error(`${binary} is not installed or not on the PATH: media transcoding needs the system ffmpeg and ffprobe (e.g. apt-get install ffmpeg)`);
}

/** Runs a tool, keeping the last 64 KB of stderr for the error message; `onStdout` sees output as it comes. */
export function runTool(binary: string, args: string[], options: { onStdout?: (text: string) => void; signal?: AbortSignal } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      if (options.onStdout) options.onStdout(text);
      else stdout += text;
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-65_536);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') reject(missingBinary(binary));
      else if (error.name !== 'AbortError') reject(error);
    });
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** The last meaningful lines of ffmpeg's stderr: what a trainer can read to see why a file failed. */
export function readableReason(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('Press [q]') && !/^(frame|size)=/.test(l));
  return lines.slice(-3).join(' · ').slice(0, 500) || 'ffmpeg could not read the file';
}

export async function probeMedia(tools: MediaTools, file: string): Promise<ProbeResult> {
  const result = await runTool(tools.ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
  if (result.code !== 0) throw new UndecodableMediaError(`ffprobe cannot read this file: ${readableReason(result.stderr)}`);
  const info = JSON.parse(result.stdout) as {
    format?: { duration?: string };
    streams?: Array<{ codec_type?: string; width?: number; height?: number; duration?: string }>;
  };
  const video = info.streams?.find((s) => s.codec_type === 'video' && (s.width ?? 0) > 0);
  const audio = info.streams?.find((s) => s.codec_type === 'audio');
  const durationSeconds = Number(info.format?.duration ?? video?.duration ?? audio?.duration ?? Number.NaN);
  if (!video && !audio) throw new UndecodableMediaError('the file has no video or audio stream ffmpeg can decode');
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) throw new UndecodableMediaError('the file has no readable duration');
  return { durationSeconds, width: video?.width ?? 0, height: video?.height ?? 0, hasVideo: Boolean(video), hasAudio: Boolean(audio) };
}

/** Parses ffmpeg `-progress` output: the media time reached, in seconds, from `out_time_us`/`out_time_ms` (both microseconds). */
export function progressSeconds(chunk: string): number | null {
  let latest: number | null = null;
  for (const match of chunk.matchAll(/out_time_(?:us|ms)=(\d+)/g)) latest = Number(match[1]) / 1_000_000;
  return latest;
}

/** Runs ffmpeg, reporting the media time reached; a non-zero exit is the input's fault unless ffmpeg was killed. */
export async function runFfmpeg(tools: MediaTools, args: string[], onTime?: (seconds: number) => void, signal?: AbortSignal): Promise<void> {
  const result = await runTool(tools.ffmpeg, args, {
    signal,
    onStdout: (text) => {
      const seconds = progressSeconds(text);
      if (seconds !== null) onTime?.(seconds);
    },
  });
  if (result.signal || signal?.aborted) throw new Error(`ffmpeg was stopped (${result.signal ?? 'aborted'}) before it finished`);
  if (result.code !== 0) throw new UndecodableMediaError(`ffmpeg could not transcode this file: ${readableReason(result.stderr)}`);
}
