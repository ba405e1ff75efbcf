// Reporting channels: where a report goes, what it asks. Loaded on first start for the
// institutions that receive reports here, so reports are accepted before any staff exists.
import fs from 'node:fs';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { nowIso } from '../../db/index.js';
import { projectPath } from '../../paths.js';
import { type Locale, translate } from '../../web/i18n.js';
import { type ChannelDeadlines, deadlinesSchema, readDeadlines } from '../cases/clocks/deadlines.js';
import { findOrganisationBySlug } from '../identity/directory.js';
import { type Questionnaire, questionnaireSchema, say, splitChoices } from './questionnaire.js';
import * as repo from './repository.js';

export type { Field, FieldType, Questionnaire } from './questionnaire.js';
export type Text = Record<Locale, string>;

export interface Channel {
  id: number;
  slug: string;
  institution: string;
  organisationId: number;
  kind: string;
  name: Text;
  description: Text;
  asksIdentity: boolean;
  ackDays: number;
  questionnaire: Questionnaire;
  /** The acknowledgement text sent to reporters, per language; null: the portal's default. */
  ackMessage: Record<string, string> | null;
  deadlines: ChannelDeadlines;
  /** Keep the untouched original of a file whose metadata was removed, sealed (off by default). */
  keepOriginals: boolean;
  /** Days a closed case is kept before the purge deletes it. */
  retentionDays: number;
}

interface ChannelFile { questionnaire: Questionnaire; channels: { slug: string; institution: string; kind: string; asksIdentity: boolean; name: Text; description: Text; deadlines?: unknown }[] }

export async function seedChannels(trx: Kysely<DB>) {
  const file = JSON.parse(fs.readFileSync(projectPath('data', 'reference', 'channels.json'), 'utf8')) as ChannelFile;
  let loaded = 0;
  for (const c of file.channels) {
    if (await repo.findChannel(trx, c.slug)) continue;
    const org = await findOrganisationBySlug(trx, c.institution);
    if (!org) continue;
    const questionnaire = JSON.stringify({ ...questionnaireSchema.parse(file.questionnaire), version: 1 });
    const id = await repo.insertChannel(trx, {
      slug: c.slug, organisation_id: org.id, kind: c.kind, profile: JSON.stringify({ institution: c.institution, name: c.name, description: c.description }),
      questionnaire, asks_identity: c.asksIdentity ? 1 : 0, ack_days: 7, retention_days: 5 * 365, active: 1, ack_message: null, keep_originals: 0,
      deadlines: c.deadlines ? JSON.stringify(deadlinesSchema.parse(c.deadlines)) : null,
    });
    const now = nowIso();
    await repo.insertQuestionnaireVersion(trx, { channel_id: id, version: 1, status: 'published', questionnaire, note: '', created_by: 'system', created_at: now, published_by: 'system', published_at: now });
    loaded++;
  }
  return { summary: { channels: loaded } };
}

const present = (r: repo.ChannelRow): Channel => {
  const profile = JSON.parse(r.profile) as { institution: string; name: Text; description: Text };
  return {
    id: r.id, slug: r.slug, institution: profile.institution, organisationId: r.organisation_id, kind: r.kind, name: profile.name, description: profile.description,
    asksIdentity: r.asks_identity === 1, ackDays: r.ack_days, questionnaire: JSON.parse(r.questionnaire) as Questionnaire,
    ackMessage: r.ack_message ? (JSON.parse(r.ack_message) as Record<string, string>) : null,
    deadlines: readDeadlines(r.deadlines, r.ack_days),
    keepOriginals: Number(r.keep_originals) === 1,
    retentionDays: Number(r.retention_days),
  };
};

/** Any channel, active or not (an old case keeps its channel). */
export async function channelById(db: Kysely<DB>, id: number): Promise<Channel | undefined> {
  const r = await repo.findChannelById(db, id);
  return r ? present(r) : undefined;
}

export async function listChannels(db: Kysely<DB>): Promise<Channel[]> {
  return (await repo.listActiveChannels(db)).map(present);
}

export async function getChannel(db: Kysely<DB>, slug: string): Promise<Channel | undefined> {
  const r = await repo.findChannel(db, slug);
  return r && r.active ? present(r) : undefined;
}

/**
 * The questionnaire a report was made with: reports keep their version, so staff and reporters read
 * the answers with the labels and options that were asked. Undefined for an unknown version.
 */
export async function questionnaireVersion(db: Kysely<DB>, channelId: number, version: number): Promise<Questionnaire | undefined> {
  const r = await repo.findQuestionnaireVersion(db, channelId, version);
  return r ? { ...(JSON.parse(r.questionnaire) as Questionnaire), version } : undefined;
}

export interface AnswerRow { label: string; value: string; step: string; field: string }

/**
 * The answers of a report as label/value rows in the reader's language, in questionnaire order.
 * `places` names region and province codes; choices show their labels, yes/no its word.
 */
export function answerRows(source: { questionnaire: Questionnaire } | undefined, answers: Record<string, string>, places: { code: string; name: string }[], locale: Locale): AnswerRow[] {
  return (source?.questionnaire.steps ?? []).flatMap((s) => s.fields.filter((f) => answers[f.id]).map((f) => {
    const raw = answers[f.id]!;
    const option = (id: string) => say(f.options?.find((o) => o.id === id)?.label, locale) || id;
    let value = raw;
    if (f.type === 'region' || f.type === 'province') value = places.find((p) => p.code === raw)?.name ?? raw;
    else if (f.type === 'yesno') value = raw === 'yes' || raw === 'no' ? translate(locale, `report.${raw}`) : raw;
    else if (f.type === 'single') value = option(raw);
    else if (f.type === 'multiple') value = splitChoices(raw).map(option).join('\n');
    return { label: say(f.label, locale), value, step: s.id, field: f.id };
  }));
}
