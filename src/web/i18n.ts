// ICU MessageFormat catalogs (locales/*.json), one flat key space grouped by page ("home.title").
import fs from 'node:fs';
import { IntlMessageFormat } from 'intl-messageformat';
import { projectPath } from '../paths.js';

export const locales = ['ar', 'fr', 'en', 'zgh'] as const;
export type Locale = (typeof locales)[number];
export const isLocale = (v: unknown): v is Locale => typeof v === 'string' && (locales as readonly string[]).includes(v);

export const localeInfo: Record<Locale, { dir: 'rtl' | 'ltr'; name: string; intl: string }> = {
  ar: { dir: 'rtl', name: 'العربية', intl: 'ar-MA' },
  fr: { dir: 'ltr', name: 'Français', intl: 'fr-MA' },
  en: { dir: 'ltr', name: 'English', intl: 'en' },
  zgh: { dir: 'ltr', name: 'ⵜⴰⵎⴰⵣⵉⵖⵜ', intl: 'zgh' },
};

export type Catalog = Record<string, string>;
export type MessageValues = Record<string, string | number | Date>;

export function loadCatalogs(): Record<Locale, Catalog> {
  return Object.fromEntries(
    locales.map((l) => [l, JSON.parse(fs.readFileSync(projectPath('locales', `${l}.json`), 'utf8')) as Catalog]),
  ) as Record<Locale, Catalog>;
}

const catalogs = loadCatalogs();
const cache = new Map<string, IntlMessageFormat>();

export class MissingMessageError extends Error {}

/** Translates `key` into `locale`; a missing key is a programming error caught by the locale tests. */
export function translate(locale: Locale, key: string, values?: MessageValues): string {
  const id = `${locale}\u0000${key}`;
  let fmt = cache.get(id);
  if (!fmt) {
    const source = catalogs[locale][key];
    if (source === undefined) throw new MissingMessageError(`Missing message "${key}" in locale ${locale}`);
    fmt = new IntlMessageFormat(source, localeInfo[locale].intl);
    cache.set(id, fmt);
  }
  return String(fmt.format(values));
}

export type T = (key: string, values?: MessageValues) => string;
export const translator = (locale: Locale): T => (key, values) => translate(locale, key, values);

// Tamazight is written under several codes; all of them are served in Standard Moroccan Tamazight.
const aliases: Record<string, Locale> = { ar: 'ar', fr: 'fr', en: 'en', zgh: 'zgh', tzm: 'zgh', shi: 'zgh', rif: 'zgh', ber: 'zgh' };

/** Picks the best supported locale from an Accept-Language header. */
export function negotiateLocale(header: string | undefined, fallback: Locale): Locale {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { base: tag.toLowerCase().split('-')[0] ?? '', weight: Number.isFinite(weight) ? weight : 0, i };
    })
    .filter((x) => x.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.i - b.i);
  for (const r of ranked) {
    const hit = aliases[r.base];
    if (hit) return hit;
  }
  return fallback;
}
