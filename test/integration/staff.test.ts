// The staff journey through the pages: activation link from the CLI, activation with TOTP,
// sign-in, account, sign-out; on a real database, through the app's HTTP interface.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, hotp, stepAt } from '../../src/modules/identity/totp.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { Browser as BaseBrowser } from '../helpers/browser.js';
import { usingPostgres } from '../helpers/db.js';

let t: TestApp;
class Browser extends BaseBrowser { constructor() { super(() => t.app); } }
beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL: 'https://nazaha.example.ma' });
});
afterAll(() => t.close());

const cli = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
    env: { PATH: process.env.PATH!, DATA_DIR: t.test.dataDir, ...(usingPostgres() ? { DATABASE_URL: t.test.url } : {}), PUBLIC_URL: 'https://nazaha.example.ma' },
  });

const code = (key: string, offset = 0) => hotp(base32Decode(key), stepAt(Date.now()) + offset);
let activationPath = '';
let totpKey = '';
let recoveryCodes: string[] = [];
const email = 'hajar@inpplc.example';
const password = 'the river runs under the old bridge';

describe('activation', () => {
  it('the CLI prints a one-time link whose page answers 200 with the activation form, and audits the creation', async () => {
    const office = await cli('org', 'create', '--slug', 'inpplc-rabat', '--kind', 'office', '--parent', 'inpplc', '--name-ar', 'مندوبية الرباط', '--name-fr', 'Antenne de Rabat', '--name-en', 'Rabat office');
    expect(office.stdout).toMatch(/RECOVERY KEY[^\n]*\n\s+[0-9A-Z]{4}(-[0-9A-Z]{4}){12}\n/);
    const out = await cli('user', 'create', '--email', email, '--role', 'institution-admin', '--org', 'inpplc', '--name', 'Hajar', '--locale', 'ar');
    const url = out.stdout.match(/https?:\/\/\S+/)![0];
    expect(url).toMatch(/^https:\/\/nazaha\.example\.ma\/ar\/staff\/activate\?token=[A-Za-z0-9_-]{43}$/);
    activationPath = new URL(url).pathname + new URL(url).search;
    const page = await new Browser().get(activationPath);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="ar" dir="rtl">');
    expect(page.body).toContain('<svg class="qr" role="img"');
    expect(page.body).toContain('autocomplete="new-password"');
    const audit = await t.database.db.selectFrom('audit_log').select(['actor', 'action']).execute();
    expect(audit).toContainEqual({ actor: 'cli', action: 'user.created' });
  });

  it('refuses a weak password, a mismatch and a wrong code, saying which field is wrong', async () => {
    const b = new Browser();
    const res = await b.submit(activationPath, '/ar/staff/activate', { password: 'short', confirm: 'short', code: '000000' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<a href="#password">استعمل 12 حرفاً على الأقل</a>');
    expect(res.body).toContain('href="#code"');
    expect(res.body).toMatch(/<title>خطأ: /);
  });

  it('activates with a password and the code of the authenticator app, then shows ten recovery codes once', async () => {
    const b = new Browser();
    const page = await b.get(activationPath);
    totpKey = page.body.match(/<code dir="ltr" id="totp-key">([A-Z2-7 ]+)<\/code>/)![1]!.replace(/ /g, '');
    const res = await b.submitFrom(page, '/ar/staff/activate', { password, confirm: password, code: code(totpKey, -1) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    recoveryCodes = [...res.body.matchAll(/<li>([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})<\/li>/g)].map((m) => m[1]!);
    expect(recoveryCodes).toHaveLength(10);
  });

  it('the link then no longer works', async () => {
    const res = await new Browser().get(activationPath);
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('رابط التفعيل هذا لم يعد صالحاً');
    expect((await new Browser().get('/fr/staff/activate?token=nope')).statusCode).toBe(410);
  });
});

describe('sign-in, account and sign-out', () => {
  const b = new Browser();

  it('a wrong code gets the generic message and no session', async () => {
    const res = await b.submit('/fr/staff/sign-in', '/fr/staff/sign-in', { email, password, code: '000000' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain("L'adresse e-mail, le mot de passe ou le code n'est pas correct");
    expect(res.body).toContain(`value="${email}"`);
    expect((await b.get('/fr/staff')).statusCode).toBe(303);
  });

  it('signs in with e-mail, password and code, into a strict HttpOnly session cookie, and goes where it was asked', async () => {
    const res = await b.submit('/fr/staff/sign-in?next=/fr/staff/account', '/fr/staff/sign-in', { email: email.toUpperCase(), password, code: code(totpKey) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/fr/staff/account');
    const cookie = String(res.headers['set-cookie']).split(/,(?=\s*\S+=)/).find((c) => c.includes('nazaha-session'))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const home = await b.get('/fr/staff');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Connecté en tant que Hajar');
    expect(home.body).toContain('institution-admin');
  });

  it('changes the password, which then is the one that works', async () => {
    const wrong = await b.submit('/fr/staff/account', '/fr/staff/account/password', { current: 'not my password', password: 'a brand new passphrase', confirm: 'a brand new passphrase' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('href="#current"');
    const ok = await b.submit('/fr/staff/account', '/fr/staff/account/password', { current: password, password: 'a brand new passphrase', confirm: 'a brand new passphrase' });
    expect(ok.statusCode).toBe(303);
    const other = new Browser();
    expect((await other.submit('/fr/staff/sign-in', '/fr/staff/sign-in', { email, password, code: code(totpKey, 1) })).statusCode).toBe(400);
    expect((await other.submit('/fr/staff/sign-in', '/fr/staff/sign-in', { email, password: 'a brand new passphrase', code: recoveryCodes[0]! })).statusCode).toBe(303);
  });

  it('signs out, after which staff pages send back to sign-in', async () => {
    const res = await b.submit('/fr/staff', '/fr/staff/sign-out', {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/fr/staff/sign-in?signed-out=1');
    expect((await b.get('/fr/staff/sign-in?signed-out=1')).body).toContain('Vous êtes déconnecté.');
    const after = await b.get('/fr/staff/account');
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toBe('/fr/staff/sign-in?next=%2Ffr%2Fstaff%2Faccount');
  });

  it('after 5 failures the account is paused with a clear message', async () => {
    const c = new Browser();
    for (let i = 0; i < 5; i++) await c.submit('/en/staff/sign-in', '/en/staff/sign-in', { email, password: 'guessing wrongly', code: '111111' });
    const res = await c.submit('/en/staff/sign-in', '/en/staff/sign-in', { email, password: 'a brand new passphrase', code: recoveryCodes[1]! });
    expect(res.statusCode).toBe(429);
    expect(res.body).toContain('Sign-in is paused for 15 minutes');
  });

  it('sign-in pages never leave the portal through next', async () => {
    const c = new Browser();
    const page = await c.get('/fr/staff/sign-in?next=https://evil.example/');
    expect(page.body).toContain('name="next" value="/fr/staff"');
  });
});

/** Headers as they are, and the text body decoded from its transfer encoding. */
function readMail(raw: string): string {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/Content-Transfer-Encoding: base64/i.test(head)) return `${head}\n\n${Buffer.from(body.replace(/\s/g, ''), 'base64').toString('utf8')}`;
  if (/Content-Transfer-Encoding: quoted-printable/i.test(head)) return `${head}\n\n${body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))}`;
  return raw;
}

describe('password reset and recovery codes', () => {
  const outbox = () => {
    const dir = `${t.test.dataDir}/outbox`;
    return fs.existsSync(dir) ? fs.readdirSync(dir).sort().map((f) => readMail(fs.readFileSync(`${dir}/${f}`, 'utf8'))) : [];
  };

  it('answers the same for an unknown address, and sends nothing', async () => {
    const before = outbox().length;
    const res = await new Browser().submit('/fr/staff/password-reset', '/fr/staff/password-reset', { email: 'nobody@nowhere.example' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/fr/staff/password-reset?sent=1');
    expect(outbox().length).toBe(before);
  });

  it('sends a one-hour link to the outbox; a recovery code is needed to set the new password, which then works', async () => {
    const b = new Browser();
    expect((await b.submit('/fr/staff/password-reset', '/fr/staff/password-reset', { email })).headers.location).toBe('/fr/staff/password-reset?sent=1');
    const mail = outbox().at(-1)!;
    expect(mail).toContain(`To: ${email}`);
    const link = mail.match(/https:\/\/nazaha\.example\.ma(\/ar\/staff\/password-reset\/new\?token=[A-Za-z0-9_-]+)/)?.[1];
    expect(link).toBeTruthy();
    const path = link!;
    const wrong = await b.submit(path, '/ar/staff/password-reset/new', { recoveryCode: 'AAAA-BBBB-CCCC-DDDD-EEEE', password: 'yet another fine passphrase', confirm: 'yet another fine passphrase' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('href="#recoveryCode"');
    const ok = await b.submit(path, '/ar/staff/password-reset/new', { recoveryCode: recoveryCodes[5]!, password: 'yet another fine passphrase', confirm: 'yet another fine passphrase' });
    expect(ok.statusCode).toBe(303);
    expect((await b.get(path)).statusCode).toBe(410);
    const signIn = await new Browser().submit('/fr/staff/sign-in', '/fr/staff/sign-in', { email, password: 'yet another fine passphrase', code: recoveryCodes[6]! });
    expect(signIn.statusCode).toBe(303);
  });

  it('new recovery codes replace the old ones', async () => {
    const b = new Browser();
    await b.submit('/fr/staff/sign-in', '/fr/staff/sign-in', { email, password: 'yet another fine passphrase', code: recoveryCodes[7]! });
    const res = await b.submit('/fr/staff/account', '/fr/staff/account/recovery-codes', {});
    expect(res.statusCode).toBe(200);
    const fresh = [...res.body.matchAll(/<li>([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})<\/li>/g)].map((m) => m[1]!);
    expect(fresh).toHaveLength(10);
    expect((await new Browser().submit('/fr/staff/sign-in', '/fr/staff/sign-in', { email, password: 'yet another fine passphrase', code: recoveryCodes[8]! })).statusCode).toBe(400);
    expect((await new Browser().submit('/fr/staff/sign-in', '/fr/staff/sign-in', { email, password: 'yet another fine passphrase', code: fresh[0]! })).statusCode).toBe(303);
  });
});
