import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { AppError } from '../../errors.js';
import { type PageContext, pageContext } from '../../web/context.js';
import { parseForm } from '../../web/forms.js';
import { isLocale, type Locale, locales, translate } from '../../web/i18n.js';
import type { Mailer } from '../../mail/mailer.js';
import { sendPage } from '../../web/render.js';
import { otpauthUri, base32Encode } from './totp.js';
import { activateForm, passwordForm, resetForm, signInForm, signInQuery, tokenQuery } from './schemas.js';
import * as identity from './service.js';
import { clearSessionCookie, setSessionCookie } from './session-plugin.js';
import { Activate, ActivationExpired, RecoveryCodes } from './views/Activate.js';
import { ResetForm, ResetRequest } from './views/Reset.js';
import { SignIn } from './views/SignIn.js';
import { Account, StaffHome, type StaffFrame } from './views/Staff.js';

export interface IdentityRouteOptions { ctx: identity.IdentityContext; secureCookies: boolean; mailer: Mailer; publicUrl: string }

const messageKey = (problem: string): string => `password.${problem}`;

export async function identityRoutes(app: FastifyInstance, opts: IdentityRouteOptions): Promise<void> {
  const { ctx, secureCookies, mailer, publicUrl } = opts;
  const frame = (request: FastifyRequest, reply: FastifyReply, locale: Locale): StaffFrame => ({
    ctx: pageContext(request, reply, locale), session: request.session!, csrfToken: reply.generateCsrf(),
  });
  const shown = (page: PageContext, errors: Record<string, string | undefined>) =>
    Object.entries(errors).filter(([, v]) => v).map(([field, problem]) => ({ field, message: page.t(messageKey(problem!)) }));

  for (const locale of locales) {
    const base = `/${locale}/staff`;

    app.get(`${base}/sign-in`, { schema: { hide: true } }, async (request, reply) => {
      const query = signInQuery.parse(request.query ?? {});
      if (request.session) return reply.redirect(query.next ?? base, 303);
      return sendPage(reply, h(SignIn, { ctx: pageContext(request, reply, locale), csrfToken: reply.generateCsrf(), next: query.next ?? base, signedOut: query['signed-out'] !== undefined, reset: query.reset !== undefined }));
    });

    app.post(`${base}/sign-in`, { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
      const page = pageContext(request, reply, locale);
      const form = parseForm(signInForm, request.body);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const email = typeof body.email === 'string' ? body.email.slice(0, 254) : '';
      const next = form.ok ? form.data.next ?? base : base;
      const again = (status: number, key: string) =>
        sendPage(reply, h(SignIn, { ctx: page, csrfToken: reply.generateCsrf(), next, email, errors: [{ field: 'email', message: page.t(key) }] }), status);
      if (!form.ok) return again(400, 'signin.required');
      const result = await identity.signIn(ctx, { email: form.data.email, password: form.data.password, code: form.data.code, source: request.ip });
      if (!result.ok) return result.reason === 'throttled' ? again(429, 'signin.throttled') : again(400, 'signin.invalid');
      setSessionCookie(reply, result.cookie, secureCookies);
      return reply.redirect(next, 303);
    });

    app.post(`${base}/sign-out`, { schema: { hide: true }, onRequest: app.authenticate, preHandler: app.csrfProtection }, async (request, reply) => {
      await identity.signOut(ctx, request.session!);
      clearSessionCookie(reply, secureCookies);
      return reply.redirect(`${base}/sign-in?signed-out=1`, 303);
    });

    app.get(base, { schema: { hide: true }, onRequest: app.authenticate }, async (request, reply) =>
      sendPage(reply, h(StaffHome, { frame: frame(request, reply, locale) })),
    );

    app.get(`${base}/account`, { schema: { hide: true }, onRequest: app.authenticate }, async (request, reply) =>
      sendPage(reply, h(Account, { frame: frame(request, reply, locale), done: (request.query as Record<string, string>)?.done !== undefined })),
    );

    app.post(`${base}/account/password`, { schema: { hide: true }, onRequest: app.authenticate, preHandler: app.csrfProtection }, async (request, reply) => {
      const form = parseForm(passwordForm, request.body);
      if (!form.ok) throw new AppError('validation_failed');
      const result = await identity.changePassword(ctx, request.session!, form.data);
      if (result.ok) return reply.redirect(`${base}/account?done=1`, 303);
      const f = frame(request, reply, locale);
      return sendPage(reply, h(Account, { frame: f, errors: shown(f.ctx, result.errors) }), 400);
    });

    app.post(`${base}/account/sign-out-everywhere`, { schema: { hide: true }, onRequest: app.authenticate, preHandler: app.csrfProtection }, async (request, reply) => {
      await identity.signOut(ctx, request.session!, true);
      clearSessionCookie(reply, secureCookies);
      return reply.redirect(`${base}/sign-in?signed-out=1`, 303);
    });

    app.post(`${base}/account/recovery-codes`, { schema: { hide: true }, onRequest: app.authenticate, preHandler: app.csrfProtection }, async (request, reply) => {
      const codes = await identity.regenerateRecoveryCodes(ctx, request.session!);
      reply.header('cache-control', 'no-store');
      return sendPage(reply, h(RecoveryCodes, { ctx: pageContext(request, reply, locale), codes, next: base }));
    });

    app.get(`${base}/password-reset`, { schema: { hide: true } }, async (request, reply) =>
      sendPage(reply, h(ResetRequest, { ctx: pageContext(request, reply, locale), csrfToken: reply.generateCsrf(), sent: (request.query as Record<string, string>)?.sent !== undefined })),
    );

    app.post(`${base}/password-reset`, { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
      const email = String((request.body as Record<string, unknown> | undefined)?.email ?? '').slice(0, 254);
      const reset = email ? await identity.requestPasswordReset(ctx, email) : null;
      if (reset) {
        const l = isLocale(reset.locale) ? reset.locale : locale;
        await mailer.send({ to: reset.email, subject: translate(l, 'mail.reset.subject'), text: translate(l, 'mail.reset.text', { link: `${publicUrl}/${l}/staff/password-reset/new?token=${reset.token}` }) });
      }
      // The same answer whether or not the account exists.
      return reply.redirect(`${base}/password-reset?sent=1`, 303);
    });

    app.get(`${base}/password-reset/new`, { schema: { hide: true } }, async (request, reply) => {
      const page = pageContext(request, reply, locale);
      const { token } = tokenQuery.parse(request.query ?? {});
      if (!token || !(await identity.findPasswordReset(ctx, token))) return sendPage(reply, h(ActivationExpired, { ctx: page }), 410);
      return sendPage(reply, h(ResetForm, { ctx: page, csrfToken: reply.generateCsrf(), token }));
    });

    app.post(`${base}/password-reset/new`, { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
      const page = pageContext(request, reply, locale);
      const form = parseForm(resetForm, request.body);
      if (!form.ok) throw new AppError('validation_failed');
      const result = await identity.resetPassword(ctx, form.data);
      if (result.ok) return reply.redirect(`${base}/sign-in?reset=1`, 303);
      if (result.errors.token) return sendPage(reply, h(ActivationExpired, { ctx: page }), 410);
      return sendPage(reply, h(ResetForm, { ctx: page, csrfToken: reply.generateCsrf(), token: form.data.token, errors: shown(page, result.errors) }), 400);
    });

    app.get(`${base}/activate`, { schema: { hide: true } }, async (request, reply) => {
      const page = pageContext(request, reply, locale);
      const { token } = tokenQuery.parse(request.query ?? {});
      const user = token ? await identity.findActivation(ctx, token) : null;
      if (!token || !user) return sendPage(reply, h(ActivationExpired, { ctx: page }), 410);
      const secret = identity.newTotpSecret();
      return sendPage(reply, h(Activate, {
        ctx: page, csrfToken: reply.generateCsrf(), token, name: user.display_name,
        otpauth: otpauthUri({ secret, account: user.email, issuer: 'Nazaha' }), totpKey: base32Encode(secret).replace(/(.{4})(?=.)/g, '$1 '),
        pendingTotp: identity.sealPendingTotp(ctx, secret, token),
      }));
    });

    app.post(`${base}/activate`, { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
      const page = pageContext(request, reply, locale);
      const form = parseForm(activateForm, request.body);
      if (!form.ok) throw new AppError('validation_failed');
      const secret = identity.openPendingTotp(ctx, form.data.pending, form.data.token);
      const user = await identity.findActivation(ctx, form.data.token);
      if (!secret || !user) return sendPage(reply, h(ActivationExpired, { ctx: page }), 410);
      const result = await identity.activate(ctx, { token: form.data.token, password: form.data.password, confirm: form.data.confirm, totpSecret: secret, code: form.data.code });
      if (result.ok) {
        reply.header('cache-control', 'no-store');
        return sendPage(reply, h(RecoveryCodes, { ctx: page, codes: result.recoveryCodes }));
      }
      if (result.errors.token) return sendPage(reply, h(ActivationExpired, { ctx: page }), 410);
      return sendPage(reply, h(Activate, {
        ctx: page, csrfToken: reply.generateCsrf(), token: form.data.token, name: user.display_name,
        otpauth: otpauthUri({ secret, account: user.email, issuer: 'Nazaha' }), totpKey: base32Encode(secret).replace(/(.{4})(?=.)/g, '$1 '),
        pendingTotp: form.data.pending, errors: shown(page, result.errors),
      }), 400);
    });
  }
}
