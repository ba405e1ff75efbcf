// Reporting channels: where a report goes, what it asks. Loaded on first start for the
// institutions that receive reports here, so reports are accepted before any staff exists.
import fs from 'node:fs';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { projectPath } from '../../paths.js';
import type { Locale } from '../../web/i18n.js';
import { findOrganisationBySlug } from '../identity/directory.js';
import * as repo from './repository.js';

export type Text = Record<Locale, string>;
export type FieldType = 'short-text' | 'long-text' | 'date' | 'amount' | 'region' | 'single' | 'yesno';
export interface Field { id: string; type: FieldType; required: boolean; label: Text; help?: Text; options?: { id: string; label: Text }[] }
export interface Questionnaire { version: number; steps: { id: string; title: Text; fields: Field[] }[] }

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
}

interface ChannelFile { questionnaire: Questionnaire; channels: { slug: string; institution: string; kind: string; asksIdentity: boolean; name: Text; description: Text }[] }

export async function seedChannels(trx: Kysely<DB>) {
  const file = JSON.parse(fs.readFileSync(projectPath('data', 'reference', 'channels.json'), 'utf8')) as ChannelFile;
  let loaded = 0;
  for (const c of file.channels) {
    if (await repo.findChannel(trx, c.slug)) continue;
    const org = await findOrganisationBySlug(trx, c.institution);
    if (!org) continue;
    await repo.insertChannel(trx, {
      slug: c.slug, organisation_id: org.id, kind: c.kind, profile: JSON.stringify({ institution: c.institution, name: c.name, description: c.description }),
      questionnaire: JSON.stringify(file.questionnaire), asks_identity: c.asksIdentity ? 1 : 0, ack_days: 7, retention_days: 5 * 365, active: 1, ack_message: null,
    });
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

/** The answers of a report as label/value rows in the reader's language, in questionnaire order. */
export function answerRows(channel: Channel | undefined, answers: Record<string, string>, regions: { code: string; name: string }[], locale: Locale): { label: string; value: string }[] {
  return (channel?.questionnaire.steps ?? []).flatMap((s) => s.fields.filter((f) => answers[f.id]).map((f) => ({
    label: f.label[locale], value: f.type === 'region' ? regions.find((r) => r.code === answers[f.id])?.name ?? answers[f.id]! : answers[f.id]!,
  })));
}
