// An administrator of the Médiateur publishes a questionnaire with a conditional step, in the
// browser with JavaScript off: draft, JSON, preview, publication. Then a reporter answers "no" and
// the step is skipped, goes back, answers "yes" and the step appears; the follow-up shows it all.
import { execFileSync } from 'node:child_process';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { base32Decode, hotp, stepAt } from '../../src/modules/identity/totp.js';

test.describe.configure({ mode: 'serial' });

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
let admin: { email: string; password: string; totp: string };

async function axe(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), page.url()).toEqual([]);
}

test.beforeAll(() => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'test/fixtures/questionnaire-admin.ts'], {
    env: { ...process.env, DATA_DIR: process.env.NAZAHA_E2E_DATA_DIR!, DATABASE_URL: process.env.E2E_DATABASE_URL ?? '' },
    encoding: 'utf8',
  });
  admin = JSON.parse(out.trim().split('\n').pop()!) as typeof admin;
});

const tx = (fr: string, en: string, ar: string) => ({ ar, fr, en });
const questionnaire = {
  steps: [
    {
      id: 'facts', title: tx('Votre plainte', 'Your complaint', 'شكايتك'),
      fields: [
        { id: 'what', type: 'long-text', required: true, label: tx('Que reprochez-vous à l\'administration ?', 'What do you hold against the administration?', 'ما الذي تؤاخذ عليه الإدارة؟') },
        { id: 'wrote', type: 'yesno', required: true, label: tx('Avez-vous déjà écrit à cette administration ?', 'Have you already written to this administration?', 'هل سبق أن راسلت هذه الإدارة؟') },
        {
          id: 'how', type: 'multiple', label: tx('Comment lui avez-vous écrit ?', 'How did you write?', 'كيف راسلتها؟'), showIf: { field: 'wrote', equals: 'yes' },
          options: [{ id: 'post', label: tx('Par courrier', 'By post', 'بالبريد') }, { id: 'email', label: tx('Par e-mail', 'By e-mail', 'بالبريد الإلكتروني') }],
        },
      ],
    },
    {
      id: 'letter', title: tx('Votre démarche', 'What you did', 'مسعاك'), showIf: { field: 'wrote', equals: 'yes' },
      fields: [
        { id: 'sent-on', type: 'date', required: true, label: tx('Quand avez-vous écrit ?', 'When did you write?', 'متى راسلتها؟') },
        {
          id: 'answer', type: 'single', required: true, label: tx('Avez-vous reçu une réponse ?', 'Did you get an answer?', 'هل تلقيت جواباً؟'),
          options: [{ id: 'none', label: tx('Aucune réponse', 'No answer', 'لا جواب') }, { id: 'unsatisfying', label: tx('Une réponse insatisfaisante', 'An unsatisfying answer', 'جواب غير مرض') }],
        },
      ],
    },
    {
      id: 'place', title: tx('L\'administration', 'The administration', 'الإدارة'),
      fields: [
        { id: 'administration', type: 'short-text', label: tx('Administration concernée', 'Administration concerned', 'الإدارة المعنية') },
        { id: 'province', type: 'province', label: tx('Province ou préfecture', 'Province or prefecture', 'الإقليم أو العمالة') },
      ],
    },
  ],
};

async function page(browser: Browser, javaScriptEnabled = false) {
  return (await browser.newContext({ javaScriptEnabled })).newPage();
}

test('an administrator publishes a conditional step; a reporter\'s answer skips it, then shows it', async ({ browser }) => {
  // One Argon2id sign-in and a whole report on a busy two-core machine: more than the default 30 s.
  test.setTimeout(90_000);
  const a = await page(browser);
  await a.goto('/fr/staff/sign-in');
  await a.getByLabel('Adresse e-mail').fill(admin.email);
  await a.getByLabel('Mot de passe').fill(admin.password);
  await a.getByLabel("Code de votre application d'authentification").fill(hotp(base32Decode(admin.totp), stepAt(Date.now())));
  await a.getByRole('button', { name: 'Se connecter' }).click();
  await expect(a).toHaveURL('/fr/staff');

  await a.getByRole('link', { name: 'Questionnaires de signalement' }).click();
  await expect(a.getByRole('link', { name: 'Signaler une corruption' })).toHaveCount(0);
  await a.getByRole('link', { name: "Se plaindre d'une administration", exact: true }).click();
  await a.getByRole('button', { name: 'Créer un brouillon depuis la version 1' }).click();
  await expect(a.getByRole('status')).toHaveText('Brouillon créé : modifiez-le ci-dessous.');

  // A condition on a field asked later is refused, with the field named.
  const broken = structuredClone(questionnaire);
  broken.steps[0]!.fields[0] = { ...broken.steps[0]!.fields[0]!, showIf: { field: 'answer', equals: 'none' } } as (typeof broken.steps)[0]['fields'][0];
  await a.getByLabel('Questionnaire (JSON)').fill(JSON.stringify(broken, null, 2));
  await a.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
  await a.getByRole('button', { name: 'Publier le brouillon comme nouvelle version' }).click();
  await expect(a.getByRole('link', { name: "La condition de « what » porte sur « answer », qui n'est pas demandé avant" })).toBeVisible();

  await a.getByLabel('Questionnaire (JSON)').fill(JSON.stringify(questionnaire, null, 2));
  await a.getByLabel('Ce qui change (pour mémoire)').fill('Démarche préalable demandée seulement à qui a écrit');
  await a.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
  await expect(a.getByRole('status')).toHaveText('Brouillon enregistré.');
  await expect(a.getByText('Rien : ce brouillon peut être publié.')).toBeVisible();

  await a.getByRole('link', { name: /Prévisualiser le brouillon/ }).click();
  await expect(a.getByRole('heading', { level: 1 })).toHaveText('Votre plainte');
  await expect(a.getByLabel('Par courrier')).toBeVisible();
  await expect(a.getByRole('button')).toHaveCount(0);
  await a.getByRole('link', { name: 'Page suivante' }).click();
  await expect(a.getByRole('heading', { level: 1 })).toHaveText('Votre démarche');
  await expect(a.getByText("Cette page n'est affichée que si la réponse à « Avez-vous déjà écrit à cette administration ? » est : Oui.")).toBeVisible();
  await a.getByRole('link', { name: 'Retour au questionnaire' }).click();
  await a.getByRole('button', { name: 'Publier le brouillon comme nouvelle version' }).click();
  await expect(a.getByRole('status')).toContainText('Version 2 publiée');

  const r = await page(browser);
  await r.goto('/fr/report?institution=mediateur');
  await r.getByLabel(/^Se plaindre d'une administration/).check();
  await r.getByRole('button', { name: 'Commencer' }).click();
  await expect(r.getByText('Étape 2 sur 6')).toBeVisible();
  await r.getByLabel("Que reprochez-vous à l'administration ?").fill('Mon dossier de retraite est bloqué depuis deux ans.');
  await r.getByLabel('Non', { exact: true }).check();
  await r.getByRole('button', { name: 'Continuer' }).click();
  // "No": the step about the letter is skipped and not counted.
  await expect(r).toHaveURL('/fr/report/step/place');
  await expect(r.getByText('Étape 3 sur 6')).toBeVisible();

  await r.getByRole('link', { name: 'Retour' }).click();
  await r.getByLabel('Oui', { exact: true }).check();
  await r.getByLabel('Par courrier').check();
  await r.getByRole('button', { name: 'Continuer' }).click();
  await expect(r).toHaveURL('/fr/report/step/letter');
  await expect(r.getByRole('heading', { level: 1 })).toHaveText('Votre démarche');
  await expect(r.getByText('Étape 3 sur 7')).toBeVisible();
  await r.getByLabel('Quand avez-vous écrit ?').fill('2026-06-15');
  await r.getByRole('button', { name: 'Continuer' }).click();
  await expect(r.getByRole('link', { name: 'Répondez à cette question' })).toBeVisible();
  await r.getByLabel('Aucune réponse').check();
  await r.getByRole('button', { name: 'Continuer' }).click();
  await expect(r.getByText('Étape 4 sur 7')).toBeVisible();
  await r.getByLabel('Administration concernée (facultatif)').fill('Caisse de retraite');
  await r.getByLabel('Province ou préfecture (facultatif)').selectOption('larache');
  await r.getByRole('button', { name: 'Continuer' }).click();
  await expect(r.getByLabel('Non, je reste anonyme')).toBeChecked();
  await r.getByRole('button', { name: 'Continuer' }).click();
  await r.getByRole('button', { name: 'Continuer' }).click();
  await expect(r.getByText('Aucune réponse')).toBeVisible();
  await expect(r.getByText('Larache')).toBeVisible();
  await r.getByLabel('Je confirme que ce que je signale est vrai à ma connaissance').check();
  await r.getByRole('button', { name: 'Envoyer mon signalement' }).click();
  const receipt = (await r.locator('#receipt').innerText()).trim();

  const f = await page(browser);
  await f.goto('/fr/follow-up');
  await f.getByLabel('Votre code de suivi').fill(receipt);
  await f.getByRole('button', { name: 'Ouvrir mon signalement' }).click();
  await expect(f.getByText('Avez-vous déjà écrit à cette administration ?')).toBeVisible();
  await expect(f.getByText('Par courrier')).toBeVisible();
  await expect(f.getByText('2026-06-15')).toBeVisible();
});

test('the conditional pages are accessible', async ({ browser }) => {
  const r = await page(browser, true);
  await r.goto('/fr/report?institution=mediateur');
  await r.getByLabel(/^Se plaindre d'une administration/).check();
  await r.getByRole('button', { name: 'Commencer' }).click();
  await r.getByRole('button', { name: 'Continuer' }).click();
  await axe(r);
  await r.getByLabel("Que reprochez-vous à l'administration ?").fill('Dossier bloqué.');
  await r.getByLabel('Oui', { exact: true }).check();
  await r.getByRole('button', { name: 'Continuer' }).click();
  await expect(r.getByRole('heading', { level: 1 })).toHaveText('Votre démarche');
  await axe(r);
});
