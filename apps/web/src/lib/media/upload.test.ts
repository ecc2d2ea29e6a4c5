import { describe, expect, it } from 'vitest';
import { missingParts, resumeKey, UploadError, uploadMedia } from './upload.ts';

const MiB = 1024 * 1024;

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
    map,
  };
}

function fakeServer(partSize: number) {
  const sessions = new Map<string, { size: number; parts: Map<number, number>; status: string }>();
  let next = 1;
  const respond = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const view = (id: string) => {
    const s = sessions.get(id) as { size: number; parts: Map<number, number>; status: string };
    return {
      id,
      assetId: `asset-${id}`,
      status: s.status,
      expectedSize: s.size,
      partSize,
      partCount: Math.ceil(s.size / partSize),
      receivedParts: [...s.parts].map(([partNumber, size]) => ({ partNumber, size, etag: 'e' })),
      nextPart: null,
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    };
  };
  const fetchImpl = (async (url: string, init?: RequestInit) => {
    if (url === '/api/media/uploads' && init?.method === 'POST') {
      const id = `s${next++}`;
      sessions.set(id, { size: JSON.parse(String(init.body)).size, parts: new Map(), status: 'open' });
      return respond(201, view(id));
    }
    const complete = url.match(/^\/api\/media\/uploads\/(\w+)\/complete$/);
    if (complete) return respond(200, { id: `asset-${complete[1]}`, status: 'queued' });
    const get = url.match(/^\/api\/media\/uploads\/(\w+)$/);
    if (get) return sessions.has(get[1] as string) ? respond(200, view(get[1] as string)) : respond(404, { code: 'not_found' });
    return respond(404, { code: 'not_found' });
  }) as unknown as typeof fetch;
  return { sessions, fetchImpl };
}

const file = (size: number) => new File([new Uint8Array(size)], 'bai-hoc.mp4', { type: 'video/mp4', lastModified: 1 });

describe('uploadMedia', () => {
  it('sends every part, reports progress and completes', async () => {
    const server = fakeServer(5 * MiB);
    const sent: number[] = [];
    const progress: number[] = [];
    const asset = await uploadMedia(file(11 * MiB), {
      title: 'Bài 1',
      kind: 'video',
      fetch: server.fetchImpl,
      storage: memoryStorage(),
      sendPart: async (url, blob) => {
        const n = Number(url.split('/').pop());
        sent.push(n);
        server.sessions.get('s1')?.parts.set(n, blob.size);
      },
      onProgress: (p) => progress.push(p.sentBytes),
    });
    expect(sent).toEqual([1, 2, 3]);
    expect(progress.at(-1)).toBe(11 * MiB);
    expect(asset.status).toBe('queued');
  });

  it('resumes from the first missing part after the link drops and the page reloads', async () => {
    const server = fakeServer(5 * MiB);
    const storage = memoryStorage();
    const f = file(11 * MiB);
    const sendPart = async (url: string, blob: Blob) => {
      const n = Number(url.split('/').pop());
      if (n === 2) throw new UploadError(0, 'network', 'the connection dropped');
      server.sessions.get('s1')?.parts.set(n, blob.size);
    };
    await expect(uploadMedia(f, { title: 'Bài 1', kind: 'video', fetch: server.fetchImpl, storage, sendPart, retryDelaysMs: [] })).rejects.toThrow(/dropped/);
    expect(storage.getItem(resumeKey(f))).toBe('s1');

    const sent: number[] = [];
    await uploadMedia(f, {
      title: 'Bài 1',
      kind: 'video',
      fetch: server.fetchImpl,
      storage,
      sendPart: async (url, blob) => {
        const n = Number(url.split('/').pop());
        sent.push(n);
        server.sessions.get('s1')?.parts.set(n, blob.size);
      },
    });
    expect(sent).toEqual([2, 3]);
    expect(storage.getItem(resumeKey(f))).toBeNull();
  });

  it('does not retry a part the server refused', async () => {
    const server = fakeServer(5 * MiB);
    let calls = 0;
    const sendPart = async () => {
      calls++;
      throw new UploadError(413, 'payload_too_large', 'too big');
    };
    await expect(
      uploadMedia(file(MiB), { title: 'x', kind: 'video', fetch: server.fetchImpl, storage: memoryStorage(), sendPart, retryDelaysMs: [1] }),
    ).rejects.toThrow('too big');
    expect(calls).toBe(1);
  });

  it('lists the missing parts in order', () => {
    expect(missingParts({ partCount: 4, receivedParts: [{ partNumber: 3, size: 1, etag: 'e' }] })).toEqual([1, 2, 4]);
  });
});
