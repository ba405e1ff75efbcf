import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  // A channel: where reports of one kind go, with its questionnaire and retention.
  await withId(db, db.schema.createTable('channels'))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('questionnaire', 'text', (c) => c.notNull())
    .addColumn('asks_identity', 'integer', (c) => c.notNull())
    .addColumn('ack_days', 'integer', (c) => c.notNull())
    .addColumn('retention_days', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .execute();

  // Reports hold no plaintext: every box is sealed to the report key, itself sealed to the
  // organisation key and to a key derived from the receipt. Dates are days, never times.
  await withId(db, db.schema.createTable('reports'))
    .addColumn('lookup', 'text', (c) => c.notNull().unique())
    .addColumn('channel_id', 'integer', (c) => c.notNull().references('channels.id'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('organisation_key_id', 'integer', (c) => c.notNull().references('organisation_keys.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('key_for_organisation', 'text', (c) => c.notNull())
    .addColumn('key_for_receipt', 'text', (c) => c.notNull())
    .addColumn('receipt_hash', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('identity', 'text')
    .addColumn('notice_address', 'text')
    .addColumn('submission_key', 'text', (c) => c.unique())
    .addColumn('created_day', 'text', (c) => c.notNull())
    .addColumn('updated_day', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('report_messages'))
    .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id'))
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_day', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_messages_report').on('report_messages').column('report_id').execute();

  // Answers between steps of the form, encrypted under a key that only the reporter's cookie holds.
  await db.schema.createTable('report_drafts')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('box', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  // A reporter signed in with a receipt: the report key, encrypted under a key in their cookie.
  await db.schema.createTable('reporter_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id'))
    .addColumn('key_box', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['reporter_sessions', 'report_drafts', 'report_messages', 'reports', 'channels']) await db.schema.dropTable(t).execute();
}
