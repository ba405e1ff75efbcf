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
