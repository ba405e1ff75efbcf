import type { ResolvedSession } from '../identity/service.js';

/** Publishers write the orientation rules; platform administrators may too. */
export const canEditRules = (s: ResolvedSession): boolean => s.roles.includes('publisher') || s.roles.includes('platform-admin');
