export * from './admin.ts';
export * from './auth.ts';
export * from './common.ts';
export * from './errors.ts';
export * from './media.ts';
export * from './reference.ts';
export * from './routes.ts';
