// Case handling through the API and the pages, on a real database: inbox, opening (audited),
// statuses, messages, assignment, identity custody (with refusal), transfer with re-sealing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as keys from '../../src/modules/identity/keys.js';
import * as identity from '../../src/modules/identity/service.js';
import * as identityRepo from '../../src/modules/identity/repository.js';
import type { Role } from '../../src/modules/identity/roles.js';
import { findOrganisationBySlug } from '../../src/modules/identity/directory.js';
import { reporterProtection, reporterView, signInWithReceipt, submitReport } from '../../src/modules/reports/service.js';
import { createReadyDatabase } from '../helpers/db.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { Browser } from '../helpers/browser.js';
import { buildUser, identityContext } from '../helpers/identity.js';

const CANARY = 'CASE-CANARY-5c1d7e';
let t: TestApp;
let recoveryKeys: Record<string, string>;
let reportId: number;
let receipt: string;
const org: Record<string, number> = {};
type Person = Awaited<ReturnType<typeof buildUser>> & { browser: Browser };
const people: Record<string, Person> = {};

async function person(name: string, slug: string, roles: Role[], withKeys = true): Promise<void> {
  await personIn(name, org[slug]!, recoveryKeys[slug]!, roles, withKeys);
}

async function personIn(name: string, organisationId: number, recoveryKey: string, roles: Role[], withKeys = true): Promise<void> {
  const ctx = identityContext(t.database);
  const u = await buildUser(ctx, { roles, organisationId });
  if (withKeys) {
    const opened = (await keys.openWithRecoveryKey(t.database.db, organisationId, recoveryKey))!;
    await keys.grantToMember(t.database.db, opened, { userId: u.userId, publicKey: (await identityRepo.findUser(t.database.db, { id: u.userId }))!.public_key! });
  }
  const browser = new Browser(() => t.app);
  const res = await browser.submit('/fr/staff/sign-in', '/fr/staff/sign-in', { email: u.email, password: u.password, code: u.recoveryCodes[0]! });
  expect(res.statusCode, `sign-in of ${name}`).toBe(303);
  people[name] = { ...u, browser };
}

const api = (who: string | null, method: 'GET' | 'POST', url: string, payload?: unknown) => t.app.inject({
  method, url, ...(payload === undefined ? {} : { payload: payload as object }),
  headers: who ? { cookie: [...people[who]!.browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {},
});

async function reporterSees() {
  const signIn = await signInWithReceipt(t.database, { receipt, sourceKey: 'test-source' });
  if (!signIn.ok) throw new Error('receipt refused');
  return (await reporterView(t.database, signIn.cookie))!;
}

beforeAll(async () => {
  const ready = await createReadyDatabase();
  recoveryKeys = ready.recoveryKeys;
  t = await createTestApp({ RATE_LIMIT_MAX: '100000' }, ready);
  for (const slug of ['inpplc', 'mediateur']) org[slug] = (await findOrganisationBySlug(t.database.db, slug))!.id;
  await person('handler', 'inpplc', ['case-handler']);
  await person('colleague', 'inpplc', ['case-handler']);
  await person('custodian', 'inpplc', ['custodian']);
  await person('admin', 'inpplc', ['institution-admin']);
  await person('newcomer', 'inpplc', ['case-handler'], false);
  await person('mediateur', 'mediateur', ['case-handler']);
  const result = await submitReport(t.database, {
    channel: 'inpplc-corruption', submissionKey: 'case-test-1',
    content: { channel: 'inpplc-corruption', questionnaireVersion: 1, answers: { what: `Pot-de-vin au guichet ${CANARY}`, region: 'MA-06', when: '2026-10-01' } },
    identity: { name: 'Amina Test', contact: '0600000000' },
  });
  if (!('receipt' in result)) throw new Error('no receipt');
  ({ reportId, receipt } = result);
});
afterAll(() => t.close());

describe('case API access', () => {
  it('answers 401 to anonymous callers whatever the id or body', async () => {
    for (const [method, url, body] of [
      ['GET', '/api/v1/cases', undefined], ['GET', `/api/v1/cases/${reportId}`, undefined], ['GET', '/api/v1/cases/not-a-number', undefined],
      ['POST', `/api/v1/cases/${reportId}/status`, { status: 'closed' }], ['POST', '/api/v1/cases/x/transfer', { nonsense: true }],
      ['POST', '/api/v1/custody-requests/1/decision', {}], ['POST', '/api/v1/cases/take-over', {}],
    ] as const) {
      const res = await api(null, method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      expect(res.json().code).toBe('unauthenticated');
    }
  });

  it('hides a case from another institution (404) and from its inbox', async () => {
    expect((await api('mediateur', 'GET', `/api/v1/cases/${reportId}`)).statusCode).toBe(404);
    expect((await api('mediateur', 'POST', `/api/v1/cases/${reportId}/status`, { status: 'acknowledged' })).statusCode).toBe(404);
    expect((await api('mediateur', 'GET', '/api/v1/cases')).json().items).toEqual([]);
  });

  it('refuses a member who was never given the organisation key', async () => {
    const res = await api('newcomer', 'GET', `/api/v1/cases/${reportId}`);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('keys_missing');
  });
});

describe('handling a case', () => {
  it('lists metadata only in the inbox, with filters', async () => {
    const res = await api('handler', 'GET', '/api/v1/cases?region=MA-06&status=received');
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(CANARY);
    expect(res.json()).toMatchObject({ total: 1, items: [{ id: reportId, status: 'received', region: 'MA-06', handlerId: null, overdue: false }] });
    expect((await api('handler', 'GET', '/api/v1/cases?region=MA-01')).json().total).toBe(0);
    expect((await api('handler', 'GET', '/api/v1/cases?overdue=true')).json().total).toBe(0);
  });

  it('opens a case with the handler\'s keys and writes the read to the audit log', async () => {
    const res = await api('handler', 'GET', `/api/v1/cases/${reportId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().content.answers.what).toContain(CANARY);
    expect(res.json().hasIdentity).toBe(true);
    expect(JSON.stringify(res.json())).not.toContain('Amina Test');
    const reads = await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'case.read').where('target', '=', `case:${reportId}`).execute();
    expect(reads.map((r) => r.actor)).toContain(`user:${people.handler!.userId}`);
  });

  it('moves through statuses in order only; acknowledging tells the reporter', async () => {
    expect((await api('handler', 'POST', `/api/v1/cases/${reportId}/status`, { status: 'investigation' })).json().code).toBe('invalid_transition');
    expect((await api('handler', 'POST', `/api/v1/cases/${reportId}/status`, { status: 'acknowledged' })).statusCode).toBe(200);
    const view = await reporterSees();
    expect(view.status).toBe('acknowledged');
    expect(view.messages).toContainEqual(expect.objectContaining({ author: 'notice', notice: expect.objectContaining({ key: 'notice.acknowledged' }) }));
    // The custodian may read but not act on a case.
    expect((await api('custodian', 'POST', `/api/v1/cases/${reportId}/status`, { status: 'assessment' })).statusCode).toBe(403);
  });

  it('sends the reporter messages they can read with their receipt; notes stay internal', async () => {
    expect((await api('handler', 'POST', `/api/v1/cases/${reportId}/messages`, { body: 'Pouvez-vous préciser le guichet ?' })).statusCode).toBe(200);
    expect((await api('handler', 'POST', `/api/v1/cases/${reportId}/notes`, { body: 'Note interne confidentielle' })).statusCode).toBe(200);
    const view = await reporterSees();
    expect(view.messages).toContainEqual(expect.objectContaining({ author: 'staff', body: 'Pouvez-vous préciser le guichet ?' }));
    expect(JSON.stringify(view)).not.toContain('Note interne');
    expect((await api('handler', 'GET', `/api/v1/cases/${reportId}`)).json().notes).toEqual([expect.objectContaining({ body: 'Note interne confidentielle' })]);
  });

  it('assigns to a colleague of the institution, never to someone elsewhere', async () => {
    expect((await api('handler', 'POST', `/api/v1/cases/${reportId}/assignment`, { handlerId: people.mediateur!.userId })).statusCode).toBe(400);
    expect((await api('handler', 'POST', `/api/v1/cases/${reportId}/assignment`, { handlerId: people.colleague!.userId })).statusCode).toBe(200);
    expect((await api('handler', 'GET', '/api/v1/cases?handler=' + people.colleague!.userId)).json().total).toBe(1);
    // The admin hands the colleague's open cases to the first handler.
    const moved = await api('admin', 'POST', '/api/v1/cases/take-over', { fromUserId: people.colleague!.userId, toUserId: people.handler!.userId });
    expect(moved.json()).toEqual({ ok: true, moved: 1 });
    expect((await api('handler', 'GET', '/api/v1/cases?handler=me')).json().items.map((i: { id: number }) => i.id)).toEqual([reportId]);
  });

  it('an office the case is assigned to reads it with its own key; other offices do not see it', async () => {
    const ctx = identityContext(t.database);
    const tanger = await identity.createOrganisation(ctx, { slug: 'inpplc-tanger', kind: 'office', parentId: org.inpplc!, names: { ar: 'طنجة', fr: 'Bureau de Tanger', en: 'Tangier office' } }, 'cli');
    const fes = await identity.createOrganisation(ctx, { slug: 'inpplc-fes', kind: 'office', parentId: org.inpplc!, names: { ar: 'فاس', fr: 'Bureau de Fès', en: 'Fez office' } }, 'cli');
    await personIn('tanger', tanger.id, tanger.recoveryKey, ['case-handler']);
    await personIn('fes', fes.id, fes.recoveryKey, ['case-handler']);
    expect((await api('tanger', 'GET', `/api/v1/cases/${reportId}`)).statusCode).toBe(404);
    expect((await api('handler', 'POST', `/api/v1/cases/${reportId}/assignment`, { officeId: tanger.id, handlerId: people.tanger!.userId })).statusCode).toBe(200);
    const read = await api('tanger', 'GET', `/api/v1/cases/${reportId}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().content.answers.what).toContain(CANARY);
    expect((await api('tanger', 'GET', '/api/v1/cases')).json().items.map((i: { id: number }) => i.id)).toEqual([reportId]);
    expect((await api('fes', 'GET', `/api/v1/cases/${reportId}`)).statusCode).toBe(404);
    // Back to headquarters for the rest of the story.
    expect((await api('handler', 'POST', `/api/v1/cases/${reportId}/assignment`, { officeId: null, handlerId: people.handler!.userId })).statusCode).toBe(200);
    // Its copy of the report key went with it.
    expect(await t.database.db.selectFrom('report_keys').selectAll().where('report_id', '=', reportId).execute()).toEqual([]);
    expect((await api('tanger', 'GET', `/api/v1/cases/${reportId}`)).statusCode).toBe(404);
  });

  it('labels cases and filters by label', async () => {
    expect((await api('handler', 'POST', `/api/v1/cases/${reportId}/labels`, { labels: ['marches-publics', 'urgent'] })).statusCode).toBe(200);
    expect((await api('handler', 'POST', `/api/v1/cases/${reportId}/labels`, { labels: ['Pas Valide!'] })).statusCode).toBe(400);
    expect((await api('handler', 'GET', '/api/v1/cases?label=urgent')).json().total).toBe(1);
    expect((await api('handler', 'GET', '/api/v1/cases?label=marches')).json().total).toBe(0);
  });
});

describe('identity custody', () => {
  it('needs a custodian\'s approval; a refusal keeps the identity sealed', async () => {
    const first = await api('handler', 'POST', `/api/v1/cases/${reportId}/custody-requests`, { reason: 'Entendre le témoin' });
    expect(first.statusCode).toBe(200);
    const requestId = first.json().requestId as number;
    // The handler cannot decide, nor open before approval.
    expect((await api('handler', 'POST', `/api/v1/custody-requests/${requestId}/decision`, { approve: true, note: 'moi' })).statusCode).toBe(403);
    expect((await api('handler', 'POST', `/api/v1/custody-requests/${requestId}/disclosure`)).json().code).toBe('custody_not_approved');
    expect((await api('custodian', 'POST', `/api/v1/custody-requests/${requestId}/decision`, { approve: false, note: 'Motif insuffisant' })).statusCode).toBe(200);
    expect((await api('handler', 'POST', `/api/v1/custody-requests/${requestId}/disclosure`)).statusCode).toBe(403);
    // Deciding twice is refused.
    expect((await api('custodian', 'POST', `/api/v1/custody-requests/${requestId}/decision`, { approve: true, note: 'Finalement' })).statusCode).toBe(409);
  });

  it('after approval, only the requester unseals it; the reporter is told why', async () => {
    const requestId = (await api('handler', 'POST', `/api/v1/cases/${reportId}/custody-requests`, { reason: 'Audition nécessaire' })).json().requestId as number;
    expect((await api('custodian', 'POST', `/api/v1/custody-requests/${requestId}/decision`, { approve: true, note: 'Justifié' })).statusCode).toBe(200);
    expect((await api('colleague', 'POST', `/api/v1/custody-requests/${requestId}/disclosure`)).statusCode).toBe(403);
    const disclosed = await api('handler', 'POST', `/api/v1/custody-requests/${requestId}/disclosure`);
    expect(disclosed.json()).toEqual({ name: 'Amina Test', contact: '0600000000' });
    const view = await reporterSees();
    expect(view.messages).toContainEqual(expect.objectContaining({ author: 'notice', notice: expect.objectContaining({ key: 'notice.identity_disclosed', values: { reason: 'Audition nécessaire' } }) }));
    const actions = (await t.database.db.selectFrom('audit_log').select('action').where('target', '=', `case:${reportId}`).execute()).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['case.custody-requested', 'case.custody-refused', 'case.custody-approved', 'case.identity-disclosed']));
  });
});

describe('pages', () => {
  it('shows the inbox and the case, and takes a form without JavaScript', async () => {
    const b = people.handler!.browser;
    const inbox = await b.get('/fr/staff/cases');
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain(`href="/fr/staff/cases/${reportId}"`);
    expect(inbox.body).not.toContain(CANARY);
    const page = await b.get(`/fr/staff/cases/${reportId}`);
    expect(page.body).toContain(CANARY);
    const empty = await b.submitFrom(page, `/fr/staff/cases/${reportId}/messages`, { body: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('<a href="#body">');
    const unconfirmed = await b.submitFrom(page, `/fr/staff/cases/${reportId}/transfer`, { organisation: String(org.mediateur) });
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.body).toContain('Cochez la case pour confirmer le transfert');
    const sent = await b.submitFrom(page, `/fr/staff/cases/${reportId}/messages`, { body: 'Merci, nous avançons.' });
    expect(sent.statusCode).toBe(303);
    expect((await b.get(String(sent.headers.location))).body).toContain('Message envoyé.');
  });
});

describe('protection of the reporter', () => {
  it('records the reporter\'s request and reprisals, and the measures staff take, each with its follow-up day', async () => {
    const signIn = await signInWithReceipt(t.database, { receipt, sourceKey: 'test-source' });
    if (!signIn.ok) throw new Error('receipt refused');
    expect(await reporterProtection(t.database, signIn.cookie, { kind: 'protection', body: 'Mon chef me menace de mutation' })).toBe(true);
    expect(await reporterProtection(t.database, 'not-a-session', { kind: 'reprisal', body: 'x' })).toBe(false);
    const opened = (await api('handler', 'GET', `/api/v1/cases/${reportId}`)).json();
    const request = opened.protection.find((p: { kind: string }) => p.kind === 'protection');
    expect(request).toMatchObject({ body: 'Mon chef me menace de mutation', status: 'open', followUpDay: null });
    expect((await api('handler', 'POST', `/api/v1/cases/${reportId}/protection-measures`, { body: 'Interlocuteur dédié désigné', followUpDay: '2020-01-01' })).statusCode).toBe(400);
    expect((await api('handler', 'POST', `/api/v1/cases/${reportId}/protection-measures`, { body: 'Interlocuteur dédié désigné', followUpDay: '2099-01-15' })).statusCode).toBe(200);
    expect((await api('handler', 'POST', `/api/v1/cases/${reportId}/protection-items/${request.id}`, { status: 'in-place', followUpDay: '2099-02-01' })).statusCode).toBe(200);
    expect((await api('mediateur', 'POST', `/api/v1/cases/${reportId}/protection-items/${request.id}`, { status: 'closed' })).statusCode).toBe(404);
    const view = await reporterSees();
    expect(view.protection).toEqual([
      expect.objectContaining({ kind: 'protection', status: 'in-place', followUpDay: '2099-02-01' }),
      expect.objectContaining({ kind: 'measure', body: 'Interlocuteur dédié désigné', followUpDay: '2099-01-15' }),
    ]);
  });
});

describe('transfer', () => {
  it('re-seals the case to the receiving institution: the sender loses access, the reporter is told, the receipt still works', async () => {
    expect((await api('handler', 'POST', `/api/v1/cases/${reportId}/transfer`, { organisationId: org.inpplc })).statusCode).toBe(400);
    expect((await api('handler', 'POST', `/api/v1/cases/${reportId}/transfer`, { organisationId: org.mediateur })).statusCode).toBe(200);
    expect((await api('handler', 'GET', `/api/v1/cases/${reportId}`)).statusCode).toBe(404);
    const received = await api('mediateur', 'GET', `/api/v1/cases/${reportId}`);
    expect(received.statusCode).toBe(200);
    expect(received.json()).toMatchObject({ status: 'received', organisationId: org.mediateur, handlerId: null });
    expect(received.json().content.answers.what).toContain(CANARY);
    // The sender's keys no longer open the report key, even read straight from the database.
    const report = await t.database.db.selectFrom('reports').selectAll().where('id', '=', reportId).executeTakeFirstOrThrow();
    const inpplcKeys = (await keys.openWithRecoveryKey(t.database.db, org.inpplc!, recoveryKeys.inpplc!))!;
    const { openSealed } = await import('../../src/crypto/box.js');
    for (const k of inpplcKeys) expect(() => openSealed(Buffer.from(report.key_for_organisation, 'base64'), k.pair)).toThrow();
    const view = await reporterSees();
    expect(view.organisationId).toBe(org.mediateur);
    expect(view.messages).toContainEqual(expect.objectContaining({ author: 'notice', notice: expect.objectContaining({ key: 'notice.transferred', institution: expect.objectContaining({ fr: expect.stringContaining('Médiateur') }) }) }));
    const transfers = await t.database.db.selectFrom('case_transfers').selectAll().execute();
    expect(transfers).toEqual([expect.objectContaining({ from_organisation_id: org.inpplc, to_organisation_id: org.mediateur })]);
  });
});
