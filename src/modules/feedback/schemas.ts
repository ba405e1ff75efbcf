import { z } from 'zod';
import { locales } from '../../web/i18n.js';

// A page of this portal: /{lang}/…, never another origin (no open redirect through ?page=).
const localPage = z
  .string()
  .max(300)
  .regex(new RegExp(`^/(${locales.join('|')})/[A-Za-z0-9\\-._~/%]*$`));

export const feedbackQuery = z.object({ page: localPage.optional().catch(undefined) });

export const feedbackForm = z.object({
  useful: z.enum(['yes', 'no']),
  // A tampered page field is not the user's mistake: fall back to the home page.
  page: localPage.optional().catch(undefined),
});
export type FeedbackForm = z.infer<typeof feedbackForm>;

export const feedbackBody = z
  .object({
    page: localPage.describe('Path of the page the answer is about, e.g. /fr/institutions'),
    useful: z.boolean().describe('Whether the page was useful'),
  })
  .describe('An anonymous answer to "Is this page useful?"');

export const feedbackRecorded = z.object({ recorded: z.literal(true).describe('The answer was stored') }).describe('Stored');
