// The home page in every language: attributes, accessibility (axe, WCAG 2.2 AA), language switcher,
// language negotiation on /, skip link, and small screens.
import AxeBuilder from '@axe-core/playwright';
import { type Page, expect, test } from '@playwright/test';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function expectNoAxeViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  const found = violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, `axe found violations on ${page.url()}:\n${found.join('\n')}`).toEqual([]);
}

for (const lang of ['ar', 'fr', 'en', 'zgh']) {
  test(`/${lang}/ has the right language and direction and no axe violation`, async ({ page }) => {
    await page.goto(`/${lang}/`);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await expect(page.locator('html')).toHaveAttribute('dir', lang === 'ar' ? 'rtl' : 'ltr');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectNoAxeViolations(page);
  });
}

test('the language switcher moves between languages', async ({ page }) => {
  await page.goto('/fr/');
  await page.getByRole('navigation', { name: 'Langue' }).getByRole('link', { name: 'العربية' }).click();
  await expect(page).toHaveURL('/ar/');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await page.getByRole('link', { name: 'ⵜⴰⵎⴰⵣⵉⵖⵜ' }).click();
  await expect(page).toHaveURL('/zgh/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zgh');
});

for (const [locale, lang] of [['ar-MA', 'ar'], ['en-US', 'en']]) {
  test(`/ redirects a browser in ${locale} to /${lang}/`, async ({ browser }) => {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    await page.goto('/');
    await expect(page).toHaveURL(`/${lang}/`);
    await context.close();
  });
}

test('the skip link is the first focusable element', async ({ page }) => {
  await page.goto('/fr/');
  await page.keyboard.press('Tab');
  await expect(page.locator(':focus')).toHaveAttribute('href', /#main$/);
});

test.describe('at 320 CSS pixels wide', () => {
  test.use({ viewport: { width: 320, height: 640 } });
  for (const lang of ['ar', 'fr']) {
    test(`/${lang}/ does not scroll horizontally`, async ({ page }) => {
      await page.goto(`/${lang}/`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    });
  }
});
