/**
 * Loaded into a server the bench starts (`node --import <this file> …`): every 50 ms it writes the
 * process's own memory figures (RSS, V8 heap, array buffers) to BENCH_MEMORY_FILE, so the bench can read
 * the heap of a process it does not share memory with. Never imported by an app.
 */
import { renameSync, writeFileSync } from 'node:fs';

const file = process.env.BENCH_MEMORY_FILE;
if (file) {
  const write = () => {
    // whole-file replace: a reader never sees half a record
    writeFileSync(`${file}.tmp`, JSON.stringify({ ...process.memoryUsage(), at: Date.now() }));
    renameSync(`${file}.tmp`, file);
  };
  setInterval(write, 50).unref();
  write();
}
