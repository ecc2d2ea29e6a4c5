import type { DatabaseHandle } from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLrsClient, createLrsClientAuthenticator, ensureLrsClient } from './lrs-clients.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase(process.env.TEST_DATABASE_URL);
});
afterAll(async () => h?.close());

describe('LRS client credentials', () => {
  it('remembers a good secret for the time allowed, then checks the database again', async () => {
    let clock = 0;
    const authenticate = createLrsClientAuthenticator(h.db, 'https://hoc.bacninh.vn', { ttlMs: 10_000, now: () => clock });
    await ensureLrsClient(h.db, { name: 'H5P', key: 'h5p-key', secret: 'first-secret', scopes: ['statements/write'] });
    expect((await authenticate('h5p-key', 'first-secret'))?.scopes).toEqual(new Set(['statements/write']));
    // the admin changes the secret: the old one still works from memory within the window, not after
    await ensureLrsClient(h.db, { name: 'H5P', key: 'h5p-key', secret: 'second-secret', scopes: ['statements/write'] });
    clock = 9_999;
    expect(await authenticate('h5p-key', 'first-secret')).not.toBeNull();
    clock = 10_001;
    expect(await authenticate('h5p-key', 'first-secret')).toBeNull();
    expect(await authenticate('h5p-key', 'second-secret')).not.toBeNull();
  });

  it('never remembers a wrong secret: the right one works at once afterwards', async () => {
    const authenticate = createLrsClientAuthenticator(h.db, 'https://hoc.bacninh.vn');
    const { key, secret } = await createLrsClient(h.db, { name: 'Storyline', scopes: ['all'] });
    expect(await authenticate(key, `${secret}x`)).toBeNull();
    expect(await authenticate(key, secret)).toMatchObject({ authority: { account: { name: key } } });
  });
});
