import type { ResolvedSession } from '../identity/service.js';

/** Staff of an institution who take reports by phone, post or in person and register them. */
export const canRegisterReports = (s: ResolvedSession): boolean =>
  s.organisation?.kind !== 'ngo' && s.user.organisation_id !== null && (s.roles.includes('case-handler') || s.roles.includes('institution-admin'));

/** Who opens the questionnaire builder: an institution's administrators, and the platform's. */
export const canEditQuestionnaires = (s: ResolvedSession): boolean =>
  s.roles.includes('platform-admin') || (s.roles.includes('institution-admin') && s.organisation?.kind === 'institution');

/** A channel's questionnaire is edited by its own institution (or the platform), never by another one. */
export const canEditChannel = (s: ResolvedSession, channel: { organisationId: number }): boolean =>
  s.roles.includes('platform-admin') || (canEditQuestionnaires(s) && s.user.organisation_id === channel.organisationId);
