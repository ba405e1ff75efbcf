import { type Kysely, sql } from 'kysely';
import { withId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  // Versions of each channel's questionnaire. A report records the version it was made with, so a
  // published version is never changed or deleted; a draft has no number until it is published.
  // channels.questionnaire keeps a copy of the latest published version for the public form.
  await withId(db, db.schema.createTable('questionnaire_versions'))
    .addColumn('channel_id', 'integer', (c) => c.notNull().references('channels.id'))
    .addColumn('version', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('questionnaire', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('published_by', 'text')
    .addColumn('published_at', 'text')
    .execute();
  // Two administrators publishing at once cannot both take the same number.
  await db.schema.createIndex('questionnaire_versions_number').on('questionnaire_versions').columns(['channel_id', 'version']).unique().execute();
  // One draft per channel, so two administrators edit the same draft rather than overwrite each other's.
  await db.schema.createIndex('questionnaire_versions_one_draft').on('questionnaire_versions').column('channel_id').unique().where(sql.ref('status'), '=', 'draft').execute();

  // Every existing channel's questionnaire becomes its version 1 (reports made so far say version 1).
  const now = new Date().toISOString();
  for (const c of await db.selectFrom('channels').select(['id', 'questionnaire']).orderBy('id').execute()) {
    const questionnaire = { ...(JSON.parse(c.questionnaire as string) as Record<string, unknown>), version: 1 };
    await db.insertInto('questionnaire_versions').values({
      channel_id: c.id, version: 1, status: 'published', questionnaire: JSON.stringify(questionnaire), note: '',
      created_by: 'system', created_at: now, published_by: 'system', published_at: now,
    }).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('questionnaire_versions').execute();
}
