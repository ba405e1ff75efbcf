// A citizen reports and follows up, in the browser: with JavaScript off (French) and on (Arabic).
// The handler's message is written the way the case-handling pages will write it: sealed to the
// report's public key, here through the nazaha command line's database.
import { execFileSync } from 'node:child_process';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, expect, type Page, test } from '@playwright/test';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function axe(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), page.url()).toEqual([]);
}

/** Writes a handler's message to the report of this receipt, sealed as staff seal it. */
function handlerMessage(text: string, receipt: string) {
  execFileSync(process.execPath, ['--import', 'tsx', 'test/fixtures/staff-message.ts', text, receipt], {
    env: { ...process.env, DATA_DIR: process.env.NAZAHA_E2E_DATA_DIR!, DATABASE_URL: process.env.E2E_DATABASE_URL ?? '' },
  });
}

async function report(page: Page, t: Words, lang: string, withAxe: boolean) {
  await page.goto(`/${lang}/`);
  await page.getByRole('link', { name: t.homeLink }).click();
  await page.getByLabel(t.channel).check();
  await page.getByRole('button', { name: t.start }).click();
  await expect(page).toHaveURL(`/${lang}/report/step/facts`);
  if (withAxe) await axe(page);
  await page.getByLabel(t.what).fill(t.whatText);
  await page.getByLabel(t.when).fill('2026-10-02');
  await page.getByRole('button', { name: t.continue }).click();
  await page.getByLabel(t.region).selectOption('MA-04');
  await page.getByRole('button', { name: t.continue }).click();
  await expect(page.getByLabel(t.anonymous)).toBeChecked();
  await page.getByRole('button', { name: t.continue }).click();
  await expect(page.getByLabel(t.noMail)).toBeChecked();
  await page.getByRole('button', { name: t.continue }).click();
  await expect(page.getByText(t.whatText)).toBeVisible();
  if (withAxe) await axe(page);
  await page.getByLabel(t.confirm).check();
  const sent = page.waitForRequest((r) => r.url().endsWith(`/${lang}/report/submit`) && r.method() === 'POST');
  await page.getByRole('button', { name: t.send }).click();
  // With JavaScript the browser solves the proof of work first; without, the field stays empty.
  const pow = new URLSearchParams((await sent).postData() ?? '').get('pow');
  expect(pow).toMatch(withAxe ? /^\d+$/ : /^$/);
  const receipt = (await page.locator('#receipt').innerText()).trim();
  expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
  if (withAxe) await axe(page);
  return receipt;
}

async function followUp(page: Page, t: Words, lang: string, receipt: string) {
  await page.goto(`/${lang}/follow-up`);
  await page.getByLabel(t.receiptLabel).fill(receipt.toLowerCase().replaceAll('-', ' '));
  await page.getByRole('button', { name: t.open }).click();
  await expect(page).toHaveURL(`/${lang}/follow-up/report`);
  await expect(page.getByText(t.whatText)).toBeVisible();
  await expect(page.getByText('Merci pour votre signalement. Avez-vous un reçu ?')).toBeVisible();
  await page.getByLabel(t.reply).fill(t.replyText);
  await page.getByRole('button', { name: t.sendReply, exact: true }).click();
  await expect(page.getByText(t.replyText)).toBeVisible();
}

const fr = {
  homeLink: 'Signaler une corruption ou une mauvaise administration', channel: "Signaler une corruption — Pots-de-vin, détournement, trafic d'influence, conflits d'intérêts, dans le secteur public ou privé. Reçu par l'INPPLC.",
  start: 'Commencer', what: 'Décrivez ce qui s\'est passé, avec vos mots', when: 'Quand cela s\'est-il passé ? (facultatif)', continue: 'Continuer', region: 'Région (facultatif)',
  anonymous: 'Non, je reste anonyme', noMail: "Pas d'e-mail : je reviendrai avec mon code de suivi", confirm: 'Je confirme que ce que je signale est vrai à ma connaissance', send: 'Envoyer mon signalement',
  whatText: 'Un agent du guichet demande 200 dirhams pour un extrait.', receiptLabel: 'Votre code de suivi', open: 'Ouvrir mon signalement', reply: 'Répondre ou ajouter des informations', replyText: 'Oui, je garde le reçu.', sendReply: 'Envoyer',
};
const ar: Words = {
  homeLink: 'بلّغ عن الرشوة أو سوء الإدارة', channel: 'التبليغ عن الرشوة — الارتشاء، الاختلاس، استغلال النفوذ، تضارب المصالح، في القطاع العام أو الخاص. تتلقاه الهيئة الوطنية للنزاهة.',
  start: 'ابدأ', what: 'صف ما حدث بكلماتك', when: 'متى حدث ذلك؟ (اختياري)', continue: 'متابعة', region: 'الجهة (اختياري)',
  anonymous: 'لا، أبقى مجهول الهوية', noMail: 'دون بريد إلكتروني: سأعود برمز الإيصال', confirm: 'أؤكد أن ما أبلّغ عنه صحيح حسب علمي', send: 'إرسال تبليغي',
  whatText: 'طلب موظف الشباك 200 درهم مقابل وثيقة.', receiptLabel: 'رمز الإيصال', open: 'فتح تبليغي', reply: 'الرد أو إضافة معلومات', replyText: 'نعم، أحتفظ بالوصل.', sendReply: 'إرسال',
};

type Words = typeof fr;

async function context(browser: Browser, javaScriptEnabled: boolean) {
  return (await browser.newContext({ javaScriptEnabled })).newPage();
}

test('French, JavaScript off: report, keep the receipt, follow up, read the handler, answer', async ({ browser }) => {
  const page = await context(browser, false);
  const receipt = await report(page, fr, 'fr', false);
  // Straight from the receipt, without JavaScript: a file of evidence.
  await page.getByRole('link', { name: 'Ajouter des fichiers (photos, documents) à votre signalement maintenant' }).click();
  await page.getByLabel('Ajouter des preuves (photos, documents)').setInputFiles({ name: 'releve.txt', mimeType: 'text/plain', buffer: Buffer.from('Relevé du guichet, 2 octobre') });
  await page.getByRole('button', { name: 'Envoyer les fichiers' }).click();
  await expect(page.getByText('Fichier ajouté.')).toBeVisible();
  await expect(page.getByText('releve.txt')).toBeVisible();
  handlerMessage('Merci pour votre signalement. Avez-vous un reçu ?', receipt);
  await followUp(await context(browser, false), fr, 'fr', receipt);
});

test('Arabic, JavaScript on: the same journey, accessible at each step', async ({ browser }) => {
  const page = await context(browser, true);
  const receipt = await report(page, ar, 'ar', true);
  handlerMessage('Merci pour votre signalement. Avez-vous un reçu ?', receipt);
  const follow = await context(browser, true);
  await followUp(follow, ar, 'ar', receipt);
  await axe(follow);
});
