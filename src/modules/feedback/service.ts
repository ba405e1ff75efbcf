import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Locale } from '../../web/i18n.js';
import * as repo from './repository.js';

/** Records an anonymous "was this page useful" answer: the page, the answer and the day only. */
export async function recordFeedback(db: Kysely<DB>, locale: Locale, answer: { page: string; useful: boolean }): Promise<void> {
  await repo.insertFeedback(db, { path: answer.page, locale, useful: answer.useful, day: new Date().toISOString().slice(0, 10) });
}
