// A channel's legal clocks: when the reporter must get an acknowledgement, when feedback, and any
// further deadline the channel's law sets (e.g. the administration's answer in Médiateur cases),
// each in calendar days, working days or months from the day the report is received.
import { z } from 'zod';
import { type DeadlineRule, dueDate, type HolidayCalendar } from './calendar.js';

export const ruleSchema = z.object({ amount: z.number().int().min(1).max(3650), unit: z.enum(['calendar_days', 'working_days', 'months']) });
const label = z.string().trim().min(1).max(200);

export const deadlinesSchema = z.object({
  ack: ruleSchema,
  feedback: ruleSchema,
  others: z.array(z.object({
    id: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/),
    label: z.object({ ar: label, fr: label, en: label, zgh: label.optional() }),
    rule: ruleSchema,
  })).max(10).default([]),
});
export type ChannelDeadlines = z.output<typeof deadlinesSchema>;

/** Without rules of its own a channel acknowledges within its ack_days and answers within 3 months. */
export const defaultDeadlines = (ackDays: number): ChannelDeadlines => ({
  ack: { amount: ackDays, unit: 'calendar_days' },
  feedback: { amount: 3, unit: 'months' },
  others: [],
});

export function readDeadlines(json: string | null, ackDays: number): ChannelDeadlines {
  return json ? deadlinesSchema.parse(JSON.parse(json)) : defaultDeadlines(ackDays);
}

export interface OtherDeadline { id: string; dueDay: string; metDay: string | null }
export interface CaseDueDays { ackDueDay: string; feedbackDueDay: string; others: OtherDeadline[] }

export function caseDueDays(startDay: string, deadlines: ChannelDeadlines, holidays: HolidayCalendar): CaseDueDays {
  const due = (rule: DeadlineRule) => dueDate(startDay, rule, holidays);
  return {
    ackDueDay: due(deadlines.ack),
    feedbackDueDay: due(deadlines.feedback),
    others: deadlines.others.map((o) => ({ id: o.id, dueDay: due(o.rule), metDay: null })),
  };
}

/** The earliest due day among further deadlines not met yet. */
export const nextOtherDue = (others: OtherDeadline[]): string | null =>
  others.filter((o) => o.metDay === null).map((o) => o.dueDay).sort()[0] ?? null;
