export * from './admin.ts';
export * from './auth.ts';
export * from './common.ts';
export * from './course-doc.ts';
export * from './courses.ts';
export * from './errors.ts';
export * from './reference.ts';
export * from './routes.ts';
