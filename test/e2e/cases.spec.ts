// A handler's day with one case, in the browser: sign in, find the case in the inbox, open it,
// acknowledge, message the reporter, hand it to a colleague, close it; then the reporter reads the
// acknowledgement, the message and the outcome with their receipt.
import { execFileSync } from 'node:child_process';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { base32Decode, hotp, stepAt } from '../../src/modules/identity/totp.js';

test.describe.configure({ mode: 'serial' });

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
interface Setup { handlers: { name: string; email: string; password: string; totp: string }[]; receipt: string; caseId: number }
let setup: Setup;

async function axe(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), page.url()).toEqual([]);
}

test.beforeAll(() => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'test/fixtures/case-staff.ts'], {
    env: { ...process.env, DATA_DIR: process.env.NAZAHA_E2E_DATA_DIR!, DATABASE_URL: process.env.E2E_DATABASE_URL ?? '' },
    encoding: 'utf8',
  });
  setup = JSON.parse(out.trim().split('\n').pop()!) as Setup;
});

test('a handler acknowledges, answers, reassigns and closes a case; the reporter reads it all', async ({ page, browser }) => {
  // Two Argon2id sign-ins and four axe runs: more than the default 30 s on a busy two-core machine.
  test.setTimeout(90_000);
  const karim = setup.handlers[0]!;
  await page.goto('/fr/staff/sign-in');
  await page.getByLabel('Adresse e-mail').fill(karim.email);
  await page.getByLabel('Mot de passe').fill(karim.password);
  await page.getByLabel("Code de votre application d'authentification").fill(hotp(base32Decode(karim.totp), stepAt(Date.now())));
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL('/fr/staff');

  await page.getByRole('link', { name: 'Dossiers' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dossiers');
  await axe(page);
  await page.getByLabel('Région').selectOption('MA-01');
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await page.getByRole('link', { name: `Dossier n° ${setup.caseId}` }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Dossier n° ${setup.caseId}`);
  await expect(page.getByText('Un agent du cadastre demande 2000 dirhams.')).toBeVisible();
  await axe(page);

  await page.getByLabel('Nouveau statut').selectOption('acknowledged');
  await page.getByRole('button', { name: 'Changer le statut' }).click();
  await expect(page.getByRole('status')).toHaveText('Statut modifié.');

  await page.getByLabel('Message au lanceur d\'alerte').fill('Merci. Pouvez-vous nous dire quel jour cela s\'est passé ?');
  await page.getByRole('button', { name: 'Envoyer le message' }).click();
  await expect(page.getByRole('status')).toHaveText('Message envoyé.');

  await page.getByLabel('Agent chargé').selectOption({ label: 'Nadia' });
  await page.getByRole('button', { name: 'Attribuer' }).click();
  await expect(page.getByRole('status')).toHaveText('Attribution enregistrée.');

  // Closing without an outcome is refused with the field named.
  await page.getByLabel('Nouveau statut').selectOption('closed');
  await page.getByRole('button', { name: 'Changer le statut' }).click();
  await expect(page.getByRole('link', { name: "Choisissez l'une des options" })).toBeVisible();
  await page.getByLabel('Nouveau statut').selectOption('closed');
  await page.getByLabel('Issue (pour clôturer)').selectOption('founded');
  await page.getByRole('button', { name: 'Changer le statut' }).click();
  await expect(page.getByRole('status')).toHaveText('Statut modifié.');
  await expect(page.getByText('clôturé — fondé')).toBeVisible();

  // JavaScript on: axe runs in the page.
  // The handler's other pages: overdue dashboard and statistics, accessible too.
  await page.goto('/fr/staff/cases/overdue');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dossiers en retard');
  await axe(page);
  await page.goto('/fr/staff/cases/statistics');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await axe(page);
  await page.goto('/ar/staff/cases/statistics');
  await axe(page);

  const reporter = await (await browser.newContext()).newPage();
  await reporter.goto('/fr/follow-up');
  await reporter.getByLabel('Votre code de suivi').fill(setup.receipt);
  await reporter.getByRole('button', { name: 'Ouvrir mon signalement' }).click();
  await expect(reporter.getByText('Statut : clôturé — fondé')).toBeVisible();
  await expect(reporter.getByText(/L'institution a bien reçu votre signalement/)).toBeVisible();
  await expect(reporter.getByText('Merci. Pouvez-vous nous dire quel jour cela s\'est passé ?')).toBeVisible();
  await expect(reporter.getByText('Votre dossier est clôturé. Issue : fondé.')).toBeVisible();
  await axe(reporter);
});
