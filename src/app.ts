// Builds the Fastify app from a config and an open database, without listening: tests use
// app.inject, main.ts listens.
import crypto from 'node:crypto';
import type { Writable } from 'node:stream';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { type Config, portalUrl } from './config.js';
import type { Database } from './db/index.js';
import { caseApiRoutes } from './modules/cases/api-routes.js';
import { holidayRoutes } from './modules/cases/clocks/routes.js';
import { caseExportRoutes } from './modules/cases/export-routes.js';
import { casePageRoutes } from './modules/cases/routes.js';
import { caseRetentionRoutes } from './modules/cases/retention-routes.js';
import { caseStatisticsRoutes } from './modules/cases/statistics-routes.js';
import { feedbackRoutes } from './modules/feedback/routes.js';
import { homeRoutes } from './modules/home/routes.js';
import { adminRoutes } from './modules/identity/admin-routes.js';
import { identityRoutes } from './modules/identity/routes.js';
import { createMailer } from './mail/mailer.js';
import { registerSessions } from './modules/identity/session-plugin.js';
import { institutionRoutes } from './modules/institutions/routes.js';
import { orientationAdminRoutes } from './modules/orientation/admin-routes.js';
import { orientationRoutes } from './modules/orientation/routes.js';
import { questionnaireBuilderRoutes } from './modules/reports/builder-routes.js';
import { reportRoutes } from './modules/reports/routes.js';
import { staffReportRoutes } from './modules/reports/staff-routes.js';
import { clientKeyer } from './web/rate-limit.js';
import { systemRoutes } from './modules/system/routes.js';
import { deriveKey, loadRootSecret } from './secrets.js';
import { createStorage } from './storage/index.js';
import { assetRoutes } from './web/assets.js';
import { registerAuth } from './web/auth.js';
import { registerErrorHandling } from './web/error-handler.js';
import { registerPlugins } from './web/plugins.js';

declare module 'fastify' {
  interface FastifyInstance {
    registeredRoutes: { method: string; url: string }[];
  }
}

export interface AppOptions {
  config: Config;
  database: Database;
  /** Where logs go (default: standard output). */
  logStream?: Writable;
}

// Request logs carry method, path and status only: never the client address, user agent, query
// string (it may hold a receipt or a search) or headers.
const serializers = {
  req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
  res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
};

export async function buildApp({ config, database, logStream }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      serializers,
      redact: { paths: ['req.headers', 'req.remoteAddress', 'req.hostname'], remove: true },
      ...(logStream ? { stream: logStream } : {}),
    },
    // A number is a hop count (Fastify accepts it; its type declaration omits it).
    trustProxy: config.trustProxy as boolean | string[],
    bodyLimit: config.bodyLimit,
    genReqId: () => crypto.randomUUID(),
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: false },
    return503OnClosing: true,
  });
  // Every route, as registered: the permission-matrix test walks this list.
  const routes: { method: string; url: string }[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url });
  });
  app.decorate('registeredRoutes', routes);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const root = loadRootSecret(config);
  const secureCookies = config.publicUrl?.startsWith('https:') ?? false;
  const identity = { database, totpKey: deriveKey(root, 'totp'), throttleKey: deriveKey(root, 'sign-in-throttle') };
  registerErrorHandling(app, config.defaultLocale);
  registerAuth(app, { defaultLocale: config.defaultLocale });
  await registerPlugins(app, { config, db: database.db, cookieSecret: deriveKey(root, 'cookies') });
  registerSessions(app, identity, { secure: secureCookies });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Nazaha API',
        version: '1.0.0',
        description: 'Open data and services of the Nazaha national integrity portal. Errors are application/problem+json (RFC 9457) with a stable `code`; send Accept-Language (ar, fr, en, zgh) for translated titles.',
        license: { name: 'AGPL-3.0-or-later (software); each dataset states its own licence', identifier: 'AGPL-3.0-or-later' },
        contact: { name: 'Nazaha portal team' },
      },
      servers: [{ url: config.publicUrl ?? '/', description: 'This portal' }],
      tags: [
        { name: 'institutions', description: 'The institutions directory, and the regions and provinces of Morocco' },
        { name: 'orientation', description: 'Statistics of the orientation guide' },
        { name: 'feedback', description: 'Anonymous answers to "Is this page useful?"' },
        { name: 'operations', description: 'Liveness and readiness probes' },
        { name: 'cases', description: 'Case handling, for institution staff only (session cookie)' },
      ],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: secureCookies ? '__Host-nazaha-session' : 'nazaha-session', description: 'The session cookie set by staff sign-in' },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { validatorUrl: null, deepLinking: false },
    staticCSP: true,
    // Swagger UI's own page: same-origin assets only, no validator badge, no upgrade of loopback HTTP.
    transformStaticCSP: () => "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(assetRoutes);
  await app.register(systemRoutes, { database });
  await app.register(homeRoutes, { defaultLocale: config.defaultLocale });
  await app.register(feedbackRoutes, { db: database.db });
  await app.register(institutionRoutes, { db: database.db });
  await app.register(orientationRoutes, { db: database.db });
  await app.register(orientationAdminRoutes, { database });
  const uploads = { storage: createStorage(config.storage), limits: config.attachments };
  await app.register(reportRoutes, {
    database, secureCookies, sourceKey: clientKeyer(database.db), uploads, powKey: deriveKey(root, 'report-pow'), submissionsPerHour: config.submissionsPerHour,
  });
  await app.register(staffReportRoutes, { database });
  await app.register(questionnaireBuilderRoutes, { database });
  const cases = { database, identity, noticeKey: deriveKey(root, 'reporter-notices'), uploads };
  await app.register(caseApiRoutes, { ctx: cases });
  await app.register(casePageRoutes, { ctx: cases });
  await app.register(caseExportRoutes, { ctx: cases, defaultLocale: config.defaultLocale });
  await app.register(caseRetentionRoutes, { ctx: cases });
  await app.register(caseStatisticsRoutes, { ctx: { database } });
  await app.register(holidayRoutes, { database });
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir });
  app.addHook('onClose', async () => mailer.close());
  await app.register(identityRoutes, { ctx: identity, secureCookies, mailer, publicUrl: portalUrl(config) });
  await app.register(adminRoutes, { ctx: { ...identity, mailer, publicUrl: portalUrl(config) } });
  return app;
}
