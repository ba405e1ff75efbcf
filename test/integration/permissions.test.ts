// The permission matrix: every registered route, for every role and for anonymous visitors. A new
// route without an entry here fails, and so does any allow the table does not expect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles, type Role, rolesFor } from '../../src/modules/identity/roles.js';
import * as identity from '../../src/modules/identity/service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { Browser } from '../helpers/browser.js';
import { buildUser, identityContext } from '../helpers/identity.js';

type Who = Role | 'anonymous';
const everyone: Who[] = ['anonymous', ...roles];
const staff: Who[] = [...roles];
const admins: Who[] = ['platform-admin', 'institution-admin', 'ngo-admin'];
const organisationAdmins: Who[] = ['institution-admin', 'ngo-admin'];
const ruleEditors: Who[] = ['platform-admin', 'publisher'];
const reportTakers: Who[] = ['institution-admin', 'case-handler'];
const caseHandlers: Who[] = ['institution-admin', 'case-handler'];
const caseReaders: Who[] = ['institution-admin', 'case-handler', 'custodian'];
const questionnaireBuilders: Who[] = ['platform-admin', 'institution-admin'];
const statisticsReaders: Who[] = ['platform-admin', ...caseReaders];

/** Who may use each route (paths with /{lang}/ stand for the four languages). */
const expected: Record<string, Who[]> = {
  'GET /': everyone, 'GET /{lang}': everyone, 'GET /{lang}/': everyone,
  'GET /healthz': everyone, 'GET /readyz': everyone, 'GET /assets/:file': everyone,
  'GET /api/openapi.json': everyone, 'GET /api/docs': everyone, 'GET /api/docs/json': everyone, 'GET /api/docs/yaml': everyone,
  'GET /api/docs/static/index.html': everyone, 'GET /api/docs/static/swagger-initializer.js': everyone, 'GET /api/docs/static/*': everyone,
  'GET /{lang}/institutions/:slug': everyone, 'GET /api/v1/institutions': everyone, 'GET /api/v1/institutions.csv': everyone, 'GET /api/v1/institutions/:slug': everyone,
  'GET /api/v1/regions': everyone, 'GET /api/v1/orientation/statistics': everyone, 'GET /api/v1/regions.csv': everyone, 'GET /api/v1/regions/:code': everyone, 'POST /api/v1/feedback': everyone,
  'GET /{lang}/orientation': everyone, 'GET /{lang}/report': everyone, 'GET /{lang}/follow-up': everyone, 'GET /{lang}/institutions': everyone,
  'GET /{lang}/officials': everyone, 'GET /{lang}/data': everyone, 'GET /{lang}/ngos': everyone, 'GET /{lang}/consultations': everyone,
  'GET /{lang}/guide': everyone, 'GET /{lang}/feedback': everyone, 'GET /{lang}/feedback/thanks': everyone, 'POST /{lang}/feedback': everyone,
  'POST /{lang}/report': everyone, 'GET /{lang}/report/step/:step': everyone, 'POST /{lang}/report/step/:step': everyone,
  'GET /{lang}/report/identity': everyone, 'POST /{lang}/report/identity': everyone, 'GET /{lang}/report/notices': everyone, 'POST /{lang}/report/notices': everyone,
  'GET /{lang}/report/review': everyone, 'POST /{lang}/report/submit': everyone,
  'POST /{lang}/follow-up': everyone, 'GET /{lang}/follow-up/report': everyone, 'POST /{lang}/follow-up/reply': everyone, 'POST /{lang}/follow-up/sign-out': everyone,
  'GET /{lang}/staff/sign-in': everyone, 'POST /{lang}/staff/sign-in': everyone,
  'GET /{lang}/staff/password-reset': everyone, 'POST /{lang}/staff/password-reset': everyone,
  'GET /{lang}/staff/password-reset/new': everyone, 'POST /{lang}/staff/password-reset/new': everyone,
  'GET /{lang}/staff/activate': everyone, 'POST /{lang}/staff/activate': everyone,
  'GET /{lang}/staff': staff, 'GET /{lang}/staff/account': staff, 'POST /{lang}/staff/sign-out': staff,
  'POST /{lang}/staff/account/password': staff, 'POST /{lang}/staff/account/sign-out-everywhere': staff, 'POST /{lang}/staff/account/recovery-codes': staff,
  'GET /{lang}/staff/users': admins, 'GET /{lang}/staff/users/invite': admins, 'POST /{lang}/staff/users/invite': admins,
  'POST /{lang}/staff/users/:id/role': admins, 'GET /{lang}/staff/users/:id/deactivate': admins, 'POST /{lang}/staff/users/:id/deactivate': admins,
  'GET /{lang}/staff/audit': admins,
  'GET /{lang}/staff/reports/new': reportTakers, 'POST /{lang}/staff/reports/new': reportTakers,
  'GET /{lang}/staff/orientation': ruleEditors, 'POST /{lang}/staff/orientation/drafts': ruleEditors, 'GET /{lang}/staff/orientation/:id': ruleEditors,
  'POST /{lang}/staff/orientation/:id': ruleEditors, 'POST /{lang}/staff/orientation/:id/publish': ruleEditors,
  'GET /{lang}/staff/questionnaires': questionnaireBuilders, 'GET /{lang}/staff/questionnaires/:id': questionnaireBuilders,
  'POST /{lang}/staff/questionnaires/:id/drafts': questionnaireBuilders, 'POST /{lang}/staff/questionnaires/:id/draft': questionnaireBuilders,
  'POST /{lang}/staff/questionnaires/:id/publish': questionnaireBuilders,
  'GET /{lang}/staff/questionnaires/:id/settings': questionnaireBuilders, 'POST /{lang}/staff/questionnaires/:id/settings': questionnaireBuilders, 'GET /{lang}/staff/questionnaires/:id/preview/:step': questionnaireBuilders,
  'GET /{lang}/staff/holidays': ['platform-admin'], 'POST /{lang}/staff/holidays': ['platform-admin'],
  'GET /{lang}/staff/holidays/:day/delete': ['platform-admin'], 'POST /{lang}/staff/holidays/:day/delete': ['platform-admin'],
  'GET /{lang}/staff/organisations': ['platform-admin'], 'GET /{lang}/staff/organisations/new': ['platform-admin'], 'POST /{lang}/staff/organisations/new': ['platform-admin'],
  'GET /{lang}/staff/cases': caseReaders, 'GET /{lang}/staff/cases/overdue': caseReaders,
  'POST /{lang}/staff/cases/:id/deadlines/:deadline': caseHandlers, 'POST /api/v1/cases/:id/deadlines/:deadline': caseHandlers, 'GET /{lang}/staff/cases/:id': caseReaders, 'POST /{lang}/staff/cases/take-over': ['institution-admin'],
  ...Object.fromEntries(['status', 'messages', 'notes', 'assignment', 'labels', 'custody', 'transfer', 'protection', 'protection/:item'].map((a) => [`POST /{lang}/staff/cases/:id/${a}`, caseHandlers])),
  'POST /{lang}/follow-up/protection': everyone, 'POST /{lang}/follow-up/attachments': everyone,
  'GET /{lang}/staff/cases/:id/attachments/:file': caseReaders, 'POST /{lang}/staff/cases/:id/attachments': caseHandlers,
  'GET /api/v1/cases/:id/attachments/:file': caseReaders,
  'GET /{lang}/staff/cases/:id/export': caseHandlers, 'GET /api/v1/cases/:id/export': caseHandlers,
  'GET /{lang}/staff/cases/:id/attachments/:file/original': caseReaders, 'GET /api/v1/cases/:id/attachments/:file/original': caseReaders,
  'GET /{lang}/staff/custody': ['custodian'], 'POST /{lang}/staff/custody/:id/decision': ['custodian'], 'POST /{lang}/staff/custody/:id/disclosure': caseHandlers,
  'GET /api/v1/cases': caseReaders, 'GET /api/v1/cases/:id': caseReaders, 'POST /api/v1/cases/take-over': ['institution-admin'],
  'GET /{lang}/staff/cases/statistics': statisticsReaders, 'GET /{lang}/staff/cases/statistics.csv': statisticsReaders, 'GET /api/v1/cases/statistics': statisticsReaders,
  ...Object.fromEntries(['status', 'messages', 'notes', 'assignment', 'labels', 'transfer', 'custody-requests', 'protection-measures', 'protection-items/:item'].map((a) => [`POST /api/v1/cases/:id/${a}`, caseHandlers])),
  'POST /api/v1/custody-requests/:id/decision': ['custodian'], 'POST /api/v1/custody-requests/:id/disclosure': caseHandlers,
  // Retention: handlers place a legal hold; only institution admins lift one.
  'POST /{lang}/staff/cases/:id/legal-hold': caseHandlers, 'POST /{lang}/staff/cases/:id/legal-hold/release': ['institution-admin'],
  'POST /api/v1/cases/:id/legal-hold': caseHandlers, 'POST /api/v1/cases/:id/legal-hold/release': ['institution-admin'],
  'GET /{lang}/staff/keys': organisationAdmins, 'POST /{lang}/staff/keys/claim': organisationAdmins, 'POST /{lang}/staff/keys/grant': organisationAdmins,
};
// These end the session that makes them: each gets a fresh one.
const endsSession = new Set(['POST /{lang}/staff/sign-out', 'POST /{lang}/staff/account/sign-out-everywhere']);

let t: TestApp;
let routes: { key: string; method: string; url: string }[];
const users = new Map<Role, Awaited<ReturnType<typeof buildUser>>[]>();

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_MAX: '100000' });
  await t.app.ready();
  const ctx = identityContext(t.database);
  const institution = await identity.createOrganisation(ctx, { slug: 'inst', kind: 'institution', names: { ar: 'م', fr: 'Institution', en: 'Institution' } }, 'cli');
  const ngo = await identity.createOrganisation(ctx, { slug: 'ngo', kind: 'ngo', names: { ar: 'ج', fr: 'Association', en: 'Association' } }, 'cli');
  for (const role of roles) {
    const organisationId = rolesFor('institution').includes(role) ? institution.id : rolesFor('ngo').includes(role) ? ngo.id : null;
    users.set(role, [await buildUser(ctx, { roles: [role], organisationId }), await buildUser(ctx, { roles: [role], organisationId })]);
  }
  const seen = new Set<string>();
  routes = t.app.registeredRoutes
    .map((r) => ({ ...r, key: `${r.method} ${r.url.replace(/^\/(ar|fr|en|zgh)(\/|$)/, '/{lang}$2')}` }))
    .filter((r) => !seen.has(r.key) && seen.add(r.key));
});
afterAll(() => t.close());

const concrete = (url: string) => url.replace(/^\/(ar|fr|en|zgh)(?=\/|$)/, '/fr').replace(':id', '999999').replace(':item', '1').replace(':code', 'MA-01').replace(':slug', 'inpplc').replace(':step', 'facts').replace(':file', 'x.css').replace('*', 'index.html');

async function signedIn(who: Who, n = 0, code = 0): Promise<Browser> {
  const b = new Browser(() => t.app);
  if (who === 'anonymous') return b;
  const u = users.get(who)![n]!;
  const res = await b.submit('/fr/staff/sign-in', '/fr/staff/sign-in', { email: u.email, password: u.password, code: u.recoveryCodes[code]! });
  if (res.statusCode !== 303) throw new Error(`sign-in failed for ${who}: ${res.statusCode}`);
  return b;
}

async function attempt(b: Browser, route: { method: string; url: string }): Promise<{ allowed: boolean; status: number }> {
  const url = concrete(route.url);
  let res;
  if (route.method === 'GET') res = await b.get(url);
  else if (url.startsWith('/api/')) res = await t.app.inject({ method: 'POST', url, payload: {}, headers: { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
  else {
    const page = await b.get('/fr/feedback');
    const csrf = page.body.match(/name="_csrf" value="([^"]+)"/)![1]!;
    res = await b.request('POST', url, { _csrf: csrf });
  }
  const toSignIn = res.statusCode === 303 && String(res.headers.location).includes('/staff/sign-in?next=');
  return { allowed: ![401, 403].includes(res.statusCode) && !toSignIn, status: res.statusCode };
}

describe('permission matrix', () => {
  it('has an entry for every registered route, and none for routes that do not exist', () => {
    const keys = routes.map((r) => r.key);
    expect(keys.filter((k) => !(k in expected)), 'routes without an entry').toEqual([]);
    expect(Object.keys(expected).filter((k) => !keys.includes(k)), 'entries without a route').toEqual([]);
  });

  it.each(everyone)('%s is allowed exactly what the table says', async (who) => {
    const b = await signedIn(who);
    const unexpected: string[] = [];
    const ordered = [...routes.filter((r) => !endsSession.has(r.key)), ...routes.filter((r) => endsSession.has(r.key))];
    let fresh = 0;
    for (const route of ordered) {
      const browser = endsSession.has(route.key) && who !== 'anonymous' ? await signedIn(who, 1, fresh++) : b;
      const { allowed, status } = await attempt(browser, route);
      const shouldAllow = expected[route.key]!.includes(who);
      if (allowed !== shouldAllow) unexpected.push(`${route.key} → ${status} (${allowed ? 'allowed' : 'denied'}, expected ${shouldAllow ? 'allowed' : 'denied'})`);
      // Empty or odd input must get a clear 4xx, never a failure.
      if (status >= 500) unexpected.push(`${route.key} → ${status} (server error)`);
    }
    expect(unexpected).toEqual([]);
  });
});
