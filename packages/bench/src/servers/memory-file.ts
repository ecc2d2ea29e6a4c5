import { readFileSync } from 'node:fs';

export interface MemoryFigures {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  at: number;
}

/** The latest figures written by memory-probe.ts in the server process. */
export function readMemoryFile(file: string): MemoryFigures {
  return JSON.parse(readFileSync(file, 'utf8')) as MemoryFigures;
}

/** Samples the file every `everyMs` until stopped; answers the highest RSS and heap seen, in MiB. */
export function sampleMemory(file: string, everyMs = 50): { stop(): { rssMiB: number; heapMiB: number; externalMiB: number } } {
  let rss = 0;
  let heap = 0;
  let external = 0;
  const take = () => {
    try {
      const m = readMemoryFile(file);
      rss = Math.max(rss, m.rss);
      heap = Math.max(heap, m.heapUsed);
      external = Math.max(external, m.external);
    } catch {
      // between the probe's write and rename: the next sample reads it
    }
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      take();
      const mib = (n: number) => n / 1024 / 1024;
      return { rssMiB: mib(rss), heapMiB: mib(heap), externalMiB: mib(external) };
    },
  };
}
