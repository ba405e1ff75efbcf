import { IntlMessageFormat } from 'intl-messageformat';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { loadCatalogs, locales, negotiateLocale, translate } from './i18n.js';

const catalogs = loadCatalogs();
// Words spelled the same in English and French.
const sameInEnglishAndFrench = new Set(['site.name', 'home.services', 'home.service.consultations.title', 'users.col.organisation', 'users.invite.organisation', 'audit.action', 'users.col.email', 'users.col.actions', 'orgs.title', 'staff.nav.organisations', 'orgs.kind.institution', 'rules.version', 'followup.messages', 'followup.protection.title', 'questionnaires.version', 'questionnaires.type.date', 'questionnaires.json', 'stats.filter.organisation', 'stats.below', 'holidays.day', 'holidays.actions']);
const keys = (l: (typeof locales)[number]) => Object.keys(catalogs[l]).sort();

/** Every argument a message uses, with a value of the right kind. */
function sampleValues(elements: MessageFormatElement[], out: Record<string, string | number> = {}): Record<string, string | number> {
  for (const e of elements) {
    if (e.type === TYPE.argument) out[e.value] = 'x';
    if (e.type === TYPE.number || e.type === TYPE.plural) out[e.value] = 3;
    if (e.type === TYPE.plural || e.type === TYPE.select) for (const o of Object.values(e.options)) sampleValues(o.value, out);
  }
  return out;
}

function pluralOptions(elements: MessageFormatElement[]): string[][] {
  return elements.flatMap((e) => (e.type === TYPE.plural ? [Object.keys(e.options), ...Object.values(e.options).flatMap((o) => pluralOptions(o.value))] : []));
}

describe('message catalogs', () => {
  it.each(locales)('%s has exactly the keys of the English catalog', (locale) => {
    expect(keys(locale)).toEqual(keys('en'));
  });

  it.each(locales)('every %s message parses as ICU MessageFormat and formats', (locale) => {
    for (const [key, source] of Object.entries(catalogs[locale])) {
      expect(() => new IntlMessageFormat(source, locale).format(sampleValues(parse(source))), `${locale}:${key}`).not.toThrow();
    }
  });

  it.each(locales)('%s messages use the same placeholders as English', (locale) => {
    for (const [key, source] of Object.entries(catalogs.en)) {
      expect(Object.keys(sampleValues(parse(catalogs[locale][key]!))).sort(), `${locale}:${key}`).toEqual(Object.keys(sampleValues(parse(source))).sort());
    }
  });

  it('Arabic plural messages give all six plural forms', () => {
    for (const [key, source] of Object.entries(catalogs.ar)) {
      for (const options of pluralOptions(parse(source))) {
        expect(options.sort(), key).toEqual(['few', 'many', 'one', 'other', 'two', 'zero']);
      }
    }
  });

  it.each(['ar', 'en', 'zgh'] as const)('%s is a real translation, not a copy of French', (locale) => {
    const same = Object.keys(catalogs.fr).filter((k) => catalogs[locale][k] === catalogs.fr[k] && !sameInEnglishAndFrench.has(k));
    expect(same).toEqual([]);
  });

  it('Tamazight is written in Tifinagh', () => {
    const tifinagh = /[\u2D30-\u2D7F]/;
    const latinOnly = Object.entries(catalogs.zgh).filter(([, v]) => !tifinagh.test(v)).map(([k]) => k);
    expect(latinOnly).toEqual([]);
  });

  it('formats placeholders with plural rules of the language', () => {
    expect(translate('ar', 'validation.too_long', { max: 2 })).toBe('استعمل حرفين على الأكثر');
    expect(translate('fr', 'validation.too_long', { max: 300 })).toBe('Utilisez au plus 300 caractères');
  });
});

describe('negotiateLocale', () => {
  it('takes the best supported language by weight', () => {
    expect(negotiateLocale('de-DE,de;q=0.9,ar;q=0.8,fr;q=0.7', 'fr')).toBe('ar');
    expect(negotiateLocale('en-GB;q=0.5, fr-MA;q=0.9', 'ar')).toBe('fr');
  });
  it('serves every Tamazight code in Standard Moroccan Tamazight', () => {
    expect(negotiateLocale('tzm-Tfng-MA', 'fr')).toBe('zgh');
    expect(negotiateLocale('shi', 'fr')).toBe('zgh');
  });
  it('falls back when nothing matches, or on a malformed header', () => {
    expect(negotiateLocale('de, es;q=0.5', 'fr')).toBe('fr');
    expect(negotiateLocale(';;;q=abc,,', 'en')).toBe('en');
    expect(negotiateLocale(undefined, 'ar')).toBe('ar');
    expect(negotiateLocale('ar;q=0', 'fr')).toBe('fr');
  });
});
