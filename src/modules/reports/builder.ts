// The questionnaire builder: institution administrators make a draft from a published version, edit
// it as JSON, preview it and publish it as the channel's next version. Published versions are kept
// as they were, because reports name the version they were made with.
import type { Kysely } from 'kysely';
import { type Database, nowIso, writeTransaction } from '../../db/index.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import { listRegions } from '../institutions/service.js';
import { type Channel, channelById } from './channels.js';
import { type Places, type Problem, type Questionnaire, questionnaireSchema, validateQuestionnaire } from './questionnaire.js';
import * as repo from './repository.js';

export interface PublishedVersion { version: number; note: string; publishedAt: string | null; questionnaire: Questionnaire }
export interface DraftView { questionnaire: Questionnaire; note: string; createdAt: string; problems: Problem[] }
export interface EditorView { channel: Channel; versions: PublishedVersion[]; draft: DraftView | undefined }

const parse = (text: string, version: number): Questionnaire => ({ ...(JSON.parse(text) as Questionnaire), version });

/** Codes a region or province condition may name. */
export async function placeCodes(db: Kysely<DB>): Promise<Places> {
  const regions = await listRegions(db);
  return { regionCodes: regions.map((r) => r.code), provinceCodes: regions.flatMap((r) => r.provinces.map((p) => p.code)) };
}

/** Channels an administrator may edit: those of their institution, or all for the platform. */
export async function editableChannels(db: Kysely<DB>, organisationId: number | undefined): Promise<{ channel: Channel; hasDraft: boolean }[]> {
  const rows = await repo.listChannelsOf(db, organisationId);
  const out = [];
  for (const r of rows) out.push({ channel: (await channelById(db, r.id))!, hasDraft: !!(await repo.findQuestionnaireDraft(db, r.id)) });
  return out;
}

export async function editorView(db: Kysely<DB>, channel: Channel): Promise<EditorView> {
  const versions = (await repo.listQuestionnaireVersions(db, channel.id)).map((r) => ({ version: r.version!, note: r.note, publishedAt: r.published_at, questionnaire: parse(r.questionnaire, r.version!) }));
  const d = await repo.findQuestionnaireDraft(db, channel.id);
  const draft = d && { questionnaire: parse(d.questionnaire, 0), note: d.note, createdAt: d.created_at, problems: validateQuestionnaire(parse(d.questionnaire, 0), await placeCodes(db)) };
  return { channel, versions, draft };
}

/** What the preview shows: the draft, or a published version when asked (or when there is no draft). */
export async function previewed(db: Kysely<DB>, channel: Channel, version: number | undefined): Promise<Questionnaire | undefined> {
  if (version === undefined) {
    const d = await repo.findQuestionnaireDraft(db, channel.id);
    if (d) return parse(d.questionnaire, 0);
    return channel.questionnaire;
  }
  const r = await repo.findQuestionnaireVersion(db, channel.id, version);
  return r ? parse(r.questionnaire, version) : undefined;
}

/** A draft copied from a published version; it replaces the channel's draft, if there was one. */
export async function createDraft(database: Database, channel: Channel, from: number, actor: string): Promise<void> {
  const source = await repo.findQuestionnaireVersion(database.db, channel.id, from);
  if (!source) throw new AppError('not_found');
  // Administrators edit steps only; the portal numbers versions.
  const editable = { steps: (JSON.parse(source.questionnaire) as Questionnaire).steps };
  await writeTransaction(database, async (trx) => {
    await repo.deleteQuestionnaireDraft(trx, channel.id);
    await repo.insertQuestionnaireVersion(trx, {
      channel_id: channel.id, version: null, status: 'draft', questionnaire: JSON.stringify(editable), note: '', created_by: actor, created_at: nowIso(), published_by: null, published_at: null,
    });
    await appendAudit(trx, database.dialect, { actor, organisation: `org:${channel.organisationId}`, action: 'questionnaire.draft-created', target: `channel:${channel.id}`, details: { from } });
  });
}

export type DraftError = { code: 'invalid_json'; detail: string } | { code: 'invalid_shape'; detail: string } | { code: 'no_draft' };

/**
 * Saves the draft as typed, if it has the questionnaire's shape; the rules that make it publishable
 * are checked on the editor page and at publication, so work in progress can be saved.
 */
export async function saveDraft(database: Database, channel: Channel, input: { questionnaire: string; note: string }): Promise<DraftError | null> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(input.questionnaire);
  } catch (err) {
    return { code: 'invalid_json', detail: (err as Error).message };
  }
  const shape = questionnaireSchema.safeParse(parsed);
  if (!shape.success) return { code: 'invalid_shape', detail: shape.error.issues.slice(0, 10).map((i) => i.path.join('.') || '(root)').join(', ') };
  const editable = { steps: shape.data.steps };
  if (!(await repo.updateQuestionnaireDraft(database.db, channel.id, { questionnaire: JSON.stringify(editable), note: input.note.slice(0, 500) }))) return { code: 'no_draft' };
  return null;
}

export type PublishResult = { ok: true; version: number } | { ok: false; problems: Problem[] } | { ok: false; noDraft: true };

/** Publishes the draft as the next version if it is sound; otherwise returns every problem and changes nothing. */
export async function publishDraft(database: Database, channel: Channel, actor: string): Promise<PublishResult> {
  const draft = await repo.findQuestionnaireDraft(database.db, channel.id);
  if (!draft) return { ok: false, noDraft: true };
  const questionnaire = parse(draft.questionnaire, 0);
  const problems = validateQuestionnaire(questionnaire, await placeCodes(database.db));
  if (problems.length) return { ok: false, problems };
  try {
    const version = await writeTransaction(database, async (trx) => {
      const next = (await repo.latestQuestionnaireNumber(trx, channel.id)) + 1;
      const published = await repo.publishQuestionnaireDraft(trx, channel.id, { version: next, questionnaire: JSON.stringify({ ...questionnaire, version: next }), published_by: actor, published_at: nowIso() });
      if (!published) throw new AppError('conflict', { message: 'the draft was published or replaced meanwhile' });
      await appendAudit(trx, database.dialect, { actor, organisation: `org:${channel.organisationId}`, action: 'questionnaire.published', target: `channel:${channel.id}`, details: { version: next } });
      return next;
    });
    return { ok: true, version };
  } catch (err) {
    // Another administrator published the same draft at the same moment: theirs stands.
    if (!(await repo.findQuestionnaireDraft(database.db, channel.id))) return { ok: false, noDraft: true };
    throw err;
  }
}
