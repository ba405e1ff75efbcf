// "Was this page useful?" works without JavaScript: the error journey (summary, title prefix, message
// on the field) and the successful answer, in French and in Arabic; and the error state passes axe.
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type Page, expect, test } from '@playwright/test';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function noScriptPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  return context.newPage();
}

/** From the home page, follows the footer link and sends the form without choosing. */
async function submitEmptyForm(page: Page, lang: string, footerLink: string, submit: string): Promise<void> {
  await page.goto(`/${lang}/`);
  await page.getByRole('contentinfo').getByRole('link', { name: footerLink }).click();
  await expect(page).toHaveURL(`/${lang}/feedback?page=%2F${lang}%2F`);
  await page.getByRole('button', { name: submit }).click();
}

test('French, without JavaScript: an empty answer is explained, then "Oui" is recorded', async ({ browser }) => {
  const page = await noScriptPage(browser);
  await submitEmptyForm(page, 'fr', 'Cette page vous a-t-elle été utile ?', 'Envoyer');
  await expect(page.getByRole('alert').getByRole('link', { name: 'Choisissez Oui ou Non' })).toHaveAttribute('href', '#useful');
  expect(await page.title()).toMatch(/^Erreur :/);
  await expect(page.getByRole('group', { name: 'La page que vous avez consultée vous a-t-elle été utile ?' })).toContainText('Choisissez Oui ou Non');

  await page.getByLabel('Oui').check();
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await expect(page).toHaveURL('/fr/feedback/thanks?page=%2Ffr%2F');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Merci pour votre réponse');
  await expect(page.getByRole('link', { name: 'Revenir à la page que vous lisiez' })).toHaveAttribute('href', '/fr/');
  await page.context().close();
});

test('Arabic, without JavaScript: an empty answer is explained in Arabic', async ({ browser }) => {
  const page = await noScriptPage(browser);
  await submitEmptyForm(page, 'ar', 'هل كانت هذه الصفحة مفيدة؟', 'إرسال');
  await expect(page.getByRole('alert').getByRole('link', { name: 'اختر نعم أو لا' })).toHaveAttribute('href', '#useful');
  expect(await page.title()).toMatch(/^خطأ:/);
  await expect(page.getByRole('group', { name: 'هل كانت الصفحة التي زرتها مفيدة لك؟' })).toContainText('اختر نعم أو لا');
  await page.context().close();
});

// axe runs inside the page, so this check needs JavaScript; the server renders the same error page.
test('the error state has no axe violation', async ({ page }) => {
  await submitEmptyForm(page, 'fr', 'Cette page vous a-t-elle été utile ?', 'Envoyer');
  await expect(page.getByRole('alert')).toBeVisible();
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  const found = violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, `axe found violations on ${page.url()}:\n${found.join('\n')}`).toEqual([]);
});
