// What administrators do with accounts and organisation keys, always within their scope.
import { type Database, nowIso, writeTransaction } from '../../db/index.js';
import { AppError } from '../../errors.js';
import type { Mailer } from '../../mail/mailer.js';
import { translate, type Locale } from '../../web/i18n.js';
import { appendAudit, searchAudit } from '../audit/service.js';
import * as keys from './keys.js';
import { adminScope, canManageUsers, canViewAudit, inScope, type Scope } from './policy.js';
import * as repo from './repository.js';
import { type Role, rolesFor } from './roles.js';
import { createUser, type IdentityContext, type ResolvedSession, sessionPrivateKey } from './service.js';

export interface AdminContext extends IdentityContext { mailer: Mailer; publicUrl: string }

const actorOf = (s: ResolvedSession) => ({ actor: `user:${s.user.id}`, organisation: s.user.organisation_id ? `org:${s.user.organisation_id}` : '' });

async function scopeOf(database: Database, s: ResolvedSession): Promise<Scope> {
  if (!canManageUsers(s)) throw new AppError('forbidden');
  return adminScope(s, s.user.organisation_id ? await repo.childOrganisationIds(database.db, s.user.organisation_id) : []);
}

export interface UserRow { id: number; email: string; name: string; organisation: string; roles: string[]; status: string; needsKey: boolean }

export async function listManagedUsers(ctx: AdminContext, s: ResolvedSession, page: number): Promise<{ rows: UserRow[]; hasMore: boolean }> {
  const scope = await scopeOf(ctx.database, s);
  const limit = 50;
  const users = await repo.listUsers(ctx.database.db, { organisationIds: scope.all ? undefined : scope.organisationIds }, { limit: limit + 1, offset: (page - 1) * limit });
  const orgs = new Map((await repo.listOrganisations(ctx.database.db)).map((o) => [o.id, o]));
  const rows: UserRow[] = [];
  for (const u of users.slice(0, limit)) {
    const active = u.organisation_id ? await repo.activeOrganisationKey(ctx.database.db, u.organisation_id) : undefined;
    const held = u.organisation_id && u.status === 'active' ? await repo.grantedKeyIds(ctx.database.db, u.id) : [];
    rows.push({
      id: u.id, email: u.email, name: u.display_name, organisation: u.organisation_id ? orgs.get(u.organisation_id)?.slug ?? '' : '',
      roles: await repo.rolesOf(ctx.database.db, u.id), status: u.status,
      needsKey: !!active && u.status === 'active' && !held.includes(active.id),
    });
  }
  return { rows, hasMore: users.length > limit };
}

/** Invites a user into an organisation the admin manages; the link goes by e-mail, content-free otherwise. */
export async function inviteUser(ctx: AdminContext, s: ResolvedSession, input: { email: string; name: string; role: Role; organisationId: number | null; locale: Locale }): Promise<number> {
  const scope = await scopeOf(ctx.database, s);
  if (input.organisationId === null ? !scope.all : !inScope(scope, input.organisationId)) throw new AppError('forbidden');
  const { userId, activationToken } = await createUser(ctx, { email: input.email, displayName: input.name, roles: [input.role], organisationId: input.organisationId, locale: input.locale }, actorOf(s));
  const link = `${ctx.publicUrl}/${input.locale}/staff/activate?token=${activationToken}`;
  await ctx.mailer.send({
    to: input.email.trim().toLowerCase(),
    subject: translate(input.locale, 'mail.invitation.subject'),
    text: translate(input.locale, 'mail.invitation.text', { name: input.name, link }),
  });
  await writeTransaction(ctx.database, (trx) => appendAudit(trx, ctx.database.dialect, { ...actorOf(s), action: 'user.invited', target: `user:${userId}` }));
  return userId;
}

async function managedUser(ctx: AdminContext, s: ResolvedSession, userId: number): Promise<repo.User> {
  const scope = await scopeOf(ctx.database, s);
  const user = await repo.findUser(ctx.database.db, { id: userId });
  // Outside the admin's scope, a user does not exist.
  if (!user || !inScope(scope, user.organisation_id)) throw new AppError('not_found');
  return user;
}

export async function changeRole(ctx: AdminContext, s: ResolvedSession, userId: number, role: Role): Promise<void> {
  const user = await managedUser(ctx, s, userId);
  if (user.id === s.user.id) throw new AppError('forbidden', { message: 'administrators cannot change their own role' });
  const org = user.organisation_id ? await repo.findOrganisation(ctx.database.db, { id: user.organisation_id }) : undefined;
  if (!rolesFor(org?.kind ?? null).includes(role)) throw new AppError('validation_failed', { fields: [{ field: 'role', messageKey: 'identity.role.not_for_organisation' }] });
  await writeTransaction(ctx.database, async (trx) => {
    await repo.setRoles(trx, user.id, [role]);
    await appendAudit(trx, ctx.database.dialect, { ...actorOf(s), action: 'user.roles-changed', target: `user:${user.id}`, details: { roles: role } });
  });
}

/** Deactivated users cannot sign in; their history stays; the organisation key turns over. */
export async function deactivateUser(ctx: AdminContext, s: ResolvedSession, userId: number): Promise<void> {
  const user = await managedUser(ctx, s, userId);
  if (user.id === s.user.id) throw new AppError('forbidden', { message: 'administrators cannot deactivate themselves' });
  if (user.status === 'deactivated') return;
  await writeTransaction(ctx.database, async (trx) => {
    await repo.updateUser(trx, user.id, { status: 'deactivated', deactivated_at: nowIso(), updated_at: nowIso() });
    await repo.deleteUserSessions(trx, user.id);
    if (user.organisation_id && user.public_key) await keys.rotateOnLeave(trx, user.organisation_id, user.id);
    await appendAudit(trx, ctx.database.dialect, { ...actorOf(s), action: 'user.deactivated', target: `user:${user.id}` });
  });
}

async function ownKeys(ctx: AdminContext, s: ResolvedSession) {
  const orgId = s.user.organisation_id;
  if (!orgId) throw new AppError('forbidden');
  const privateKey = await sessionPrivateKey(ctx, s);
  return { orgId, opened: await keys.openOrganisationKeys(ctx.database.db, orgId, { userId: s.user.id, keys: keys.userKeyPair(s.user.public_key!, privateKey) }) };
}

/** The first administrator of an organisation takes its key with the recovery key. */
export async function claimWithRecoveryKey(ctx: AdminContext, s: ResolvedSession, recoveryKey: string): Promise<boolean> {
  const orgId = s.user.organisation_id;
  if (!orgId || !canManageUsers(s)) throw new AppError('forbidden');
  const opened = await keys.openWithRecoveryKey(ctx.database.db, orgId, recoveryKey);
  return writeTransaction(ctx.database, async (trx) => {
    await appendAudit(trx, ctx.database.dialect, { ...actorOf(s), action: opened ? 'organisation.key-recovered' : 'organisation.key-recovery-failed', target: `org:${orgId}` });
    if (!opened) return false;
    await keys.grantToMember(trx, opened, { userId: s.user.id, publicKey: s.user.public_key! });
    return true;
  });
}

/** Seals the organisation keys the admin holds to every active member who lacks them. */
export async function grantPendingMembers(ctx: AdminContext, s: ResolvedSession): Promise<number> {
  if (!canManageUsers(s)) throw new AppError('forbidden');
  const { orgId, opened } = await ownKeys(ctx, s);
  if (opened.length === 0) return 0;
  return writeTransaction(ctx.database, async (trx) => {
    let granted = 0;
    for (const m of await repo.keyHoldingMembers(trx, orgId)) {
      const n = await keys.grantToMember(trx, opened, { userId: m.id, publicKey: m.public_key });
      if (n) {
        granted++;
        await appendAudit(trx, ctx.database.dialect, { ...actorOf(s), action: 'organisation.key-granted', target: `user:${m.id}` });
      }
    }
    return granted;
  });
}

export async function holdsOrganisationKey(ctx: AdminContext, s: ResolvedSession): Promise<boolean> {
  if (!s.user.organisation_id) return false;
  const active = await repo.activeOrganisationKey(ctx.database.db, s.user.organisation_id);
  return !!active && (await repo.grantedKeyIds(ctx.database.db, s.user.id)).includes(active.id);
}

export async function browseAudit(ctx: AdminContext, s: ResolvedSession, filter: { action?: string; actor?: string; target?: string; beforeSeq?: number }) {
  if (!canViewAudit(s)) throw new AppError('forbidden');
  const scope = await scopeOf(ctx.database, s);
  // Organisation admins see the entries recorded for their organisation (and offices) only.
  const organisations = scope.all ? [undefined] : scope.organisationIds.map((id) => `org:${id}`);
  const rows = (await Promise.all(organisations.map((organisation) => searchAudit(ctx.database.db, { ...filter, organisation }, 51))))
    .flat().sort((a, b) => b.seq - a.seq).slice(0, 51);
  return { rows: rows.slice(0, 50), hasMore: rows.length > 50 };
}
