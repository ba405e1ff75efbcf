import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Islamic public holidays, one row per day off: their dates follow the moon sighting announced
  // each year, so they are data that administrators correct, unlike the fixed holidays (in code).
  // provisional is 0/1, like the project's other flags, the same in both dialects.
  await db.schema.createTable('movable_holidays')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('name_ar', 'text', (c) => c.notNull())
    .addColumn('name_fr', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('name_zgh', 'text')
    .addColumn('provisional', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('movable_holidays').execute();
}
