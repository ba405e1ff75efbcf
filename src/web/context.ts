import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Locale, type T, isLocale, translator } from './i18n.js';

/** What every server-rendered view needs to know about the request it answers. */
export interface PageContext {
  locale: Locale;
  t: T;
  /** CSP nonce for this response's inline scripts, if any. */
  nonce: string;
  /** The path after /{lang}, starting with "/", used by the language switcher. */
  rest: string;
}

export function localeFromPath(url: string): Locale | undefined {
  const seg = url.split('/')[1]?.split('?')[0];
  return isLocale(seg) ? seg : undefined;
}

export function pageContext(request: FastifyRequest, reply: FastifyReply, fallback: Locale): PageContext {
  const locale = localeFromPath(request.url) ?? fallback;
  const path = request.url.split('?')[0] ?? '/';
  const rest = localeFromPath(path) ? path.slice(locale.length + 1) || '/' : '/';
  return { locale, t: translator(locale), nonce: reply.cspNonce?.script ?? '', rest };
}
