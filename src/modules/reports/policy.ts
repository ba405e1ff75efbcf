import type { ResolvedSession } from '../identity/service.js';

/** Staff of an institution who take reports by phone, post or in person and register them. */
export const canRegisterReports = (s: ResolvedSession): boolean =>
  s.organisation?.kind !== 'ngo' && s.user.organisation_id !== null && (s.roles.includes('case-handler') || s.roles.includes('institution-admin'));
