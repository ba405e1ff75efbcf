// Resolves the signed-in user from the session cookie on every request, before any route hook, so
// that app.authenticate and policies see request.user.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type IdentityContext, type ResolvedSession, resolveSession } from './service.js';

declare module 'fastify' {
  interface FastifyRequest {
    session: ResolvedSession | null;
  }
}

export const sessionCookieName = (secure: boolean): string => (secure ? '__Host-nazaha-session' : 'nazaha-session');

export function registerSessions(app: FastifyInstance, ctx: IdentityContext, opts: { secure: boolean }): void {
  const name = sessionCookieName(opts.secure);
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (request) => {
    const cookie = request.cookies[name];
    if (!cookie) return;
    const session = await resolveSession(ctx, cookie);
    if (!session) return;
    request.session = session;
    request.user = { id: session.user.id, organisationId: session.user.organisation_id, roles: session.roles };
  });
}

export function setSessionCookie(reply: FastifyReply, value: string, secure: boolean): void {
  // No Max-Age: the cookie dies with the browser; the server enforces the 30-minute and 12-hour limits.
  reply.setCookie(sessionCookieName(secure), value, { path: '/', httpOnly: true, sameSite: 'strict', secure });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(sessionCookieName(secure), { path: '/', httpOnly: true, sameSite: 'strict', secure });
}
