import type { Kysely, Selectable } from 'kysely';
import type { DB, OrganisationTable, SessionTable, UserTable } from '../../db/schema.js';

export type User = Selectable<UserTable>;
export type Organisation = Selectable<OrganisationTable>;
export type Session = Selectable<SessionTable>;

const num = <T extends { id: number }>(row: T): T => ({ ...row, id: Number(row.id) });

// Organisations

export async function insertOrganisation(db: Kysely<DB>, row: Omit<OrganisationTable, 'id'>): Promise<number> {
  const r = await db.insertInto('organisations').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function findOrganisation(db: Kysely<DB>, by: { id?: number; slug?: string }): Promise<Organisation | undefined> {
  let q = db.selectFrom('organisations').selectAll();
  if (by.id !== undefined) q = q.where('id', '=', by.id);
  if (by.slug !== undefined) q = q.where('slug', '=', by.slug);
  const row = await q.executeTakeFirst();
  return row ? { ...num(row), parent_id: row.parent_id === null ? null : Number(row.parent_id) } : undefined;
}

export async function listOrganisations(db: Kysely<DB>): Promise<Organisation[]> {
  const rows = await db.selectFrom('organisations').selectAll().orderBy('slug').execute();
  return rows.map((r) => ({ ...num(r), parent_id: r.parent_id === null ? null : Number(r.parent_id) }));
}

export async function insertOrganisationKey(db: Kysely<DB>, organisationId: number, publicKey: string, now: string): Promise<number> {
  const r = await db.insertInto('organisation_keys').values({ organisation_id: organisationId, public_key: publicKey, created_at: now, retired_at: null }).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function activeOrganisationKey(db: Kysely<DB>, organisationId: number): Promise<{ id: number; public_key: string } | undefined> {
  const r = await db.selectFrom('organisation_keys').select(['id', 'public_key']).where('organisation_id', '=', organisationId).where('retired_at', 'is', null).orderBy('id', 'desc').executeTakeFirst();
  return r ? { id: Number(r.id), public_key: r.public_key } : undefined;
}

export async function retireOrganisationKeys(db: Kysely<DB>, organisationId: number, now: string): Promise<void> {
  await db.updateTable('organisation_keys').set({ retired_at: now }).where('organisation_id', '=', organisationId).where('retired_at', 'is', null).execute();
}

export async function insertGrant(db: Kysely<DB>, grant: { key_id: number; kind: 'member' | 'recovery'; user_id: number | null; sealed_private_key: string }): Promise<void> {
  await db.insertInto('organisation_key_grants').values(grant).execute();
}

/** Every key version of an organisation with the grant for `userId` (or the recovery grant). */
export async function grantsFor(db: Kysely<DB>, organisationId: number, holder: { userId: number } | 'recovery') {
  let q = db
    .selectFrom('organisation_key_grants as g')
    .innerJoin('organisation_keys as k', 'k.id', 'g.key_id')
    .select(['k.id as key_id', 'k.public_key', 'k.retired_at', 'g.sealed_private_key'])
    .where('k.organisation_id', '=', organisationId);
  q = holder === 'recovery' ? q.where('g.kind', '=', 'recovery') : q.where('g.kind', '=', 'member').where('g.user_id', '=', holder.userId);
  const rows = await q.orderBy('k.id').execute();
  return rows.map((r) => ({ ...r, key_id: Number(r.key_id) }));
}

export async function grantedKeyIds(db: Kysely<DB>, userId: number): Promise<number[]> {
  const rows = await db.selectFrom('organisation_key_grants').select('key_id').where('kind', '=', 'member').where('user_id', '=', userId).execute();
  return rows.map((r) => Number(r.key_id));
}

export async function deleteMemberGrants(db: Kysely<DB>, userId: number): Promise<void> {
  await db.deleteFrom('organisation_key_grants').where('kind', '=', 'member').where('user_id', '=', userId).execute();
}

/** Members of an organisation who hold a user key (activated), except `exceptUserId`. */
export async function keyHoldingMembers(db: Kysely<DB>, organisationId: number, exceptUserId?: number): Promise<{ id: number; public_key: string }[]> {
  let q = db.selectFrom('users').select(['id', 'public_key']).where('organisation_id', '=', organisationId).where('status', '=', 'active').where('public_key', 'is not', null);
  if (exceptUserId !== undefined) q = q.where('id', '!=', exceptUserId);
  const rows = await q.execute();
  return rows.map((r) => ({ id: Number(r.id), public_key: r.public_key! }));
}

// Users

export async function insertUser(db: Kysely<DB>, row: Omit<UserTable, 'id'>): Promise<number> {
  const r = await db.insertInto('users').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function findUser(db: Kysely<DB>, by: { id?: number; email?: string }): Promise<User | undefined> {
  let q = db.selectFrom('users').selectAll();
  if (by.id !== undefined) q = q.where('id', '=', by.id);
  if (by.email !== undefined) q = q.where('email', '=', by.email);
  const row = await q.executeTakeFirst();
  return row ? normaliseUser(row) : undefined;
}

const normaliseUser = (row: User): User => ({
  ...num(row),
  organisation_id: row.organisation_id === null ? null : Number(row.organisation_id),
  totp_last_step: row.totp_last_step === null ? null : Number(row.totp_last_step),
});

export async function updateUser(db: Kysely<DB>, id: number, changes: Partial<Omit<UserTable, 'id'>>): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', id).execute();
}

export async function listUsers(db: Kysely<DB>, filter: { organisationIds?: number[] | undefined }, page: { limit: number; offset: number }): Promise<User[]> {
  let q = db.selectFrom('users').selectAll();
  if (filter.organisationIds) q = filter.organisationIds.length ? q.where('organisation_id', 'in', filter.organisationIds) : q.where('id', '=', -1);
  const rows = await q.orderBy('email').limit(page.limit).offset(page.offset).execute();
  return rows.map(normaliseUser);
}

export async function rolesOf(db: Kysely<DB>, userId: number): Promise<string[]> {
  const rows = await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).orderBy('role').execute();
  return rows.map((r) => r.role);
}

export async function setRoles(db: Kysely<DB>, userId: number, roles: string[]): Promise<void> {
  await db.deleteFrom('user_roles').where('user_id', '=', userId).execute();
  if (roles.length) await db.insertInto('user_roles').values(roles.map((role) => ({ user_id: userId, role }))).execute();
}

export async function childOrganisationIds(db: Kysely<DB>, parentId: number): Promise<number[]> {
  const rows = await db.selectFrom('organisations').select('id').where('parent_id', '=', parentId).execute();
  return rows.map((r) => Number(r.id));
}

// One-time tokens

export async function insertToken(db: Kysely<DB>, row: { token_hash: string; user_id: number; purpose: 'activation' | 'password-reset'; expires_at: string; created_at: string }): Promise<void> {
  await db.insertInto('one_time_tokens').values({ ...row, used_at: null }).execute();
}

export async function findToken(db: Kysely<DB>, tokenHash: string) {
  const row = await db.selectFrom('one_time_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  return row ? { ...row, user_id: Number(row.user_id) } : undefined;
}

/** Marks a token used; false if it was already used (a replayed form). */
export async function useToken(db: Kysely<DB>, tokenHash: string, now: string): Promise<boolean> {
  const r = await db.updateTable('one_time_tokens').set({ used_at: now }).where('token_hash', '=', tokenHash).where('used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function expireTokens(db: Kysely<DB>, userId: number, purpose: 'activation' | 'password-reset', now: string): Promise<void> {
  await db.updateTable('one_time_tokens').set({ used_at: now }).where('user_id', '=', userId).where('purpose', '=', purpose).where('used_at', 'is', null).execute();
}

// Sessions

export async function insertSession(db: Kysely<DB>, row: SessionTable): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export async function findSession(db: Kysely<DB>, idHash: string): Promise<Session | undefined> {
  const row = await db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  return row ? { ...row, user_id: Number(row.user_id) } : undefined;
}

export async function touchSession(db: Kysely<DB>, idHash: string, now: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
}

export async function deleteSession(db: Kysely<DB>, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteUserSessions(db: Kysely<DB>, userId: number): Promise<number> {
  const r = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteExpiredSessions(db: Kysely<DB>, now: string, idleBefore: string): Promise<number> {
  const r = await db.deleteFrom('sessions').where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleBefore)])).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteUserSessionsExcept(db: Kysely<DB>, userId: number, keepIdHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).where('id_hash', '!=', keepIdHash).execute();
}

export async function activeMembers(db: Kysely<DB>, organisationId: number): Promise<{ email: string; preferred_locale: string }[]> {
  return db.selectFrom('users').select(['email', 'preferred_locale']).where('organisation_id', '=', organisationId).where('status', '=', 'active').orderBy('id').execute();
}

/** Active members of an organisation holding `role`, with where and how to write to them. */
export async function activeMembersWithRole(db: Kysely<DB>, organisationId: number, role: string): Promise<{ email: string; preferred_locale: string }[]> {
  return db.selectFrom('users').innerJoin('user_roles', 'user_roles.user_id', 'users.id').select(['users.email', 'users.preferred_locale'])
    .where('users.organisation_id', '=', organisationId).where('users.status', '=', 'active').where('user_roles.role', '=', role).orderBy('users.id').execute();
}

/** Users of these organisations holding one of `roles`, active or not (a case may sit with a leaver). */
export async function membersWithRoles(db: Kysely<DB>, organisationIds: number[], roles: string[]): Promise<{ id: number; display_name: string; organisation_id: number; status: string }[]> {
  if (organisationIds.length === 0) return [];
  const rows = await db.selectFrom('users').innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select(['users.id', 'users.display_name', 'users.organisation_id', 'users.status'])
    .where('users.organisation_id', 'in', organisationIds).where('user_roles.role', 'in', roles).distinct().orderBy('users.id').execute();
  return rows.map((r) => ({ id: Number(r.id), display_name: r.display_name, organisation_id: Number(r.organisation_id), status: r.status }));
}

/** Active users of these organisations with one of `roles`, with where to write to them. */
export async function activeMembersWithRoles(db: Kysely<DB>, organisationIds: number[], roles: string[]): Promise<{ id: number; email: string; preferred_locale: string }[]> {
  if (organisationIds.length === 0) return [];
  const rows = await db.selectFrom('users').innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select(['users.id', 'users.email', 'users.preferred_locale'])
    .where('users.organisation_id', 'in', organisationIds).where('users.status', '=', 'active').where('user_roles.role', 'in', roles).distinct().orderBy('users.id').execute();
  return rows.map((r) => ({ id: Number(r.id), email: r.email, preferred_locale: r.preferred_locale }));
}
