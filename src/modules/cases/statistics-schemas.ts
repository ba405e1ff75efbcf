// Request and response of the case statistics API (and the query of the staff pages).
import { z } from 'zod';
import { isDay } from './clocks/calendar.js';
import { outcomes, statuses } from './service.js';
import { custodyStatuses } from './statistics.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine(isDay, 'not a calendar day');

export const statisticsQuery = z.object({
  from: day.optional().describe('First day of the period, YYYY-MM-DD (default: 1 January of the current year in Casablanca)'),
  to: day.optional().describe('Last day of the period, included (default: 31 December of the current year); at most 10 calendar years after `from`'),
  channel: z.coerce.number().int().positive().optional().describe('Only reports that came in through this channel'),
  organisation: z.coerce.number().int().positive().optional().describe('Platform administrators: one institution, with its regional offices (default: every institution). Others may only name their own organisation.'),
  view: z.enum(['staff', 'published']).optional().describe('"staff" (default): exact figures; "published": as they would be published, counts below 5 and figures computed from fewer than 5 cases set to null'),
});

const count = z.number().int().min(0).nullable().describe('A count; null when suppressed for publication (below 5)');
const days = z.number().nullable().describe('Days from receipt, to one decimal; null without cases, or when computed from fewer than 5 cases for publication');
const delay = z.object({ cases: count.describe('Cases that reached the event'), median: days, p90: days.describe('90th percentile (interpolated between ranks)') });
const deadline = z.object({
  settled: count.describe('Cases where the deadline is settled: the event happened, the case was closed, or the due day has passed'),
  met: count.describe('Cases where the event happened on or before the due day'),
  share: z.number().min(0).max(1).nullable().describe('met / settled, to four decimals; null without settled cases, or with fewer than 5 for publication'),
});

export const statisticsResponse = z.object({
  from: z.string().describe('First day of the period'),
  to: z.string().describe('Last day of the period'),
  asOf: z.string().describe('The day counted as today: deadlines falling later are not yet settled'),
  organisationId: z.number().int().nullable().describe('The institution counted (with its offices); null: every institution'),
  channelId: z.number().int().nullable(),
  suppressedBelow: z.number().int().nullable().describe('Null for exact figures; 5 when counts below it were suppressed'),
  received: count.describe('Reports received in the period (for a transferred report: the day it reached this institution)'),
  byChannel: z.array(z.object({ channelId: z.number().int(), count })),
  byRegion: z.array(z.object({ region: z.string().nullable().describe('ISO 3166-2:MA code; null when the reporter did not say'), count })),
  byStatus: z.array(z.object({ status: z.enum(statuses), count })).describe('Current status of the reports received in the period'),
  byOutcome: z.array(z.object({ outcome: z.enum(outcomes), count })).describe('Outcome of those that are closed'),
  byMonth: z.array(z.object({ month: z.string().describe('YYYY-MM'), count })),
  timeToAcknowledge: delay,
  timeToFeedback: delay.describe('Closing is the feedback to the reporter'),
  acknowledgedInTime: deadline,
  closedInTime: deadline,
  transfers: z.object({
    in: count, out: count,
    byInstitution: z.array(z.object({ organisationId: z.number().int(), in: count, out: count })).describe('Per other institution; empty for the whole portal'),
  }).describe('Transfers made in the period; both institutions count them'),
  protection: z.object({ requests: count.describe('Requests for protection made in the period'), reprisals: count.describe('Reports of reprisals made in the period') }),
  custody: z.array(z.object({ status: z.enum(custodyStatuses), count })).describe('Requests for a reporter\'s identity made in the period, by where they stand'),
});
