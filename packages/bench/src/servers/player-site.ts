import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { extname, join, normalize, sep } from 'node:path';

/**
 * The page a first-frame round opens, and what it fetches: hls.js, a bare static folder (the reference:
 * the same HLS files or the source MP4, no signing, no API), and `/api/*` and `/objects/*` passed to the
 * API with the viewer's token, as the web server's proxy does. One small Node server on 127.0.0.1.
 */
export interface PlayerSite {
  origin: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.m4s': 'video/iso.segment',
  '.mp4': 'video/mp4',
  '.aac': 'audio/aac',
  '.jpg': 'image/jpeg',
  '.js': 'text/javascript; charset=utf-8',
};

const hlsScript = createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js');

/** Same settings as the platform's player (apps/web VideoPlayer.svelte): lowest rung first, no worker. */
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>first frame</title></head><body>
<video muted playsinline width="640" height="360"></video>
<script src="/hls.js"></script>
<script>
(async () => {
  const q = new URLSearchParams(location.search);
  const video = document.querySelector('video');
  const t0 = performance.now();
  const done = () => { if (window.ttff === undefined) window.ttff = performance.now() - t0; };
  if ('requestVideoFrameCallback' in video) video.requestVideoFrameCallback(done);
  else video.addEventListener('playing', done, { once: true });
  try {
    if (q.get('mp4')) {
      video.src = q.get('mp4');
    } else {
      let src = q.get('src');
      if (q.get('asset')) {
        const r = await fetch('/api/media/' + q.get('asset') + '/playback');
        if (!r.ok) throw new Error('playback HTTP ' + r.status);
        src = (await r.json()).masterUrl;
      }
      const hls = new Hls({ startLevel: 0, capLevelToPlayerSize: true, enableWorker: false });
      hls.on(Hls.Events.ERROR, (_e, d) => { if (d.fatal) window.ttffError = d.type + ': ' + d.details; });
      hls.loadSource(src);
      hls.attachMedia(video);
    }
    await video.play();
  } catch (e) {
    window.ttffError = String(e);
  }
})();
</script></body></html>`;

function sendFile(res: ServerResponse, file: string): void {
  if (!existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': statSync(file).size,
    'cache-control': 'no-store',
  });
  createReadStream(file).pipe(res);
}

function proxy(req: IncomingMessage, res: ServerResponse, apiOrigin: string, token: string): void {
  const target = new URL(req.url ?? '/', apiOrigin);
  const upstream = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host, authorization: `Bearer ${token}` } }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => res.writeHead(502).end());
  req.pipe(upstream);
}

export async function startPlayerSite(options: { staticDir: string; apiOrigin: string; token: string }): Promise<PlayerSite> {
  const root = normalize(options.staticDir);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/play.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(PAGE);
    } else if (path === '/hls.js') {
      sendFile(res, hlsScript);
    } else if (path.startsWith('/static/')) {
      const file = normalize(join(root, path.slice('/static/'.length)));
      if (!file.startsWith(root + sep)) res.writeHead(403).end();
      else sendFile(res, file);
    } else if (path.startsWith('/api/') || path.startsWith('/objects/')) {
      proxy(req, res, options.apiOrigin, options.token);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('player site has no port');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
