// A staff member's first day, in the browser: the activation link from the CLI, a password and an
// authenticator code (computed here from the key the page shows), recovery codes, sign-in, sign-out,
// and the pause after repeated failures. Runs on whichever database the portal under test uses.
import { execFileSync } from 'node:child_process';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { base32Decode, hotp, stepAt } from '../../src/modules/identity/totp.js';

test.describe.configure({ mode: 'serial' });

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const email = `e2e-${Date.now()}@inpplc.example`;
const password = 'a quiet walk along the atlantic';
let activation = '';
let totpKey = '';

function cli(...args: string[]): string {
  return execFileSync(process.execPath, ['bin/nazaha.js', ...args], {
    env: { ...process.env, DATA_DIR: process.env.NAZAHA_E2E_DATA_DIR!, DATABASE_URL: process.env.E2E_DATABASE_URL ?? '', PORT: '3901' },
    encoding: 'utf8',
  });
}

const code = (offset = 0) => hotp(base32Decode(totpKey), stepAt(Date.now()) + offset);

async function axe(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test.beforeAll(() => {
  const out = cli('user', 'create', '--email', email, '--role', 'platform-admin', '--name', 'Salma', '--locale', 'fr');
  activation = new URL(out.match(/https?:\/\/\S+/)![0]).pathname + new URL(out.match(/https?:\/\/\S+/)![0]).search;
});

test('activation with a password and an authenticator code shows recovery codes', async ({ page }) => {
  await page.goto(activation);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Activer votre compte');
  await expect(page.getByRole('img', { name: 'Code QR pour associer votre application d\'authentification' })).toBeVisible();
  await axe(page);
  totpKey = (await page.locator('#totp-key').innerText()).replace(/\s/g, '');
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByLabel('Saisissez à nouveau le mot de passe').fill(password);
  await page.getByLabel("Code de votre application d'authentification").fill(code());
  await page.getByRole('button', { name: 'Activer mon compte' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Votre compte est actif : conservez vos codes de secours');
  await expect(page.locator('#recovery-codes li')).toHaveCount(10);
});

test('sign-in, staff area, sign-out', async ({ page }) => {
  await page.goto('/fr/staff');
  await expect(page).toHaveURL(/\/fr\/staff\/sign-in\?next=%2Ffr%2Fstaff$/);
  await axe(page);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  // The next 30-second step: the activation's code cannot be used again.
  await page.getByLabel("Code de votre application d'authentification").fill(code(1));
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL('/fr/staff');
  await expect(page.getByText('Connecté en tant que Salma')).toBeVisible();
  await axe(page);
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page.getByRole('status')).toHaveText('Vous êtes déconnecté.');
  await page.goto('/fr/staff/account');
  await expect(page).toHaveURL(/\/fr\/staff\/sign-in/);
});

test('repeated failures pause sign-in with a clear message, in Arabic too', async ({ page }) => {
  for (let i = 0; i < 5; i++) {
    await page.goto('/ar/staff/sign-in');
    await page.getByLabel('البريد الإلكتروني').fill(email);
    await page.getByLabel('كلمة المرور').fill('not the password at all');
    await page.getByLabel('الرمز من تطبيق المصادقة').fill('000000');
    await page.getByRole('button', { name: 'تسجيل الدخول' }).click();
    await expect(page.getByRole('alert')).toContainText('البريد الإلكتروني أو كلمة المرور أو الرمز غير صحيح');
  }
  await page.getByLabel('كلمة المرور').fill(password);
  await page.getByLabel('الرمز من تطبيق المصادقة').fill(code(1));
  // Right credentials, but the account is paused.
  await page.getByRole('button', { name: 'تسجيل الدخول' }).click();
  await expect(page.getByRole('alert')).toContainText('توقف تسجيل الدخول لمدة 15 دقيقة');
  expect(await page.title()).toMatch(/^خطأ:/);
});
