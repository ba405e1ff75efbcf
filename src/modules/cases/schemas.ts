import { z } from 'zod';
import { outcomes, statuses } from './service.js';

const day = z.string().describe('A calendar day, YYYY-MM-DD (no finer time is kept)');
const label = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/);

export const caseParams = z.object({ id: z.coerce.number().int().positive().describe('The case number') });
export const requestParams = z.object({ id: z.coerce.number().int().positive().describe('The custody request number') });

export const inboxQuery = z.object({
  status: z.enum(statuses).optional().describe('Only cases in this status'),
  channel: z.coerce.number().int().positive().optional().describe('Only cases of this channel'),
  region: z.string().regex(/^MA-\d{2}$/).optional().describe('Only cases about this region (ISO 3166-2:MA)'),
  handler: z.union([z.literal('me'), z.literal('none'), z.coerce.number().int().positive()]).optional().describe('"me", "none" (unassigned) or a user number'),
  overdue: z.enum(['true', 'false']).optional().describe('Only cases past a due date'),
  label: label.optional().describe('Only cases with this label'),
  deletion: z.union([z.literal('scheduled'), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)]).optional()
    .describe('Retention: "scheduled" for cases whose deletion is scheduled (not on legal hold), or a day for those to be deleted that day'),
  sort: z.enum(['received', 'received-desc', 'due']).optional().describe('Order: oldest first, newest first (default) or by acknowledgement due date'),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
});

export const inboxItem = z.object({
  id: z.number().int(), status: z.enum(statuses), outcome: z.enum(outcomes).nullable(), channelId: z.number().int(), region: z.string().nullable(),
  handlerId: z.number().int().nullable(), officeId: z.number().int().nullable(), labels: z.array(z.string()),
  receivedDay: day, ackDueDay: day, feedbackDueDay: day, acknowledgedDay: day.nullable(), closedDay: day.nullable(), overdue: z.boolean(),
  otherDeadlines: z.array(z.object({ id: z.string(), dueDay: day, metDay: day.nullable() })).describe('Further deadlines of the channel, e.g. the administration\'s answer'),
  legalHold: z.boolean().describe('A legal hold suspends deletion at the end of retention'),
  deletionDay: day.nullable().describe('The day the case will be deleted, once its institution was warned (30 days ahead); null otherwise'),
});

export const inboxPage = z.object({ items: z.array(inboxItem), total: z.number().int(), page: z.number().int(), pages: z.number().int() });

const message = z.union([
  z.object({ author: z.enum(['reporter', 'staff']), body: z.string(), day }),
  z.object({ author: z.literal('notice'), notice: z.object({ key: z.string(), values: z.record(z.string(), z.string()) }).passthrough(), day }),
]);

export const caseView = inboxItem.extend({
  organisationId: z.number().int(),
  content: z.object({ channel: z.string(), questionnaireVersion: z.number().int(), answers: z.record(z.string(), z.string()), orientation: z.string().optional() }),
  hasIdentity: z.boolean().describe('The reporter gave a confidential identity (readable only through the custody procedure)'),
  messages: z.array(message),
  notes: z.array(z.object({ authorId: z.number().int().nullable(), body: z.string(), day })),
  events: z.array(z.object({ kind: z.string(), actorId: z.number().int().nullable(), organisationId: z.number().int(), details: z.record(z.string(), z.unknown()), day })),
  custody: z.array(z.object({
    id: z.number().int(), requesterId: z.number().int(), reason: z.string(), status: z.enum(['pending', 'approved', 'refused', 'disclosed']),
    decision: z.string().nullable(), legalException: z.boolean(), requestedDay: day, decidedDay: day.nullable(),
  })),
  protection: z.array(z.object({ id: z.number().int(), kind: z.string(), body: z.string(), status: z.string(), followUpDay: day.nullable(), day })),
  attachments: z.array(z.object({
    id: z.number().int(), name: z.string(), type: z.string(), mime: z.string(), size: z.number().int().describe('Bytes after metadata removal'),
    stripped: z.array(z.string()).describe('Metadata removed, e.g. jpeg:exif'), author: z.enum(['reporter', 'staff']), createdDay: day,
    original: z.object({ size: z.number().int().describe('Bytes of the untouched file') }).nullable()
      .describe('The untouched original, kept sealed when the channel keeps originals and metadata removal changed the file; download it from …/original'),
  })),
});

export const text = (max: number) => z.string().trim().min(1).max(max);
export const statusBody = z.object({ status: z.enum(statuses), outcome: z.enum(outcomes).optional().describe('Required when closing') });
export const messageBody = z.object({ body: text(20_000) });
export const assignmentBody = z.object({
  handlerId: z.number().int().positive().nullable().optional().describe('A handler of the institution or of the office; null to unassign'),
  officeId: z.number().int().positive().nullable().optional().describe('A regional office of the institution; null for the institution itself'),
});
export const labelsBody = z.object({ labels: z.array(label).max(20) });
export const transferBody = z.object({ organisationId: z.number().int().positive().describe('The receiving institution') });
export const custodyBody = z.object({ reason: text(4000) });
export const decisionBody = z.object({ approve: z.boolean(), note: text(4000), legalException: z.boolean().default(false).describe('Approved under a legal exception: the reporter is not told') });
export const attachmentParams = z.object({ id: z.coerce.number().int().positive().describe('The case number'), file: z.coerce.number().int().positive().describe('The attachment') });
export const deadlineParams = z.object({ id: z.coerce.number().int().positive().describe('The case number'), deadline: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/).describe('The deadline id, from the channel') });
export const protectionParams = z.object({ id: z.coerce.number().int().positive().describe('The case number'), item: z.coerce.number().int().positive().describe('The protection item') });
export const measureBody = z.object({ body: text(4000), followUpDay: day.regex(/^\d{4}-\d{2}-\d{2}$/).nullable().default(null).describe('When to review the measure') });
export const protectionUpdateBody = z.object({ status: z.enum(['open', 'in-place', 'closed']), followUpDay: day.regex(/^\d{4}-\d{2}-\d{2}$/).nullable().default(null) });
export const takeOverBody = z.object({ fromUserId: z.number().int().positive(), toUserId: z.number().int().positive() });
export const done = z.object({ ok: z.literal(true) });
export const identityView = z.record(z.string(), z.string()).describe('The identity the reporter gave');
export const movedResult = done.extend({ moved: z.number().int().min(0).describe('Cases that changed hands') });
export const requestCreated = done.extend({ requestId: z.number().int().positive() });
export const holdBody = z.object({ reason: text(4000).describe('Why the case must be kept, or may now be deleted (sealed to the report key, like a note)') });
