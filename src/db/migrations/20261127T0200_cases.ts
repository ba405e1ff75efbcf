import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  // Handling metadata of a report, owned by the case module. Nothing here is content: the region and
  // channel are kept in clear so that inboxes can be filtered and routed (docs/security-model.md).
  await db.schema.createTable('cases')
    .addColumn('report_id', 'integer', (c) => c.primaryKey().references('reports.id').onDelete('cascade'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('office_id', 'integer', (c) => c.references('organisations.id'))
    .addColumn('handler_id', 'integer', (c) => c.references('users.id'))
    .addColumn('channel_id', 'integer', (c) => c.notNull().references('channels.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('labels', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('region', 'text')
    .addColumn('received_day', 'text', (c) => c.notNull())
    .addColumn('ack_due_day', 'text', (c) => c.notNull())
    .addColumn('feedback_due_day', 'text', (c) => c.notNull())
    .addColumn('acknowledged_day', 'text')
    .addColumn('closed_day', 'text')
    .addColumn('updated_day', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cases_inbox').on('cases').columns(['organisation_id', 'status', 'received_day']).execute();

  // What happened to a case, as metadata (who, what kind, when): the staff timeline and statistics.
  await withId(db, db.schema.createTable('case_events'))
    .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('actor_id', 'integer', (c) => c.references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('day', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_events_report').on('case_events').column('report_id').execute();

  // Transfers stay on record for both institutions, even after the sender loses access.
  await withId(db, db.schema.createTable('case_transfers'))
    .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('from_organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('to_organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('actor_id', 'integer', (c) => c.references('users.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .execute();

  // Internal notes, sealed to the report key like everything else about the report.
  await withId(db, db.schema.createTable('case_notes'))
    .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('author_id', 'integer', (c) => c.references('users.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('custody_requests'))
    .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('requester_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('custodian_id', 'integer', (c) => c.references('users.id'))
    .addColumn('decision', 'text')
    .addColumn('legal_exception', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('requested_day', 'text', (c) => c.notNull())
    .addColumn('decided_day', 'text')
    .execute();

  // Requests for protection and reports of reprisals, from the reporter; measures from staff.
  await withId(db, db.schema.createTable('protection_items'))
    .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('follow_up_day', 'text')
    .addColumn('day', 'text', (c) => c.notNull())
    .execute();

  // Further holders of a report key besides the recipient organisation: the office a case is assigned to.
  await db.schema.createTable('report_keys')
    .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('organisation_key_id', 'integer', (c) => c.notNull().references('organisation_keys.id'))
    .addColumn('sealed_key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_keys_pk', ['report_id', 'organisation_id'])
    .execute();

  // The acknowledgement text of a channel, per language (JSON); null means the portal's default.
  await db.schema.alterTable('channels').addColumn('ack_message', 'text').execute();

  // Reports made before this version become cases.
  const reports = await db.selectFrom('reports').innerJoin('channels', 'channels.id', 'reports.channel_id')
    .select(['reports.id', 'reports.organisation_id', 'reports.channel_id', 'reports.status', 'reports.created_day', 'reports.updated_day', 'channels.ack_days']).execute();
  for (const r of reports) {
    const due = (days: number) => new Date(Date.parse(`${r.created_day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    await db.insertInto('cases').values({
      report_id: r.id, organisation_id: r.organisation_id, channel_id: r.channel_id, status: 'received', labels: '[]',
      received_day: r.created_day, ack_due_day: due(Number(r.ack_days)), feedback_due_day: due(90), updated_day: r.updated_day,
    }).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('channels').dropColumn('ack_message').execute();
  for (const t of ['report_keys', 'protection_items', 'custody_requests', 'case_notes', 'case_transfers', 'case_events', 'cases']) await db.schema.dropTable(t).execute();
}
