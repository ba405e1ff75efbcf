// The orientation guide as a citizen uses it, with JavaScript off: from the first question to the
// result, in French, Arabic and Tamazight, accessible at every step.
import AxeBuilder from '@axe-core/playwright';
import { type Browser, expect, type Page, test } from '@playwright/test';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function noScript(browser: Browser): Promise<Page> {
  return (await browser.newContext({ javaScriptEnabled: false })).newPage();
}

async function axe(page: Page) {
  // axe runs inside the page: check the same URL in a context with JavaScript on.
  const context = await page.context().browser()!.newContext();
  const copy = await context.newPage();
  await copy.goto(page.url());
  const { violations } = await new AxeBuilder({ page: copy }).withTags(WCAG).analyze();
  await context.close();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), page.url()).toEqual([]);
}

async function choose(page: Page, label: string, submit: string) {
  await page.getByLabel(label, { exact: true }).check();
  await page.getByRole('button', { name: submit }).click();
}

test('French: corruption, not before a court, Casablanca-Settat → INPPLC, with reasons and a way to report', async ({ browser }) => {
  const page = await noScript(browser);
  await page.goto('/fr/');
  await page.getByRole('link', { name: 'Trouver la bonne institution' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("De quoi s'agit-il ?");
  await expect(page.getByText('Question 1 sur 4 au plus')).toBeVisible();
  await axe(page);
  await choose(page, "Une corruption : pot-de-vin, détournement, trafic d'influence, conflit d'intérêts", 'Continuer');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("L'affaire est-elle déjà devant un tribunal ?");
  await choose(page, 'Non', 'Continuer');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Dans quelle région cela s'est-il passé ?");
  await axe(page);
  await choose(page, 'Casablanca-Settat', 'Continuer');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('À qui vous adresser');
  await expect(page.getByText('Instance Nationale de la Probité, de la Prévention et de la Lutte contre la Corruption', { exact: true })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: "L'affaire n'est pas devant un tribunal." })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Signaler à cette institution sur Nazaha' })).toHaveAttribute('href', /\/fr\/report\?institution=inpplc&orientation=\d+-corruption\.no\.MA-06$/);
  await axe(page);
  await page.getByRole('link', { name: 'Retour' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Dans quelle région cela s'est-il passé ?");
});

test('Arabic: an unanswered question is explained; maladministration → Médiateur du Royaume', async ({ browser }) => {
  const page = await noScript(browser);
  await page.goto('/ar/orientation');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await page.getByRole('button', { name: 'متابعة' }).click();
  await expect(page.getByRole('alert')).toContainText('اختر جواباً، أو «لا أعرف»');
  expect(await page.title()).toMatch(/^خطأ:/);
  await axe(page);
  await choose(page, 'عاملتني إدارة بشكل غير منصف أو لا تجيبني', 'متابعة');
  await choose(page, 'نعم', 'متابعة');
  await choose(page, 'لا', 'متابعة');
  await choose(page, 'طنجة-تطوان-الحسيمة', 'متابعة');
  await expect(page.getByText('مؤسسة وسيط المملكة', { exact: true })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: 'اتصلت أولاً بالإدارة دون نتيجة.' })).toBeVisible();
  await axe(page);
});

test('Tamazight: "I don\'t know" then a public service → chikaya.ma', async ({ browser }) => {
  const page = await noScript(browser);
  await page.goto('/zgh/orientation');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zgh');
  await choose(page, 'ⵓⵔ ⵙⵙⵏⵖ', 'ⴽⵎⵎⵍ');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('ⵜⵏⴰⴼⵓⵜ ⵜⴰⵎⴰⵜⴰⵢⵜ');
  await axe(page);
  await choose(page, 'ⵢⴰⵀ', 'ⴽⵎⵎⵍ');
  await expect(page.getByText('ⴰⵡⵡⵓⵔ ⴰⵏⴰⵎⵓⵔ ⵏ ⵜⵛⵜⴰⴽⵉⵡⵉⵏ', { exact: true })).toBeVisible();
  await axe(page);
});
