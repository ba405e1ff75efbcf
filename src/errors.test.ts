import { describe, expect, it } from 'vitest';
import { loadCatalogs, locales } from './web/i18n.js';
import { errorCodes } from './errors.js';

describe('error codes', () => {
  const catalogs = loadCatalogs();
  it.each(locales)('each has a title in %s', (locale) => {
    const missing = Object.keys(errorCodes).filter((code) => !catalogs[locale][`errors.${code}.title`]);
    expect(missing).toEqual([]);
  });
});
