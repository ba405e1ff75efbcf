import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // A channel's legal clocks (JSON: ack, feedback and other deadlines); null means the defaults.
  await db.schema.alterTable('channels').addColumn('deadlines', 'text').execute();
  // A case's further deadlines (JSON list of { id, dueDay, metDay }), from its channel's.
  await db.schema.alterTable('cases').addColumn('other_deadlines', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  // The earliest of those not met yet, so that inboxes can filter overdue cases in SQL.
  await db.schema.alterTable('cases').addColumn('other_due_day', 'text').execute();
  // The Médiateur's complaint channel: the administration concerned answers within 30 days.
  await db.updateTable('channels').set({ deadlines: JSON.stringify(MEDIATEUR_DEADLINES) }).where('slug', '=', 'mediateur-complaint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cases').dropColumn('other_due_day').execute();
  await db.schema.alterTable('cases').dropColumn('other_deadlines').execute();
  await db.schema.alterTable('channels').dropColumn('deadlines').execute();
}

const MEDIATEUR_DEADLINES = {
  ack: { amount: 7, unit: 'calendar_days' },
  feedback: { amount: 3, unit: 'months' },
  others: [{
    id: 'administration', rule: { amount: 30, unit: 'calendar_days' },
    label: { ar: 'جواب الإدارة المعنية', fr: 'Réponse de l\'administration concernée', en: 'Answer of the administration concerned', zgh: 'ⵜⴰⵔⴰⵔⵉⵜ ⵏ ⵜⵏⴱⴹⴰⴹⵜ' },
  }],
};
