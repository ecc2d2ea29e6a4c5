export * from './audit.ts';
export * from './geo.ts';
export * from './idempotency.ts';
export * from './jobs.ts';
export * from './media.ts';
export * from './refresh-tokens.ts';
export * from './target-groups.ts';
export * from './users.ts';
