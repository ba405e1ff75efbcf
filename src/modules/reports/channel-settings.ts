// What an institution sets for each of its channels besides the questionnaire: its legal clocks, the
// acknowledgement text sent to reporters, and whether the originals of cleaned files are kept.
// Clocks apply to cases received afterwards, the file policy to files added afterwards; audited.
import { z } from 'zod';
import { type Database, writeTransaction } from '../../db/index.js';
import { AppError, fieldErrorsFromZod } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import { type ChannelDeadlines, deadlinesSchema } from '../cases/clocks/deadlines.js';
import type { Channel } from './channels.js';
import * as repo from './repository.js';

const amount = z.coerce.number().int().min(1).max(3650);
const unit = z.enum(['calendar_days', 'working_days', 'months']);
const text = z.string().trim().max(2000);

/** The settings form as posted: plain fields, and the further deadlines as JSON (or nothing). */
export const settingsForm = z.object({
  ackAmount: amount, ackUnit: unit, feedbackAmount: amount, feedbackUnit: unit,
  others: z.string().max(20_000).default(''),
  ackAr: text.default(''), ackFr: text.default(''), ackEn: text.default(''), ackZgh: text.default(''),
  // A checkbox: sent as "yes" when ticked, absent when not.
  keepOriginals: z.literal('yes').optional(),
  // Kept from closure, then purged: at least 30 days, at most 100 years.
  retentionDays: z.coerce.number().int().min(30).max(36_500),
});

export async function updateChannelSettings(database: Database, channel: Channel, input: unknown, actor: string): Promise<void> {
  const parsed = settingsForm.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new AppError('validation_failed', { fields: fieldErrorsFromZod(parsed.error.issues) });
  const f = parsed.data;
  let others: unknown = [];
  try {
    others = f.others.trim() ? JSON.parse(f.others) : [];
  } catch {
    throw new AppError('validation_failed', { fields: [{ field: 'others', messageKey: 'validation.invalid' }] });
  }
  const deadlines = deadlinesSchema.safeParse({ ack: { amount: f.ackAmount, unit: f.ackUnit }, feedback: { amount: f.feedbackAmount, unit: f.feedbackUnit }, others });
  if (!deadlines.success) throw new AppError('validation_failed', { fields: [{ field: 'others', messageKey: 'validation.invalid' }] });
  // The acknowledgement text: all of ar, fr and en, or none (then the portal's own text is sent).
  const texts = { ar: f.ackAr, fr: f.ackFr, en: f.ackEn, ...(f.ackZgh ? { zgh: f.ackZgh } : {}) };
  const given = [texts.ar, texts.fr, texts.en].filter(Boolean).length;
  if (given > 0 && given < 3) {
    throw new AppError('validation_failed', { fields: (['ar', 'fr', 'en'] as const).filter((l) => !texts[l]).map((l) => ({ field: `ack${l[0]!.toUpperCase()}${l.slice(1)}`, messageKey: 'validation.required' })) });
  }
  const value: ChannelDeadlines = deadlines.data;
  await writeTransaction(database, async (trx) => {
    await repo.updateChannelSettings(trx, channel.id, {
      ack_days: value.ack.unit === 'calendar_days' ? value.ack.amount : channel.ackDays,
      deadlines: JSON.stringify(value), ack_message: given ? JSON.stringify(texts) : null, keep_originals: f.keepOriginals ? 1 : 0, retention_days: f.retentionDays,
    });
    await appendAudit(trx, database.dialect, {
      actor, organisation: `org:${channel.organisationId}`, action: 'channel.settings-changed', target: `channel:${channel.id}`,
      details: { others: value.others.length, ack_message: given > 0, keep_originals: f.keepOriginals === 'yes', retention_days: f.retentionDays },
    });
  });
}
