import type { MediaAsset, MediaKind, UploadSession } from '@hts/contracts';

/**
 * Resumable upload from the browser, through the web server's `/api` proxy (the session cookie
 * authorises it). A file is cut into the parts the server asks for; the session id is kept in
 * localStorage under the file's name, size and date, so choosing the same file again after a reload
 * or a dropped link continues from the first missing part instead of starting over.
 */

export interface UploadProgress {
  sentBytes: number;
  totalBytes: number;
}

export interface UploadOptions {
  title: string;
  kind: MediaKind;
  /** Captions: the video or audio they belong to, and their language. */
  captionsFor?: string;
  language?: string;
  onProgress?: (progress: UploadProgress) => void;
  /** Tests pass their own; the browser's by default. */
  fetch?: typeof fetch;
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  sendPart?: PartSender;
  /** Pauses between attempts after a failed part; a weak link often recovers in seconds. */
  retryDelaysMs?: number[];
}

export type PartSender = (url: string, body: Blob, onProgress: (sent: number) => void) => Promise<void>;

export class UploadError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

export function resumeKey(file: Pick<File, 'name' | 'size' | 'lastModified'>): string {
  return `hts.upload:${file.name}:${file.size}:${file.lastModified}`;
}

async function json<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as T & { code?: string; message?: string };
  if (!response.ok) throw new UploadError(response.status, body.code ?? 'error', body.message ?? `HTTP ${response.status}`);
  return body;
}

/** Sends one part with XMLHttpRequest, the one browser API that reports upload progress. */
export const xhrSendPart: PartSender = (url, body, onProgress) =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else {
        let parsed: { code?: string; message?: string } = {};
        try {
          parsed = JSON.parse(xhr.responseText);
        } catch {
          // not JSON: keep the status
        }
        reject(new UploadError(xhr.status, parsed.code ?? 'error', parsed.message ?? `HTTP ${xhr.status}`));
      }
    };
    xhr.onerror = () => reject(new UploadError(0, 'network', 'the connection dropped'));
    xhr.send(body);
  });

/** Which parts are still missing, in order. */
export function missingParts(session: Pick<UploadSession, 'partCount' | 'receivedParts'>): number[] {
  const have = new Set(session.receivedParts.map((p) => p.partNumber));
  const out: number[] = [];
  for (let n = 1; n <= session.partCount; n++) if (!have.has(n)) out.push(n);
  return out;
}

export async function uploadMedia(file: File, options: UploadOptions): Promise<MediaAsset> {
  const doFetch = options.fetch ?? fetch;
  const storage = options.storage ?? localStorage;
  const sendPart = options.sendPart ?? xhrSendPart;
  const delays = options.retryDelaysMs ?? [1000, 3000, 10000];
  const key = resumeKey(file);

  let session: UploadSession | null = null;
  const saved = storage.getItem(key);
  if (saved) {
    const response = await doFetch(`/api/media/uploads/${saved}`);
    if (response.ok) {
      const found = (await response.json()) as UploadSession;
      if (found.status === 'open' && new Date(found.expiresAt).getTime() > Date.now()) session = found;
    }
    if (!session) storage.removeItem(key);
  }
  if (!session) {
    session = await json<UploadSession>(
      await doFetch('/api/media/uploads', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          title: options.title,
          kind: options.kind,
          size: file.size,
          ...(options.captionsFor ? { captionsFor: options.captionsFor, language: options.language ?? 'vi' } : {}),
        }),
      }),
    );
    storage.setItem(key, session.id);
  }

  const current = session;
  const partBytes = (n: number) => Math.min(current.partSize, file.size - (n - 1) * current.partSize);
  let done = current.receivedParts.reduce((sum, p) => sum + p.size, 0);
  options.onProgress?.({ sentBytes: done, totalBytes: file.size });

  for (const n of missingParts(current)) {
    const blob = file.slice((n - 1) * current.partSize, (n - 1) * current.partSize + partBytes(n));
    for (let attempt = 0; ; attempt++) {
      try {
        await sendPart(`/api/media/uploads/${current.id}/parts/${n}`, blob, (sent) => options.onProgress?.({ sentBytes: done + sent, totalBytes: file.size }));
        break;
      } catch (error) {
        // The server's answer is final for 4xx; a dropped link (0) or 5xx is worth another try.
        const status = error instanceof UploadError ? error.status : 0;
        if ((status >= 400 && status < 500) || attempt >= delays.length) throw error;
        await new Promise((r) => setTimeout(r, delays[attempt]));
      }
    }
    done += partBytes(n);
    options.onProgress?.({ sentBytes: done, totalBytes: file.size });
  }

  const asset = await json<MediaAsset>(
    await doFetch(`/api/media/uploads/${current.id}/complete`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
  ).finally(() => storage.removeItem(key));
  return asset;
}
