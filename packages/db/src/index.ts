export * from './client.ts';
export * from './inline.ts';
export * from './schema/index.ts';
export * from './seed.ts';
