// Administrators manage their own organisation only; invitations go out by real SMTP; keys follow people.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { Browser } from '../helpers/browser.js';
import { buildUser, currentCode, identityContext } from '../helpers/identity.js';
import { startSmtpServer } from '../helpers/smtp.js';
import * as identity from '../../src/modules/identity/service.js';
import * as keys from '../../src/modules/identity/keys.js';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let ctx: identity.IdentityContext;
const orgs: Record<string, { id: number; recoveryKey: string }> = {};
const people: Record<string, Awaited<ReturnType<typeof buildUser>>> = {};

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://nazaha.example.ma', MAIL_FROM: 'Nazaha <portal@nazaha.example.ma>' });
  ctx = identityContext(t.database);
  orgs.a = await identity.createOrganisation(ctx, { slug: 'inst-a', kind: 'institution', names: { ar: 'الهيئة أ', fr: 'Institution A', en: 'Institution A' } }, 'cli');
  orgs.b = await identity.createOrganisation(ctx, { slug: 'inst-b', kind: 'institution', names: { ar: 'الهيئة ب', fr: 'Institution B', en: 'Institution B' } }, 'cli');
  orgs.x = await identity.createOrganisation(ctx, { slug: 'ngo-x', kind: 'ngo', names: { ar: 'ترانسبرانسي المغرب', fr: 'Transparency Maroc', en: 'Transparency Morocco' } }, 'cli');
  people.adminA = await buildUser(ctx, { roles: ['institution-admin'], organisationId: orgs.a!.id, email: 'admin@inpplc.example' });
  people.handlerA = await buildUser(ctx, { roles: ['case-handler'], organisationId: orgs.a!.id, email: 'handler@inpplc.example' });
  people.adminB = await buildUser(ctx, { roles: ['institution-admin'], organisationId: orgs.b!.id, email: 'admin@mediateur.example' });
  people.handlerB = await buildUser(ctx, { roles: ['case-handler'], organisationId: orgs.b!.id, email: 'handler@mediateur.example' });
  people.ngoAdmin = await buildUser(ctx, { roles: ['ngo-admin'], organisationId: orgs.x!.id, email: 'admin@tm.example' });
  people.platform = await buildUser(ctx, { roles: ['platform-admin'], email: 'root@nazaha.example' });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

async function as(who: keyof typeof people): Promise<Browser> {
  const b = new Browser(() => t.app);
  const p = people[who]!;
  const res = await b.submit('/fr/staff/sign-in', '/fr/staff/sign-in', { email: p.email, password: p.password, code: p.recoveryCodes.pop()! });
  expect(res.statusCode, `sign-in of ${who}`).toBe(303);
  return b;
}

describe('invitations', () => {
  it('an administrator invites a colleague: the link goes by e-mail through SMTP and opens the activation form', async () => {
    const b = await as('adminA');
    const form = await b.get('/fr/staff/users/invite');
    expect(form.statusCode).toBe(200);
    expect(form.body).not.toContain('inst-b');
    const res = await b.submit('/fr/staff/users/invite', '/fr/staff/users/invite', { name: 'Youssef', email: 'Youssef@INPPLC.example', organisation: String(orgs.a!.id), role: 'custodian' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/fr/staff/users?sent=1');
    const mail = smtp.received.find((m) => m.to.includes('youssef@inpplc.example'))!;
    expect(mail.raw).toContain('From: Nazaha <portal@nazaha.example.ma>');
    const link = mail.raw.replace(/=\r?\n/g, '').match(/https:\/\/nazaha\.example\.ma\/fr\/staff\/activate\?token=3D([A-Za-z0-9_-]+)|https:\/\/nazaha\.example\.ma\/fr\/staff\/activate\?token=([A-Za-z0-9_-]+)/)!;
    const token = link[1] ?? link[2];
    expect((await new Browser(() => t.app).get(`/fr/staff/activate?token=${token}`)).statusCode).toBe(200);
    const list = await b.get('/fr/staff/users?sent=1');
    expect(list.body).toContain("L'invitation a été envoyée.");
    expect(list.body).toContain('youssef@inpplc.example');
  });

  it('refuses an organisation outside the administrator\'s scope, a role foreign to it, and a taken address', async () => {
    const b = await as('adminA');
    const other = await b.submit('/fr/staff/users/invite', '/fr/staff/users/invite', { name: 'Z', email: 'z@x.example', organisation: String(orgs.b!.id), role: 'case-handler' });
    expect(other.statusCode).toBe(400);
    expect(other.body).toContain('href="#organisation"');
    const role = await b.submit('/fr/staff/users/invite', '/fr/staff/users/invite', { name: 'Z', email: 'z@x.example', organisation: String(orgs.a!.id), role: 'ngo-admin' });
    expect(role.statusCode).toBe(400);
    expect(role.body).toContain("Ce rôle n'existe pas pour cette organisation");
    const taken = await b.submit('/fr/staff/users/invite', '/fr/staff/users/invite', { name: 'Z', email: 'handler@mediateur.example', organisation: String(orgs.a!.id), role: 'case-handler' });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('Un compte utilise déjà cette adresse e-mail');
  });
});

describe('isolation', () => {
  it('an institution administrator sees only the people of their institution', async () => {
    const b = await as('adminA');
    const list = await b.get('/fr/staff/users');
    expect(list.body).toContain('handler@inpplc.example');
    for (const foreign of ['mediateur.example', 'tm.example', 'root@nazaha.example']) expect(list.body).not.toContain(foreign);
  });

  it('and cannot reach them by id: 404 for pages and actions, nothing changes', async () => {
    const b = await as('adminA');
    const id = people.handlerB!.userId;
    expect((await b.get(`/fr/staff/users/${id}/deactivate`)).statusCode).toBe(404);
    expect((await b.submit('/fr/staff/users', `/fr/staff/users/${id}/deactivate`, {})).statusCode).toBe(404);
    expect((await b.submit('/fr/staff/users', `/fr/staff/users/${id}/role`, { role: 'custodian' })).statusCode).toBe(404);
    const s = await identity.signIn(ctx, { email: people.handlerB!.email, password: people.handlerB!.password, code: currentCode(people.handlerB!.totpSecret), source: 'iso' });
    expect(s.ok).toBe(true);
  });

  it('an NGO administrator sees only the NGO, and its audit entries only', async () => {
    const b = await as('ngoAdmin');
    const list = await b.get('/fr/staff/users');
    expect(list.body).toContain('admin@tm.example');
    expect(list.body).not.toContain('inpplc.example');
    const audit = await b.get('/fr/staff/audit');
    expect(audit.statusCode).toBe(200);
    expect(audit.body).not.toContain(`user:${people.adminA!.userId}<`);
    expect(audit.body).toContain(`user:${people.ngoAdmin!.userId}`);
  });

  it('a case handler may use the staff area but not administer it', async () => {
    const b = await as('handlerA');
    expect((await b.get('/fr/staff')).statusCode).toBe(200);
    expect((await b.get('/fr/staff/users')).statusCode).toBe(403);
    expect((await b.get('/fr/staff/audit')).statusCode).toBe(403);
    expect((await b.get('/fr/staff/keys')).statusCode).toBe(403);
  });
});

describe('organisation key', () => {
  it('the first administrator takes it with the recovery key, then gives it to members waiting for it', async () => {
    const b = await as('adminA');
    expect((await b.get('/fr/staff/keys')).body).toContain('Vous ne détenez pas encore la clé');
    const wrong = await b.submit('/fr/staff/keys', '/fr/staff/keys/claim', { recoveryKey: 'AAAA-BBBB-CCCC' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain("Cette clé de secours n'ouvre pas la clé de votre organisation");
    expect((await b.submit('/fr/staff/keys', '/fr/staff/keys/claim', { recoveryKey: orgs.a!.recoveryKey })).statusCode).toBe(303);
    const page = await b.get('/fr/staff/keys');
    expect(page.body).toContain('Vous détenez la clé de votre organisation');
    expect(page.body).toContain('1 membre attend');
    expect((await b.submit('/fr/staff/keys', '/fr/staff/keys/grant', {})).statusCode).toBe(303);
    const h = people.handlerA!;
    const user = (await t.database.db.selectFrom('users').selectAll().where('id', '=', h.userId).executeTakeFirstOrThrow());
    const opened = await keys.openOrganisationKeys(t.database.db, orgs.a!.id, { userId: h.userId, keys: keys.userKeyPair(user.public_key!, await keys.unlockWithPassword(user.private_key_by_password!, h.password)) });
    expect(opened).toHaveLength(1);
  });

  it('deactivating a member ends their sessions, stops their sign-in and renews the key', async () => {
    const handler = await as('handlerA');
    const before = await keys.currentPublicKey(t.database.db, orgs.a!.id);
    const b = await as('adminA');
    const confirm = await b.get(`/fr/staff/users/${people.handlerA!.userId}/deactivate`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Oui, désactiver');
    expect((await b.submit(`/fr/staff/users/${people.handlerA!.userId}/deactivate`, `/fr/staff/users/${people.handlerA!.userId}/deactivate`, {})).statusCode).toBe(303);
    expect((await handler.get('/fr/staff')).statusCode).toBe(303);
    const h = people.handlerA!;
    expect((await identity.signIn(ctx, { email: h.email, password: h.password, code: currentCode(h.totpSecret), source: 'after' })).ok).toBe(false);
    const after = await keys.currentPublicKey(t.database.db, orgs.a!.id);
    expect(after.keyId).not.toBe(before.keyId);
    expect((await b.get('/fr/staff/users')).body).toContain('Désactivé');
  });
});

describe('audit log pages', () => {
  it('the platform administrator browses every entry and filters by action', async () => {
    const b = await as('platform');
    const res = await b.get('/fr/staff/audit?action=user.deactivated');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('user.deactivated');
    expect(res.body).not.toContain('user.created');
  });
});

describe('organisations', () => {
  it('the platform administrator creates a regional office and is shown its recovery key once', async () => {
    const b = await as('platform');
    const noParent = await b.submit('/fr/staff/organisations/new', '/fr/staff/organisations/new', { slug: 'inst-a-tanger', kind: 'office', parent: '', nameAr: 'مندوبية طنجة', nameFr: 'Antenne de Tanger', nameEn: 'Tangier office' });
    expect(noParent.statusCode).toBe(400);
    expect(noParent.body).toContain('href="#parent"');
    const res = await b.submit('/fr/staff/organisations/new', '/fr/staff/organisations/new', { slug: 'inst-a-tanger', kind: 'office', parent: String(orgs.a!.id), nameAr: 'مندوبية طنجة', nameFr: 'Antenne de Tanger', nameEn: 'Tangier office' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const key = res.body.match(/id="recovery-key">([0-9A-Z-]+)</)![1]!;
    expect(key).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){12}$/);
    const office = (await t.database.db.selectFrom('organisations').select(['id', 'parent_id']).where('slug', '=', 'inst-a-tanger').executeTakeFirstOrThrow());
    expect(Number(office.parent_id)).toBe(orgs.a!.id);
    expect(await keys.openWithRecoveryKey(t.database.db, Number(office.id), key)).toHaveLength(1);
    const again = await b.submit('/fr/staff/organisations/new', '/fr/staff/organisations/new', { slug: 'inst-a-tanger', kind: 'institution', parent: '', nameAr: 'x', nameFr: 'x', nameEn: 'x' });
    expect(again.statusCode).toBe(409);
    expect((await b.get('/fr/staff/organisations')).body).toContain('inst-a-tanger');
  });

  it('the office appears in its institution administrator\'s scope, and organisation pages are refused to them', async () => {
    const b = await as('adminA');
    expect((await b.get('/fr/staff/users/invite')).body).toContain('inst-a-tanger');
    expect((await b.get('/fr/staff/organisations')).statusCode).toBe(403);
  });
});
