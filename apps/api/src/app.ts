import jwt from '@fastify/jwt';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type AuthDeps, createLrsClientAuthenticator } from '@hts/domain';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ApiConfig } from './config.ts';
import { OneLineAccessLog } from './plugins/access-log.ts';
import { registerErrorHandling } from './plugins/error-handler.ts';
import { registerSecurityHeaders } from './plugins/security-headers.ts';
import { adminUserRoutes } from './routes/admin-users.ts';
import { authRoutes } from './routes/auth.ts';
import { authoringRoutes } from './routes/authoring.ts';
import { courseRoutes } from './routes/courses.ts';
import { credentialRoutes } from './routes/credentials.ts';
import { criteriaRoutes } from './routes/criteria.ts';
import { evidenceRoutes } from './routes/evidence.ts';
import { indicatorRoutes } from './routes/indicators.ts';
import { learningRoutes } from './routes/learning.ts';
import { meRoutes } from './routes/me.ts';
import { mediaRoutes } from './routes/media.ts';
import { objectRoutes } from './routes/objects.ts';
import { referenceRoutes } from './routes/reference.ts';
import { registryRoutes } from './routes/registry.ts';
import { systemRoutes } from './routes/system.ts';
import { xapiRoutes } from './routes/xapi/index.ts';
import type { Services } from './services.ts';

declare module 'fastify' {
  interface FastifyInstance {
    authRateLimit: { max: number; timeWindow: number };
  }
}

export type AppConfig = Pick<
  ApiConfig,
  'publicUrl' | 'jwtSecret' | 'accessTokenTtlSeconds' | 'refreshTokenTtlSeconds' | 'trustProxy' | 'logLevel' | 'signInRateLimit' | 'nodeEnv'
>;

/**
 * Builds the API without listening: plugins in a fixed order (external, app, routes), as in fastify/demo.
 * Tests call this with their own database and clock; main.ts with the real ones.
 */
export async function buildApp(config: AppConfig, services: Services): Promise<FastifyInstance> {
  const app = Fastify({
    logger: config.nodeEnv === 'test' ? false : { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] },
    logController: new OneLineAccessLog(),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // 1. external plugins (helmet's security headers, computed once: see registerSecurityHeaders)
  registerSecurityHeaders(app, { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'] });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      code: 'rate_limited',
      message: `too many requests from this address; try again in ${Math.ceil(context.ttl / 1000)} s`,
    }),
  });
  await app.register(jwt, {
    secret: config.jwtSecret,
    sign: { expiresIn: config.accessTokenTtlSeconds, algorithm: 'HS256' },
    verify: { algorithms: ['HS256'] },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Học tập số API', description: 'Lifelong-learning platform of Bắc Ninh: accounts, learning, evidence, indicators.', version: '0.1.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, basic: { type: 'http', scheme: 'basic' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  // 2. application services
  app.decorate('services', services);
  app.decorate('authDeps', {
    db: services.db,
    clock: services.clock,
    tokens: { sign: (claims) => app.jwt.sign(claims), ttlSeconds: config.accessTokenTtlSeconds },
    refreshTtlSeconds: config.refreshTokenTtlSeconds,
    signInThrottle: { maxFailures: config.signInRateLimit.perAccountFailures, windowSeconds: config.signInRateLimit.perAccountWindowSeconds },
  } satisfies AuthDeps);
  app.decorate('authRateLimit', { max: config.signInRateLimit.perAddressPerMinute, timeWindow: 60_000 });
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('lrs', null);
  app.decorate('lrsHomePage', config.publicUrl);
  app.decorate('lrsAuthenticator', createLrsClientAuthenticator(services.db, config.publicUrl));
  registerErrorHandling(app);

  // 3. routes
  await app.register(systemRoutes);
  await app.register(authRoutes);
  await app.register(meRoutes);
  await app.register(referenceRoutes);
  await app.register(adminUserRoutes);
  await app.register(evidenceRoutes);
  await app.register(credentialRoutes);
  await app.register(xapiRoutes);
  await app.register(courseRoutes);
  await app.register(learningRoutes);
  await app.register(authoringRoutes);
  await app.register(mediaRoutes);
  await app.register(criteriaRoutes);
  await app.register(indicatorRoutes);
  await app.register(objectRoutes);
  await app.register(registryRoutes);
  await app.ready();
  return app;
}
