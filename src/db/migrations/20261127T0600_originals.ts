import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Whether a channel keeps the untouched original of a file whose metadata was removed (1) or not
  // (0, the default): the original can place and identify the reporter, so keeping it is a choice.
  await db.schema.alterTable('channels').addColumn('keep_originals', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // The original, when kept: its own object and file key (sealed to the report key, like the cleaned
  // copy's) and its encrypted size, which counts towards the report's limit. All null otherwise.
  await db.schema.alterTable('report_attachments').addColumn('original_storage_key', 'text').execute();
  await db.schema.alterTable('report_attachments').addColumn('original_file_key', 'text').execute();
  await db.schema.alterTable('report_attachments').addColumn('original_stored_bytes', 'bigint').execute();
  // SQLite cannot add a UNIQUE column; a unique index does the same (and allows many nulls on both engines).
  await db.schema.createIndex('report_attachments_original_key').on('report_attachments').column('original_storage_key').unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('report_attachments_original_key').execute();
  await db.schema.alterTable('report_attachments').dropColumn('original_stored_bytes').execute();
  await db.schema.alterTable('report_attachments').dropColumn('original_file_key').execute();
  await db.schema.alterTable('report_attachments').dropColumn('original_storage_key').execute();
  await db.schema.alterTable('channels').dropColumn('keep_originals').execute();
}
