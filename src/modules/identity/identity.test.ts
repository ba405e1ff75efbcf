import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/index.js';
import { openSealed, seal } from '../../crypto/box.js';
import { createReadyDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import { buildUser, currentCode, identityContext } from '../../../test/helpers/identity.js';
import { anchorFile, readAnchors, verifyAudit } from '../audit/service.js';
import * as keys from './keys.js';
import * as repo from './repository.js';
import * as identity from './service.js';

let test: TestDatabase;
let database: Database;
let ctx: identity.IdentityContext;
beforeAll(async () => {
  ({ test, database } = await createReadyDatabase());
  ctx = identityContext(database);
});
afterAll(() => test.cleanup());

const actions = async () => (await database.db.selectFrom('audit_log').select(['action', 'target', 'details']).orderBy('seq').execute());

describe('accounts', () => {
  it('a created user is invited with a 24-hour activation token, and the creation is audited', async () => {
    const { userId, activationToken } = await identity.createUser(ctx, { email: ' Amina@Example.ORG ', displayName: 'Amina', roles: ['platform-admin'], organisationId: null, locale: 'ar' }, { actor: 'cli' });
    expect(activationToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await identity.findActivation(ctx, activationToken)).toMatchObject({ id: userId, email: 'amina@example.org', status: 'invited' });
    expect(await identity.findActivation(ctx, 'x'.repeat(43))).toBeNull();
    const last = (await actions()).at(-1)!;
    expect(last).toMatchObject({ action: 'user.created', target: `user:${userId}` });
    expect(JSON.stringify(last)).not.toContain('amina');
  });

  it('refuses a duplicate e-mail and a role foreign to the organisation', async () => {
    await expect(identity.createUser(ctx, { email: 'amina@example.org', displayName: 'A', roles: ['platform-admin'], organisationId: null, locale: 'fr' }, { actor: 'cli' })).rejects.toMatchObject({ code: 'conflict' });
    const ngo = await identity.createOrganisation(ctx, { slug: 'transparency-maroc', kind: 'ngo', names: { ar: 'ترانسبرانسي المغرب', fr: 'Transparency Maroc', en: 'Transparency Morocco' } }, 'cli');
    await expect(identity.createUser(ctx, { email: 'x@tm.ma', displayName: 'X', roles: ['case-handler'], organisationId: ngo.id, locale: 'fr' }, { actor: 'cli' })).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('activation checks the password rules, the confirmation and the TOTP code, then cannot be replayed', async () => {
    const { activationToken } = await identity.createUser(ctx, { email: 'karim@example.org', displayName: 'Karim', roles: ['platform-admin'], organisationId: null, locale: 'fr' }, { actor: 'cli' });
    const totpSecret = identity.newTotpSecret();
    const base = { token: activationToken, totpSecret };
    expect(await identity.activate(ctx, { ...base, password: 'short', confirm: 'short', code: '000000' })).toEqual({ ok: false, errors: { password: 'too_short', code: 'bad_code' } });
    expect(await identity.activate(ctx, { ...base, password: 'Password1234', confirm: 'Password1234', code: currentCode(totpSecret) })).toEqual({ ok: false, errors: { password: 'common' } });
    expect(await identity.activate(ctx, { ...base, password: 'a fine passphrase', confirm: 'another one', code: currentCode(totpSecret) })).toEqual({ ok: false, errors: { confirm: 'mismatch' } });
    const ok = await identity.activate(ctx, { ...base, password: 'a fine passphrase', confirm: 'a fine passphrase', code: currentCode(totpSecret) });
    expect(ok.ok && ok.recoveryCodes).toHaveLength(10);
    expect(await identity.activate(ctx, { ...base, password: 'a fine passphrase', confirm: 'a fine passphrase', code: currentCode(totpSecret) })).toEqual({ ok: false, errors: { token: 'expired' } });
    const user = (await repo.findUser(database.db, { email: 'karim@example.org' }))!;
    expect(user.status).toBe('active');
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    expect(user.totp_secret).not.toContain(totpSecret.toString('base64'));
  });
});

describe('sign-in', () => {
  it('needs the e-mail, the password and a fresh TOTP code; the same code cannot be used twice', async () => {
    const u = await buildUser(ctx);
    const source = '192.0.2.10';
    expect(await identity.signIn(ctx, { email: u.email, password: u.password, code: '123456', source })).toEqual({ ok: false, reason: 'invalid' });
    const code = currentCode(u.totpSecret);
    const ok = await identity.signIn(ctx, { email: u.email.toUpperCase(), password: u.password, code, source });
    expect(ok.ok).toBe(true);
    expect(await identity.signIn(ctx, { email: u.email, password: u.password, code, source })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('a recovery code replaces the TOTP code, once', async () => {
    const u = await buildUser(ctx);
    const code = u.recoveryCodes[3]!.toLowerCase();
    expect((await identity.signIn(ctx, { email: u.email, password: u.password, code, source: 's' })).ok).toBe(true);
    expect(await identity.signIn(ctx, { email: u.email, password: u.password, code, source: 's' })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('gives the same answer for an unknown account, a wrong password and a wrong code', async () => {
    const u = await buildUser(ctx);
    const answers = await Promise.all([
      identity.signIn(ctx, { email: 'nobody@example.org', password: u.password, code: currentCode(u.totpSecret), source: 'a' }),
      identity.signIn(ctx, { email: u.email, password: 'wrong wrong wrong', code: currentCode(u.totpSecret), source: 'b' }),
      identity.signIn(ctx, { email: u.email, password: u.password, code: '000000', source: 'c' }),
    ]);
    expect(new Set(answers.map((a) => JSON.stringify(a)))).toEqual(new Set([JSON.stringify({ ok: false, reason: 'invalid' })]));
  });

  it('pauses an account after 5 failures, even with the right credentials, and an unknown one alike', async () => {
    const u = await buildUser(ctx);
    for (let i = 0; i < 5; i++) await identity.signIn(ctx, { email: u.email, password: 'wrong password!', code: '000000', source: `s${i}` });
    expect(await identity.signIn(ctx, { email: u.email, password: u.password, code: currentCode(u.totpSecret), source: 'fresh' })).toEqual({ ok: false, reason: 'throttled' });
    for (let i = 0; i < 5; i++) await identity.signIn(ctx, { email: 'ghost@example.org', password: 'wrong password!', code: '000000', source: `g${i}` });
    expect(await identity.signIn(ctx, { email: 'ghost@example.org', password: 'x', code: '0', source: 'fresh' })).toEqual({ ok: false, reason: 'throttled' });
  });

  it('pauses a source after 20 failures across accounts', async () => {
    const u = await buildUser(ctx);
    for (let i = 0; i < 20; i++) await identity.signIn(ctx, { email: `spray${i}@example.org`, password: 'guess guess guess', code: '000000', source: '198.51.100.1' });
    expect(await identity.signIn(ctx, { email: u.email, password: u.password, code: currentCode(u.totpSecret), source: '198.51.100.1' })).toEqual({ ok: false, reason: 'throttled' });
    expect((await identity.signIn(ctx, { email: u.email, password: u.password, code: currentCode(u.totpSecret), source: '198.51.100.2' })).ok).toBe(true);
  });
});

describe('sessions', () => {
  async function signedIn() {
    const u = await buildUser(ctx);
    const r = await identity.signIn(ctx, { email: u.email, password: u.password, code: currentCode(u.totpSecret), source: 'x' });
    if (!r.ok) throw new Error('sign-in failed');
    return { ...u, cookie: r.cookie };
  }

  it('resolve to the user, hold the user key under the cookie, and end at sign-out', async () => {
    const u = await signedIn();
    const s = (await identity.resolveSession(ctx, u.cookie))!;
    expect(s.user.id).toBe(u.userId);
    expect(s.roles).toEqual(['platform-admin']);
    const privateKey = await identity.sessionPrivateKey(ctx, s);
    const sealed = seal(Buffer.from('hello'), Buffer.from(s.user.public_key!, 'base64'));
    expect(openSealed(sealed, keys.userKeyPair(s.user.public_key!, privateKey)).toString()).toBe('hello');
    // The database alone cannot open the user key: the session key is only in the cookie.
    const tampered = `${u.cookie.split('.')[0]}.${Buffer.alloc(32).toString('base64url')}`;
    await expect(identity.sessionPrivateKey(ctx, (await identity.resolveSession(ctx, tampered))!)).rejects.toThrow();
    await identity.signOut(ctx, s);
    expect(await identity.resolveSession(ctx, u.cookie)).toBeNull();
  });

  it('expire after 30 idle minutes and after 12 hours whatever the activity', async () => {
    const a = await signedIn();
    const sa = (await identity.resolveSession(ctx, a.cookie))!;
    await database.db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 31 * 60_000).toISOString() }).where('id_hash', '=', sa.idHash).execute();
    expect(await identity.resolveSession(ctx, a.cookie)).toBeNull();
    const b = await signedIn();
    const sb = (await identity.resolveSession(ctx, b.cookie))!;
    await database.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id_hash', '=', sb.idHash).execute();
    expect(await identity.resolveSession(ctx, b.cookie)).toBeNull();
    expect(await identity.resolveSession(ctx, 'garbage')).toBeNull();
  });

  it('sign-out everywhere ends every session of the user', async () => {
    const u = await buildUser(ctx);
    const one = await identity.signIn(ctx, { email: u.email, password: u.password, code: currentCode(u.totpSecret), source: 'x' });
    const two = await identity.signIn(ctx, { email: u.email, password: u.password, code: u.recoveryCodes[0]!, source: 'y' });
    if (!one.ok || !two.ok) throw new Error('sign-in failed');
    await identity.signOut(ctx, (await identity.resolveSession(ctx, one.cookie))!, true);
    expect(await identity.resolveSession(ctx, two.cookie)).toBeNull();
  });
});

describe('organisation keys', () => {
  it('reach members, survive a leaver (who cannot read what comes after), and the recovery key restores access', async () => {
    const org = await identity.createOrganisation(ctx, { slug: 'inpplc-test', kind: 'institution', names: { ar: 'الهيئة', fr: 'Instance', en: 'Authority' } }, 'cli');
    const admin = await buildUser(ctx, { roles: ['institution-admin'], organisationId: org.id });
    const handler = await buildUser(ctx, { roles: ['case-handler'], organisationId: org.id });
    const unlock = async (u: { userId: number; password: string }) => {
      const user = (await repo.findUser(database.db, { id: u.userId }))!;
      return { userId: u.userId, keys: keys.userKeyPair(user.public_key!, await keys.unlockWithPassword(user.private_key_by_password!, u.password)) };
    };
    // A report arrives before anyone holds the key.
    const early = seal(Buffer.from('report before staff'), (await keys.currentPublicKey(database.db, org.id)).publicKey);
    // The first admin claims the key with the recovery key, then gives it to the handler.
    expect(await keys.openWithRecoveryKey(database.db, org.id, 'AAAA-BBBB')).toBeNull();
    const opened = (await keys.openWithRecoveryKey(database.db, org.id, org.recoveryKey.toLowerCase().replace(/-/g, ' ')))!;
    expect(opened).toHaveLength(1);
    await keys.grantToMember(database.db, opened, { userId: admin.userId, publicKey: (await repo.findUser(database.db, { id: admin.userId }))!.public_key! });
    const adminKeys = await keys.openOrganisationKeys(database.db, org.id, await unlock(admin));
    await keys.grantToMember(database.db, adminKeys, { userId: handler.userId, publicKey: (await repo.findUser(database.db, { id: handler.userId }))!.public_key! });
    const handlerKeys = await keys.openOrganisationKeys(database.db, org.id, await unlock(handler));
    expect(openSealed(early, handlerKeys[0]!.pair).toString()).toBe('report before staff');

    // The handler leaves: a new key version, which the handler never receives.
    await keys.rotateOnLeave(database.db, org.id, handler.userId);
    const late = seal(Buffer.from('report after rotation'), (await keys.currentPublicKey(database.db, org.id)).publicKey);
    expect(await keys.openOrganisationKeys(database.db, org.id, await unlock(handler))).toEqual([]);
    expect(handlerKeys.some((k) => { try { openSealed(late, k.pair); return true; } catch { return false; } })).toBe(false);
    // The admin reads both; so does the recovery key, should every member lose access.
    const adminNow = await keys.openOrganisationKeys(database.db, org.id, await unlock(admin));
    expect(adminNow.map((k) => k.retired)).toEqual([true, false]);
    expect(openSealed(late, adminNow[1]!.pair).toString()).toBe('report after rotation');
    expect(openSealed(early, adminNow[0]!.pair).toString()).toBe('report before staff');
    const recovered = (await keys.openWithRecoveryKey(database.db, org.id, org.recoveryKey))!;
    expect(openSealed(late, recovered[1]!.pair).toString()).toBe('report after rotation');
  });
});

describe('audit', () => {
  it('every identity action above left an intact chain', async () => {
    const result = await verifyAudit(database.db, readAnchors(anchorFile(test.dataDir)));
    expect(result.ok).toBe(true);
    const names = new Set((await actions()).map((a) => a.action));
    for (const a of ['organisation.created', 'user.created', 'user.activated', 'auth.sign-in', 'auth.sign-in.failed', 'auth.sign-out', 'auth.sign-out.everywhere']) expect(names).toContain(a);
  });
});

describe('housekeeping', () => {
  it('the maintenance job deletes expired and idle sessions, and only those', async () => {
    const { registerMaintenance } = await import('../../jobs/maintenance.js');
    const { Worker } = await import('../../jobs/queue.js');
    const pino = (await import('pino')).default;
    const u = await buildUser(ctx);
    const live = await identity.signIn(ctx, { email: u.email, password: u.password, code: currentCode(u.totpSecret), source: 'hk' });
    const idle = await identity.signIn(ctx, { email: u.email, password: u.password, code: u.recoveryCodes[0]!, source: 'hk' });
    if (!live.ok || !idle.ok) throw new Error('sign-in failed');
    const idleSession = (await identity.resolveSession(ctx, idle.cookie))!;
    await database.db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 3_600_000).toISOString() }).where('id_hash', '=', idleSession.idHash).execute();
    await registerMaintenance(new Worker({ database, log: pino({ level: 'silent' }) })).drain();
    const left = await database.db.selectFrom('sessions').select('id_hash').where('user_id', '=', u.userId).execute();
    expect(left.map((r) => r.id_hash)).toEqual([(await identity.resolveSession(ctx, live.cookie))!.idHash]);
  });
});
