import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** The API is started as a process (nothing imports an app): this is where its entry point lives. */
export const apiDir = fileURLToPath(new URL('../../../apps/api/', import.meta.url));
