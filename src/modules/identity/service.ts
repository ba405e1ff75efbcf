// Accounts: creation (CLI or invitation), activation with password and TOTP, sign-in, sessions.
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { decrypt, encrypt, randomBytes } from '../../crypto/box.js';
import { hashPassword, verifyPassword } from '../../crypto/kdf.js';
import { type Database, nowIso, writeTransaction } from '../../db/index.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import * as throttle from '../../web/rate-limit-repository.js';
import { appendAudit } from '../audit/service.js';
import * as keys from './keys.js';
import { type PasswordProblem, passwordProblem } from './password-policy.js';
import * as repo from './repository.js';
import { type OrganisationKind, type Role, rolesFor } from './roles.js';
import { verifyTotp } from './totp.js';

export interface IdentityContext {
  database: Database;
  /** Server key for TOTP secrets at rest (derived from the root secret). */
  totpKey: Buffer;
  /** Server key for throttling keys (HMAC of e-mail addresses and client addresses). */
  throttleKey: Buffer;
}

export const ACTIVATION_TTL_MS = 24 * 3_600_000;
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;
const ACCOUNT_FAILURES = 5;
const SOURCE_FAILURES = 20;
const THROTTLE_WINDOW_MS = 15 * 60_000;

const sha256 = (s: string | Buffer): string => crypto.createHash('sha256').update(s).digest('hex');
const token = (): string => randomBytes(32).toString('base64url');
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

// Organisations

export interface NewOrganisation {
  slug: string;
  kind: OrganisationKind;
  parentId?: number | null;
  names: { ar: string; fr: string; en: string; zgh?: string | null };
}

/**
 * Creates an organisation inside the caller's write transaction: its first key version, sealed to
 * a new recovery key whose private half is returned to be shown once and never stored.
 */
export async function createOrganisationIn(trx: Kysely<DB>, dialect: Database['dialect'], input: NewOrganisation, actor: string): Promise<{ id: number; recoveryKey: string }> {
  const recovery = keys.newRecoveryKey();
  if (await repo.findOrganisation(trx, { slug: input.slug })) throw new AppError('conflict', { message: `an organisation already has the slug ${input.slug}` });
  const id = await repo.insertOrganisation(trx, {
    slug: input.slug, kind: input.kind, parent_id: input.parentId ?? null,
    name_ar: input.names.ar, name_fr: input.names.fr, name_en: input.names.en, name_zgh: input.names.zgh ?? null,
    recovery_public_key: recovery.publicKey.toString('base64'), created_at: nowIso(),
  });
  await keys.createOrganisationKeys(trx, id, recovery.publicKey);
  await appendAudit(trx, dialect, { actor, organisation: `org:${id}`, action: 'organisation.created', target: `org:${id}`, details: { kind: input.kind } });
  return { id, recoveryKey: recovery.text };
}

export async function createOrganisation(ctx: IdentityContext, input: NewOrganisation, actor: string): Promise<{ id: number; recoveryKey: string }> {
  return writeTransaction(ctx.database, (trx) => createOrganisationIn(trx, ctx.database.dialect, input, actor));
}

// Users

export interface NewUser { email: string; displayName: string; roles: Role[]; organisationId: number | null; locale: string }

/** Creates an invited user and a one-time activation token (valid 24 h); the action is audited. */
export async function createUser(ctx: IdentityContext, input: NewUser, actor: { actor: string; organisation?: string }): Promise<{ userId: number; activationToken: string }> {
  const email = normaliseEmail(input.email);
  return writeTransaction(ctx.database, async (trx) => {
    const org = input.organisationId === null ? undefined : await repo.findOrganisation(trx, { id: input.organisationId });
    if (input.organisationId !== null && !org) throw new AppError('not_found', { message: 'organisation not found' });
    const allowed = rolesFor(org?.kind ?? null);
    const wrong = input.roles.filter((r) => !allowed.includes(r));
    if (input.roles.length === 0 || wrong.length) {
      throw new AppError('validation_failed', {
        fields: [{ field: 'role', messageKey: 'identity.role.not_for_organisation' }],
        message: `role ${wrong.join(', ') || '(none)'} not available here; choose among: ${allowed.join(', ')}`,
      });
    }
    if (await repo.findUser(trx, { email })) {
      throw new AppError('conflict', { fields: [{ field: 'email', messageKey: 'identity.email.taken' }], message: `an account already uses ${email}` });
    }
    const now = nowIso();
    const userId = await repo.insertUser(trx, {
      email, display_name: input.displayName, organisation_id: input.organisationId, status: 'invited', preferred_locale: input.locale,
      password_hash: null, totp_secret: null, totp_last_step: null, public_key: null, private_key_by_password: null, recovery: null,
      created_at: now, updated_at: now, activated_at: null, deactivated_at: null,
    });
    await repo.setRoles(trx, userId, input.roles);
    const activationToken = token();
    await repo.insertToken(trx, { token_hash: sha256(activationToken), user_id: userId, purpose: 'activation', expires_at: new Date(Date.now() + ACTIVATION_TTL_MS).toISOString(), created_at: now });
    await appendAudit(trx, ctx.database.dialect, {
      actor: actor.actor, organisation: actor.organisation ?? (input.organisationId ? `org:${input.organisationId}` : ''),
      action: 'user.created', target: `user:${userId}`, details: { roles: input.roles.join(','), via: actor.actor === 'cli' ? 'cli' : 'back-office' },
    });
    return { userId, activationToken };
  });
}

/** The invited user a still-valid activation token belongs to. */
export async function findActivation(ctx: IdentityContext, activationToken: string): Promise<repo.User | null> {
  const t = await repo.findToken(ctx.database.db, sha256(activationToken));
  if (!t || t.purpose !== 'activation' || t.used_at || t.expires_at <= nowIso()) return null;
  const user = await repo.findUser(ctx.database.db, { id: t.user_id });
  return user && user.status === 'invited' ? user : null;
}

export function newTotpSecret(): Buffer {
  return randomBytes(20);
}

/** The TOTP secret offered on the activation form travels sealed under the server key. */
export const sealPendingTotp = (ctx: IdentityContext, secret: Buffer, activationToken: string): string =>
  encrypt(secret, ctx.totpKey, `activation:${sha256(activationToken)}`).toString('base64url');
export function openPendingTotp(ctx: IdentityContext, sealed: string, activationToken: string): Buffer | null {
  try {
    return decrypt(Buffer.from(sealed, 'base64url'), ctx.totpKey, `activation:${sha256(activationToken)}`);
  } catch {
    return null;
  }
}

export type ActivationError = PasswordProblem | 'mismatch' | 'bad_code' | 'expired';

export async function activate(
  ctx: IdentityContext,
  input: { token: string; password: string; confirm: string; totpSecret: Buffer; code: string },
): Promise<{ ok: true; recoveryCodes: string[]; userId: number } | { ok: false; errors: Partial<Record<'password' | 'confirm' | 'code' | 'token', ActivationError>> }> {
  const user = await findActivation(ctx, input.token);
  if (!user) return { ok: false, errors: { token: 'expired' } };
  const errors: Partial<Record<'password' | 'confirm' | 'code', ActivationError>> = {};
  const problem = passwordProblem(input.password, { email: user.email });
  if (problem) errors.password = problem;
  else if (input.password !== input.confirm) errors.confirm = 'mismatch';
  const step = verifyTotp(input.totpSecret, input.code);
  if (step === null) errors.code = 'bad_code';
  if (Object.keys(errors).length) return { ok: false, errors };
  const [passwordHash, userKeys] = await Promise.all([hashPassword(input.password), keys.createUserKeys(input.password)]);
  const done = await writeTransaction(ctx.database, async (trx) => {
    if (!(await repo.useToken(trx, sha256(input.token), nowIso()))) return false;
    const now = nowIso();
    await repo.updateUser(trx, user.id, {
      status: 'active', password_hash: passwordHash, totp_secret: encrypt(input.totpSecret, ctx.totpKey, `totp:${user.id}`).toString('base64'),
      totp_last_step: step, public_key: userKeys.publicKey, private_key_by_password: userKeys.privateKeyByPassword, recovery: userKeys.recovery,
      activated_at: now, updated_at: now,
    });
    await appendAudit(trx, ctx.database.dialect, { actor: `user:${user.id}`, organisation: user.organisation_id ? `org:${user.organisation_id}` : '', action: 'user.activated', target: `user:${user.id}` });
    return true;
  });
  if (!done) return { ok: false, errors: { token: 'expired' } };
  return { ok: true, recoveryCodes: userKeys.recoveryCodes, userId: user.id };
}

// Sign-in and sessions

export interface SignInInput { email: string; password: string; code: string; source: string }
export type SignInResult = { ok: true; cookie: string; userId: number } | { ok: false; reason: 'invalid' | 'throttled' };

const throttleKeys = (ctx: IdentityContext, email: string, source: string) => ({
  account: `signin:a:${crypto.createHmac('sha256', ctx.throttleKey).update(normaliseEmail(email)).digest('base64url').slice(0, 32)}`,
  source: `signin:s:${crypto.createHmac('sha256', ctx.throttleKey).update(source).digest('base64url').slice(0, 32)}`,
});

// Verifying against this when the account does not exist keeps the answer time the same.
let dummyHash: Promise<string> | undefined;

/**
 * E-mail + password + TOTP code (or an unused recovery code). Every failure gets the same answer;
 * failures are counted per account and per source in the database (so across nodes), and past
 * the limits sign-in pauses for 15 minutes whether or not the account exists.
 */
export async function signIn(ctx: IdentityContext, input: SignInInput): Promise<SignInResult> {
  const { db } = ctx.database;
  const k = throttleKeys(ctx, input.email, input.source);
  if ((await throttle.peek(db, k.account)) >= ACCOUNT_FAILURES || (await throttle.peek(db, k.source)) >= SOURCE_FAILURES) return { ok: false, reason: 'throttled' };
  const user = await repo.findUser(db, { email: normaliseEmail(input.email) });
  const fail = async (userId?: number): Promise<SignInResult> => {
    await throttle.hit(db, k.account, THROTTLE_WINDOW_MS);
    await throttle.hit(db, k.source, THROTTLE_WINDOW_MS);
    await writeTransaction(ctx.database, (trx) =>
      appendAudit(trx, ctx.database.dialect, { actor: userId ? `user:${userId}` : 'anonymous', action: 'auth.sign-in.failed', target: userId ? `user:${userId}` : '' }),
    );
    return { ok: false, reason: 'invalid' };
  };
  if (!user || user.status !== 'active' || !user.password_hash) {
    dummyHash ??= hashPassword('nazaha timing equaliser');
    await verifyPassword(await dummyHash, input.password);
    return fail(user?.id);
  }
  if (!(await verifyPassword(user.password_hash, input.password))) return fail(user.id);
  const secret = decrypt(Buffer.from(user.totp_secret!, 'base64'), ctx.totpKey, `totp:${user.id}`);
  const step = verifyTotp(secret, input.code, { lastStep: user.totp_last_step });
  let recovery: string | undefined;
  if (step === null) {
    const opened = user.recovery ? keys.unlockWithRecoveryCode(user.recovery, input.code) : null;
    if (!opened) return fail(user.id);
    recovery = JSON.stringify(opened.slots);
  }
  const privateKey = await keys.unlockWithPassword(user.private_key_by_password!, input.password);
  const id = randomBytes(32);
  const sessionKey = randomBytes(32);
  const idHash = sha256(id);
  const now = Date.now();
  await writeTransaction(ctx.database, async (trx) => {
    await repo.updateUser(trx, user.id, { ...(step !== null ? { totp_last_step: step } : { recovery }), updated_at: nowIso() });
    await repo.insertSession(trx, {
      id_hash: idHash, user_id: user.id, created_at: new Date(now).toISOString(), last_seen_at: new Date(now).toISOString(),
      expires_at: new Date(now + SESSION_ABSOLUTE_MS).toISOString(),
      user_key_box: encrypt(privateKey, sessionKey, `session:${idHash}`).toString('base64'),
    });
    await appendAudit(trx, ctx.database.dialect, {
      actor: `user:${user.id}`, organisation: user.organisation_id ? `org:${user.organisation_id}` : '', action: 'auth.sign-in', target: `user:${user.id}`,
      details: { second_factor: step !== null ? 'totp' : 'recovery-code' },
    });
  });
  await throttle.clear(db, k.account);
  return { ok: true, cookie: `${id.toString('base64url')}.${sessionKey.toString('base64url')}`, userId: user.id };
}

export interface ResolvedSession {
  idHash: string;
  sessionKey: Buffer;
  user: repo.User;
  roles: Role[];
  organisation: repo.Organisation | undefined;
}

/** The session a cookie names, if it is alive: not past 12 hours, not idle for 30 minutes, user active. */
export async function resolveSession(ctx: IdentityContext, cookie: string | undefined): Promise<ResolvedSession | null> {
  const m = cookie?.match(/^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/);
  if (!m) return null;
  const idHash = sha256(Buffer.from(m[1]!, 'base64url'));
  const { db } = ctx.database;
  const session = await repo.findSession(db, idHash);
  if (!session) return null;
  const now = Date.now();
  if (Date.parse(session.expires_at) <= now || Date.parse(session.last_seen_at) + SESSION_IDLE_MS <= now) {
    await repo.deleteSession(db, idHash);
    return null;
  }
  const user = await repo.findUser(db, { id: session.user_id });
  if (!user || user.status !== 'active') return null;
  // Refresh the idle clock at most once a minute: fewer writes, same 30-minute rule.
  if (now - Date.parse(session.last_seen_at) > 60_000) await repo.touchSession(db, idHash, new Date(now).toISOString());
  const organisation = user.organisation_id ? await repo.findOrganisation(db, { id: user.organisation_id }) : undefined;
  return { idHash, sessionKey: Buffer.from(m[2]!, 'base64url'), user, roles: (await repo.rolesOf(db, user.id)) as Role[], organisation };
}

/** The signed-in user's private key, opened with the key only their cookie holds. */
export async function sessionPrivateKey(ctx: IdentityContext, s: ResolvedSession): Promise<Buffer> {
  const session = await repo.findSession(ctx.database.db, s.idHash);
  if (!session?.user_key_box) throw new AppError('unauthenticated');
  return decrypt(Buffer.from(session.user_key_box, 'base64'), s.sessionKey, `session:${s.idHash}`);
}

export async function signOut(ctx: IdentityContext, s: ResolvedSession, everywhere = false): Promise<void> {
  await writeTransaction(ctx.database, async (trx) => {
    if (everywhere) await repo.deleteUserSessions(trx, s.user.id);
    else await repo.deleteSession(trx, s.idHash);
    await appendAudit(trx, ctx.database.dialect, { actor: `user:${s.user.id}`, action: everywhere ? 'auth.sign-out.everywhere' : 'auth.sign-out', target: `user:${s.user.id}` });
  });
}

export async function deleteExpiredSessions(db: Kysely<DB>): Promise<number> {
  const now = Date.now();
  return repo.deleteExpiredSessions(db, new Date(now).toISOString(), new Date(now - SESSION_IDLE_MS).toISOString());
}

export type PasswordChangeError = PasswordProblem | 'mismatch' | 'wrong_current';

/** Re-encrypts the user key under the new password; other sessions of the user end. */
export async function changePassword(
  ctx: IdentityContext,
  s: ResolvedSession,
  input: { current: string; password: string; confirm: string },
): Promise<{ ok: true } | { ok: false; errors: Partial<Record<'current' | 'password' | 'confirm', PasswordChangeError>> }> {
  const user = (await repo.findUser(ctx.database.db, { id: s.user.id }))!;
  if (!user.password_hash || !(await verifyPassword(user.password_hash, input.current))) return { ok: false, errors: { current: 'wrong_current' } };
  const problem = passwordProblem(input.password, { email: user.email });
  if (problem) return { ok: false, errors: { password: problem } };
  if (input.password !== input.confirm) return { ok: false, errors: { confirm: 'mismatch' } };
  const privateKey = await keys.unlockWithPassword(user.private_key_by_password!, input.current);
  const [passwordHash, locked] = await Promise.all([hashPassword(input.password), keys.lockWithPassword(privateKey, input.password)]);
  await writeTransaction(ctx.database, async (trx) => {
    await repo.updateUser(trx, user.id, { password_hash: passwordHash, private_key_by_password: locked, updated_at: nowIso() });
    await repo.deleteUserSessionsExcept(trx, user.id, s.idHash);
    await appendAudit(trx, ctx.database.dialect, { actor: `user:${user.id}`, action: 'user.password-changed', target: `user:${user.id}` });
  });
  return { ok: true };
}

export const RESET_TTL_MS = 3_600_000;

/**
 * Starts a password reset: a one-hour link by e-mail to an active account. The caller answers the
 * same whether or not the account exists.
 */
export async function requestPasswordReset(ctx: IdentityContext, email: string): Promise<{ userId: number; token: string; locale: string; email: string } | null> {
  const user = await repo.findUser(ctx.database.db, { email: normaliseEmail(email) });
  if (!user || user.status !== 'active') return null;
  const resetToken = token();
  await writeTransaction(ctx.database, async (trx) => {
    const now = nowIso();
    await repo.expireTokens(trx, user.id, 'password-reset', now);
    await repo.insertToken(trx, { token_hash: sha256(resetToken), user_id: user.id, purpose: 'password-reset', expires_at: new Date(Date.now() + RESET_TTL_MS).toISOString(), created_at: now });
    await appendAudit(trx, ctx.database.dialect, { actor: 'anonymous', action: 'user.password-reset.requested', target: `user:${user.id}` });
  });
  return { userId: user.id, token: resetToken, locale: user.preferred_locale, email: user.email };
}

export async function findPasswordReset(ctx: IdentityContext, resetToken: string): Promise<repo.User | null> {
  const t = await repo.findToken(ctx.database.db, sha256(resetToken));
  if (!t || t.purpose !== 'password-reset' || t.used_at || t.expires_at <= nowIso()) return null;
  const user = await repo.findUser(ctx.database.db, { id: t.user_id });
  return user && user.status === 'active' ? user : null;
}

/**
 * Completes a reset: a recovery code is required, both as second factor and because it alone can
 * open the user's encryption key without the old password. Every session of the user ends.
 */
export async function resetPassword(
  ctx: IdentityContext,
  input: { token: string; recoveryCode: string; password: string; confirm: string },
): Promise<{ ok: true } | { ok: false; errors: Partial<Record<'token' | 'recoveryCode' | 'password' | 'confirm', string>> }> {
  const user = await findPasswordReset(ctx, input.token);
  if (!user) return { ok: false, errors: { token: 'expired' } };
  const problem = passwordProblem(input.password, { email: user.email });
  if (problem) return { ok: false, errors: { password: problem } };
  if (input.password !== input.confirm) return { ok: false, errors: { confirm: 'mismatch' } };
  const opened = user.recovery ? keys.unlockWithRecoveryCode(user.recovery, input.recoveryCode) : null;
  if (!opened) return { ok: false, errors: { recoveryCode: 'bad_recovery_code' } };
  const [passwordHash, locked] = await Promise.all([hashPassword(input.password), keys.lockWithPassword(opened.privateKey, input.password)]);
  const done = await writeTransaction(ctx.database, async (trx) => {
    if (!(await repo.useToken(trx, sha256(input.token), nowIso()))) return false;
    await repo.updateUser(trx, user.id, { password_hash: passwordHash, private_key_by_password: locked, recovery: JSON.stringify(opened.slots), updated_at: nowIso() });
    await repo.deleteUserSessions(trx, user.id);
    await appendAudit(trx, ctx.database.dialect, { actor: `user:${user.id}`, action: 'user.password-reset', target: `user:${user.id}` });
    return true;
  });
  if (!done) return { ok: false, errors: { token: 'expired' } };
  // Proof of the mailbox and a recovery code lifts a pause on the account.
  await throttle.clear(ctx.database.db, throttleKeys(ctx, user.email, '').account);
  return { ok: true };
}

/** Ten fresh recovery codes replace the old ones; needs the key unlocked in the session. */
export async function regenerateRecoveryCodes(ctx: IdentityContext, s: ResolvedSession): Promise<string[]> {
  const privateKey = await sessionPrivateKey(ctx, s);
  const { codes, slots } = keys.lockWithRecoveryCodes(privateKey);
  await writeTransaction(ctx.database, async (trx) => {
    await repo.updateUser(trx, s.user.id, { recovery: JSON.stringify(slots), updated_at: nowIso() });
    await appendAudit(trx, ctx.database.dialect, { actor: `user:${s.user.id}`, action: 'user.recovery-codes-regenerated', target: `user:${s.user.id}` });
  });
  return codes;
}
