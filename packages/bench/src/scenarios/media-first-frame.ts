import { execFile } from 'node:child_process';
import { readdir, readFile, symlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { type Browser, chromium } from 'playwright-core';
import { tempDir } from '../fixtures/databases.ts';
import type { Scale, Scenario, Side } from '../scenario.ts';
import { accessToken, BENCH_DEMO_PASSWORD, startApi } from '../servers/api.ts';
import { uploadFile, waitReady } from '../servers/media-client.ts';
import { startPlayerSite } from '../servers/player-site.ts';

/** The clip is 60 s of 720p; the CI smoke plays 6 s of 360p through the same path. */
const clipOf: Record<Scale, { seconds: number; width: number; height: number }> = {
  small: { seconds: 6, width: 640, height: 360 },
  province: { seconds: 60, width: 1280, height: 720 },
};
/** A weak mobile link, applied by the browser itself (DevTools protocol), to every request of the page. */
export const THROTTLE = { downKbps: 1600, upKbps: 750, latencyMs: 150 };

export function launchSystemChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** Opens `url` in a fresh context (empty cache) under the throttle; answers ms from the play request to the first frame. */
async function firstFrameMs(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: THROTTLE.latencyMs,
      downloadThroughput: (THROTTLE.downKbps * 1000) / 8,
      uploadThroughput: (THROTTLE.upKbps * 1000) / 8,
    });
    await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
    // the page sets window.ttff (ms) or window.ttffError; expressions as strings: this package has no DOM types
    await page.waitForFunction('window.ttff !== undefined || window.ttffError !== undefined', null, { timeout: 120_000, polling: 50 });
    const { ttff, ttffError } = (await page.evaluate('({ ttff: window.ttff, ttffError: window.ttffError })')) as { ttff?: number; ttffError?: string };
    if (ttffError || ttff === undefined) throw new Error(`no first frame for ${url}: ${ttffError}`);
    return ttff;
  } finally {
    await context.close();
  }
}

async function findFile(dir: string, name: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const hit = entries.find((e) => e.isFile() && e.name === name);
  if (!hit) throw new Error(`no ${name} under ${dir}`);
  return join(hit.parentPath, hit.name);
}

/**
 * Time to first frame in the system Chromium on a throttled 1.6 Mbps / 150 ms link: the generated clip
 * through the platform's signed HLS (playback call, signed master and rendition playlists, signed segment
 * URLs, all through a proxy like the web server's) against the very same HLS files from a bare static
 * folder, and the source as one progressive MP4. Each round opens a fresh browser context (empty cache).
 */
export const firstFrameScenario: Scenario = {
  name: 'media.first-frame',
  title: 'Time to first frame, Chromium throttled to 1.6 Mbps / 150 ms: signed HLS vs the same playlists from a static folder',
  unit: 'ms',
  better: 'lower',
  warmup: 1,
  rounds: { small: 3, province: 5 },
  async setup(ctx) {
    const clip = clipOf[ctx.scale];
    const work = await tempDir('first-frame');
    const source = join(work, 'clip.mp4');
    await promisify(execFile)('ffmpeg', [
      ...[
        '-hide_banner',
        '-nostdin',
        '-y',
        '-f',
        'lavfi',
        '-i',
        `testsrc2=size=${clip.width}x${clip.height}:rate=25`,
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=440',
      ],
      ...['-t', String(clip.seconds), '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-movflags', '+faststart', source],
    ]);
    const api = await startApi(ctx, 'empty', { env: { DEMO_VIDEO: 'false' } });
    const token = await accessToken(api, 'trainer@demo.local', BENCH_DEMO_PASSWORD);
    ctx.log(`transcoding the ${clip.seconds} s ${clip.height}p clip through the API…`);
    const assetId = await uploadFile(api, token, 'Bench first frame', await readFile(source));
    const asset = await waitReady(api, token, assetId);
    const master = await findFile(join(api.dataDir, 'objects', 'media', assetId), 'master.m3u8');
    await symlink(join(master, '..'), join(work, 'hls'));
    const site = await startPlayerSite({ staticDir: work, apiOrigin: api.origin, token });
    const browser = await launchSystemChromium();
    const side = (label: string, query: string): Side => ({ label, run: () => firstFrameMs(browser, `${site.origin}/play.html?${query}`) });
    return {
      reference: side('same HLS files from a static folder (hls.js)', `src=/static/hls/${relative(join(master, '..'), master)}`),
      subjects: [
        side('platform: signed HLS via the API (hls.js)', `asset=${assetId}`),
        side(`source as one progressive MP4 (${clip.height}p)`, 'mp4=/static/clip.mp4'),
      ],
      notes: () => ({
        clip: `${clip.seconds} s ${clip.width}x${clip.height}`,
        renditions: asset.renditions.map((r) => r.name).join(' '),
        throttle: `${THROTTLE.downKbps} kbps down / ${THROTTLE.upKbps} kbps up / ${THROTTLE.latencyMs} ms`,
        target: '≤ 2000 ms',
      }),
      close: async () => {
        await browser.close();
        await site.close();
        await api.stop();
      },
    };
  },
};
