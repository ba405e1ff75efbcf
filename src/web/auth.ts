// Authentication runs first on protected routes (onRequest: before the body is parsed or validated),
// so an anonymous caller learns nothing from its input: the API answers 401, pages redirect to
// sign-in. The identity module resolves `request.user` from the session; until then nobody is signed in.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { localeFromPath } from './context.js';
import type { Locale } from './i18n.js';

export interface AuthenticatedUser {
  id: number;
  organisationId: number | null;
  roles: string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthenticatedUser | null;
  }
  interface FastifyInstance {
    /** onRequest hook for protected routes: `{ onRequest: app.authenticate }`. */
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

export const signInPath = (locale: Locale, next: string): string => `/${locale}/staff/sign-in?next=${encodeURIComponent(next)}`;

/** Registered on the root instance, so every route can use it. */
export function registerAuth(app: FastifyInstance, opts: { defaultLocale: Locale }): void {
  app.decorateRequest('user', null);
  app.decorate('authenticate', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.user) return;
    if (request.url.startsWith('/api/')) {
      reply.header('www-authenticate', 'Session realm="nazaha"');
      throw new AppError('unauthenticated');
    }
    const locale = localeFromPath(request.url) ?? opts.defaultLocale;
    const next = request.method === 'GET' ? request.url : `/${locale}/staff`;
    return reply.header('cache-control', 'no-store').redirect(signInPath(locale, next), 303);
  });
}
