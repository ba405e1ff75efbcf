import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Locale } from '../../web/i18n.js';
import * as repo from './repository.js';
import type { FeedbackForm } from './schemas.js';

/** Records an anonymous "was this page useful" answer: the page, the answer and the day only. */
export async function recordFeedback(db: Kysely<DB>, locale: Locale, form: FeedbackForm & { page: string }): Promise<void> {
  await repo.insertFeedback(db, { path: form.page, locale, useful: form.useful === 'yes', day: new Date().toISOString().slice(0, 10) });
}
