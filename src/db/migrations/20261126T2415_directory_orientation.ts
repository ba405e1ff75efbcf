import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  // The public directory: one profile per institution (texts in four languages, each fact with its
  // source, kept as a JSON document), linked to the organisation that receives reports, if any.
  await withId(db, db.schema.createTable('institutions'))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('organisation_id', 'integer', (c) => c.references('organisations.id'))
    .addColumn('receives_reports', 'integer', (c) => c.notNull())
    .addColumn('website', 'text')
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('offices'))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('institution_id', 'integer', (c) => c.notNull().references('institutions.id'))
    .addColumn('supervisor_office_id', 'integer', (c) => c.references('offices.id'))
    .addColumn('organisation_id', 'integer', (c) => c.references('organisations.id'))
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // An office covers whole regions or single provinces.
  await db.schema.createTable('office_coverage')
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
    .addColumn('region_code', 'text', (c) => c.references('regions.code'))
    .addColumn('province_code', 'text', (c) => c.references('provinces.code'))
    .execute();
  await db.schema.createIndex('office_coverage_office').on('office_coverage').column('office_id').execute();

  // Versions of the orientation rules: a graph of questions and outcomes, as JSON.
  await withId(db, db.schema.createTable('orientation_versions'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('graph', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .execute();

  // Anonymous counts only: which outcome each published version led to, per day.
  await db.schema.createTable('orientation_counts')
    .addColumn('version_id', 'integer', (c) => c.notNull().references('orientation_versions.id'))
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('orientation_counts_pk', ['version_id', 'outcome', 'day'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['orientation_counts', 'orientation_versions', 'office_coverage', 'offices', 'institutions']) await db.schema.dropTable(t).execute();
}
