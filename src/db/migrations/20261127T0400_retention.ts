import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  // A legal hold suspends deletion at the end of retention (docs/cases.md#retention). deletion_day is
  // set when the institution's administrators are warned, 30 days ahead: a case is never deleted
  // before its institution had that notice. Cleared again by a hold, so lifting one warns anew.
  await db.schema.alterTable('cases').addColumn('legal_hold', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('cases').addColumn('deletion_day', 'text').execute();
  await db.schema.createIndex('cases_deletion').on('cases').columns(['status', 'legal_hold', 'deletion_day']).execute();

  // Placing and lifting holds, with the reason sealed to the report key (it may name people or a
  // court case). Goes with the case.
  await withId(db, db.schema.createTable('case_holds'))
    .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer', (c) => c.references('users.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_holds_report').on('case_holds').column('report_id').execute();

  // What statistics need of a case deleted at the end of its retention, and nothing else: no report
  // id (it would link the row back to the audit trail), no handler, no labels, no content.
  await withId(db, db.schema.createTable('purged_cases'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('office_id', 'integer', (c) => c.references('organisations.id'))
    .addColumn('channel_id', 'integer', (c) => c.notNull().references('channels.id'))
    .addColumn('region', 'text')
    .addColumn('outcome', 'text')
    .addColumn('received_day', 'text', (c) => c.notNull())
    .addColumn('ack_due_day', 'text', (c) => c.notNull())
    .addColumn('feedback_due_day', 'text', (c) => c.notNull())
    .addColumn('acknowledged_day', 'text')
    .addColumn('closed_day', 'text')
    .addColumn('transfers', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('purged_cases_received').on('purged_cases').columns(['organisation_id', 'received_day']).execute();

  // Transfers, protection requests, reprisals and identity requests of purged cases, as dated counts:
  // the statistics count them in the period they were made in.
  await withId(db, db.schema.createTable('purged_case_items'))
    .addColumn('purged_case_id', 'integer', (c) => c.notNull().references('purged_cases.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text')
    .addColumn('from_organisation_id', 'integer', (c) => c.references('organisations.id'))
    .addColumn('to_organisation_id', 'integer', (c) => c.references('organisations.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('purged_case_items_case').on('purged_case_items').column('purged_case_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['purged_case_items', 'purged_cases', 'case_holds']) await db.schema.dropTable(t).execute();
  await db.schema.dropIndex('cases_deletion').execute();
  await db.schema.alterTable('cases').dropColumn('deletion_day').execute();
  await db.schema.alterTable('cases').dropColumn('legal_hold').execute();
}
