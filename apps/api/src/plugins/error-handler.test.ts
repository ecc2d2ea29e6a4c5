import { DomainError } from '@hts/domain';
import { StorageError } from '@hts/storage';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerErrorHandling } from './error-handler.ts';

async function appThrowing(error: unknown) {
  const app = Fastify({ logger: false });
  registerErrorHandling(app);
  app.get('/boom', async () => {
    throw error;
  });
  await app.ready();
  return app;
}

describe('error handler', () => {
  it('maps a domain error code to its status and keeps the field details', async () => {
    const app = await appThrowing(new DomainError('conflict', 'taken', [{ field: '/body/email', message: 'taken' }]));
    const res = await app.inject('/boom');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ code: 'conflict', message: 'taken', details: [{ field: '/body/email', message: 'taken' }] });
  });

  it('hides the message of an unexpected error behind a generic 500', async () => {
    const app = await appThrowing(new Error('connection string postgres://secret@db leaked'));
    const res = await app.inject('/boom');
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ code: 'internal', message: 'something went wrong on our side' });
    expect(res.body).not.toContain('secret');
  });

  it('turns an unreachable object store into 503 without its details', async () => {
    const app = await appThrowing(new StorageError('unavailable', 'connect ECONNREFUSED 10.0.0.5:9000'));
    const res = await app.inject('/boom');
    expect(res.statusCode).toBe(503);
    expect(res.body).not.toContain('10.0.0.5');
  });

  it('answers a missing object with 404', async () => {
    const app = await appThrowing(new StorageError('not_found', 'no object videos/x'));
    expect((await app.inject('/boom')).statusCode).toBe(404);
  });

  it('sends Retry-After with a rate-limited domain error', async () => {
    const app = await appThrowing(new DomainError('rate_limited', 'slow down', undefined, 42));
    const res = await app.inject('/boom');
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('42');
  });
});
