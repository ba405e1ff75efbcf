import type { Kysely, Selectable } from 'kysely';
import type { ChannelTable, DB, QuestionnaireVersionTable, ReportTable } from '../../db/schema.js';

export type ChannelRow = Selectable<ChannelTable>;
export type ReportRow = Selectable<ReportTable>;
export type QuestionnaireVersionRow = Selectable<QuestionnaireVersionTable>;

const channel = (r: ChannelRow): ChannelRow => ({ ...r, id: Number(r.id), organisation_id: Number(r.organisation_id) });
const report = (r: ReportRow): ReportRow => ({ ...r, id: Number(r.id), channel_id: Number(r.channel_id), organisation_id: Number(r.organisation_id), organisation_key_id: Number(r.organisation_key_id) });

export async function insertChannel(db: Kysely<DB>, row: Omit<ChannelTable, 'id'>): Promise<number> {
  return Number((await db.insertInto('channels').values(row).returning('id').executeTakeFirstOrThrow()).id);
}

export async function findChannel(db: Kysely<DB>, slug: string): Promise<ChannelRow | undefined> {
  const r = await db.selectFrom('channels').selectAll().where('slug', '=', slug).executeTakeFirst();
  return r ? channel(r) : undefined;
}

export async function findChannelById(db: Kysely<DB>, id: number): Promise<ChannelRow | undefined> {
  const r = await db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? channel(r) : undefined;
}

export async function listActiveChannels(db: Kysely<DB>): Promise<ChannelRow[]> {
  return (await db.selectFrom('channels').selectAll().where('active', '=', 1).orderBy('id').execute()).map(channel);
}

export async function listChannelsOf(db: Kysely<DB>, organisationId: number | undefined): Promise<ChannelRow[]> {
  let q = db.selectFrom('channels').selectAll().orderBy('id');
  if (organisationId !== undefined) q = q.where('organisation_id', '=', organisationId);
  return (await q.execute()).map(channel);
}

// Questionnaire versions

const version = (r: QuestionnaireVersionRow): QuestionnaireVersionRow => ({ ...r, id: Number(r.id), channel_id: Number(r.channel_id), version: r.version === null ? null : Number(r.version) });

export async function insertQuestionnaireVersion(db: Kysely<DB>, row: Omit<QuestionnaireVersionTable, 'id'>): Promise<number> {
  return Number((await db.insertInto('questionnaire_versions').values(row).returning('id').executeTakeFirstOrThrow()).id);
}

/** The published versions of a channel, newest first. */
export async function listQuestionnaireVersions(db: Kysely<DB>, channelId: number): Promise<QuestionnaireVersionRow[]> {
  const rows = await db.selectFrom('questionnaire_versions').selectAll().where('channel_id', '=', channelId).where('status', '=', 'published').orderBy('version', 'desc').execute();
  return rows.map(version);
}

export async function findQuestionnaireVersion(db: Kysely<DB>, channelId: number, number: number): Promise<QuestionnaireVersionRow | undefined> {
  const r = await db.selectFrom('questionnaire_versions').selectAll().where('channel_id', '=', channelId).where('version', '=', number).where('status', '=', 'published').executeTakeFirst();
  return r ? version(r) : undefined;
}

export async function findQuestionnaireDraft(db: Kysely<DB>, channelId: number): Promise<QuestionnaireVersionRow | undefined> {
  const r = await db.selectFrom('questionnaire_versions').selectAll().where('channel_id', '=', channelId).where('status', '=', 'draft').executeTakeFirst();
  return r ? version(r) : undefined;
}

export async function deleteQuestionnaireDraft(db: Kysely<DB>, channelId: number): Promise<void> {
  await db.deleteFrom('questionnaire_versions').where('channel_id', '=', channelId).where('status', '=', 'draft').execute();
}

export async function updateQuestionnaireDraft(db: Kysely<DB>, channelId: number, changes: { questionnaire: string; note: string }): Promise<boolean> {
  const r = await db.updateTable('questionnaire_versions').set(changes).where('channel_id', '=', channelId).where('status', '=', 'draft').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function latestQuestionnaireNumber(db: Kysely<DB>, channelId: number): Promise<number> {
  const r = await db.selectFrom('questionnaire_versions').select((eb) => eb.fn.max('version').as('n')).where('channel_id', '=', channelId).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/**
 * Turns the channel's draft into version `number` and makes it the channel's current questionnaire,
 * in the caller's transaction. False when the draft is gone (published or replaced meanwhile).
 */
export async function publishQuestionnaireDraft(db: Kysely<DB>, channelId: number, set: { version: number; questionnaire: string; published_by: string; published_at: string }): Promise<boolean> {
  const r = await db.updateTable('questionnaire_versions').set({ ...set, status: 'published' })
    .where('channel_id', '=', channelId).where('status', '=', 'draft').executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return false;
  await db.updateTable('channels').set({ questionnaire: set.questionnaire }).where('id', '=', channelId).execute();
  return true;
}

export async function insertReport(db: Kysely<DB>, row: Omit<ReportTable, 'id'>): Promise<number> {
  return Number((await db.insertInto('reports').values(row).returning('id').executeTakeFirstOrThrow()).id);
}

export async function findReportBy(db: Kysely<DB>, by: { lookup?: string; id?: number; submissionKey?: string }): Promise<ReportRow | undefined> {
  let q = db.selectFrom('reports').selectAll();
  if (by.lookup !== undefined) q = q.where('lookup', '=', by.lookup);
  if (by.id !== undefined) q = q.where('id', '=', by.id);
  if (by.submissionKey !== undefined) q = q.where('submission_key', '=', by.submissionKey);
  const r = await q.executeTakeFirst();
  return r ? report(r) : undefined;
}

export async function insertMessage(db: Kysely<DB>, row: { report_id: number; author: 'reporter' | 'staff' | 'notice'; body: string; created_day: string }): Promise<void> {
  await db.insertInto('report_messages').values(row).execute();
  await db.updateTable('reports').set({ updated_day: row.created_day }).where('id', '=', row.report_id).execute();
}

export async function listMessages(db: Kysely<DB>, reportId: number) {
  const rows = await db.selectFrom('report_messages').selectAll().where('report_id', '=', reportId).orderBy('id').execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), report_id: Number(r.report_id) }));
}

export async function saveDraft(db: Kysely<DB>, row: { id_hash: string; box: string; expires_at: string }): Promise<void> {
  await db.insertInto('report_drafts').values(row).onConflict((oc) => oc.column('id_hash').doUpdateSet({ box: row.box, expires_at: row.expires_at })).execute();
}

export async function findDraft(db: Kysely<DB>, idHash: string, now: string) {
  return db.selectFrom('report_drafts').selectAll().where('id_hash', '=', idHash).where('expires_at', '>', now).executeTakeFirst();
}

export async function deleteDraft(db: Kysely<DB>, idHash: string): Promise<void> {
  await db.deleteFrom('report_drafts').where('id_hash', '=', idHash).execute();
}

export async function insertReporterSession(db: Kysely<DB>, row: { id_hash: string; report_id: number; key_box: string; expires_at: string }): Promise<void> {
  await db.insertInto('reporter_sessions').values(row).execute();
}

export async function findReporterSession(db: Kysely<DB>, idHash: string, now: string) {
  const r = await db.selectFrom('reporter_sessions').selectAll().where('id_hash', '=', idHash).where('expires_at', '>', now).executeTakeFirst();
  return r ? { ...r, report_id: Number(r.report_id) } : undefined;
}

export async function deleteReporterSession(db: Kysely<DB>, idHash: string): Promise<void> {
  await db.deleteFrom('reporter_sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteExpired(db: Kysely<DB>, now: string): Promise<void> {
  await db.deleteFrom('report_drafts').where('expires_at', '<=', now).execute();
  await db.deleteFrom('reporter_sessions').where('expires_at', '<=', now).execute();
}

export async function findReportKey(db: Kysely<DB>, reportId: number, organisationId: number): Promise<{ keyId: number; sealed: string } | undefined> {
  const r = await db.selectFrom('report_keys').select(['organisation_key_id', 'sealed_key']).where('report_id', '=', reportId).where('organisation_id', '=', organisationId).executeTakeFirst();
  return r && { keyId: Number(r.organisation_key_id), sealed: r.sealed_key };
}

export async function upsertReportKey(db: Kysely<DB>, row: { report_id: number; organisation_id: number; organisation_key_id: number; sealed_key: string }): Promise<void> {
  await db.insertInto('report_keys').values(row)
    .onConflict((oc) => oc.columns(['report_id', 'organisation_id']).doUpdateSet({ organisation_key_id: row.organisation_key_id, sealed_key: row.sealed_key })).execute();
}

export async function replaceRecipient(db: Kysely<DB>, reportId: number, set: { organisation_id: number; organisation_key_id: number; key_for_organisation: string }): Promise<void> {
  await db.updateTable('reports').set(set).where('id', '=', reportId).execute();
  await db.deleteFrom('report_keys').where('report_id', '=', reportId).execute();
}

export async function touchReport(db: Kysely<DB>, reportId: number, day: string): Promise<void> {
  await db.updateTable('reports').set({ updated_day: day }).where('id', '=', reportId).execute();
}

export async function deleteReportKey(db: Kysely<DB>, reportId: number, organisationId: number): Promise<void> {
  await db.deleteFrom('report_keys').where('report_id', '=', reportId).where('organisation_id', '=', organisationId).execute();
}

export async function updateChannelSettings(db: Kysely<DB>, id: number, set: { ack_days: number; deadlines: string; ack_message: string | null; keep_originals: number; retention_days: number }): Promise<void> {
  await db.updateTable('channels').set(set).where('id', '=', id).execute();
}

/**
 * Deletes a report row and the rows that point to it without cascading (messages, reporter
 * sessions), in the caller's transaction; the case-handling rows and key copies cascade with it.
 */
export async function deleteReport(db: Kysely<DB>, reportId: number): Promise<void> {
  await db.deleteFrom('report_messages').where('report_id', '=', reportId).execute();
  await db.deleteFrom('reporter_sessions').where('report_id', '=', reportId).execute();
  await db.deleteFrom('report_keys').where('report_id', '=', reportId).execute();
  await db.deleteFrom('reports').where('id', '=', reportId).execute();
}
