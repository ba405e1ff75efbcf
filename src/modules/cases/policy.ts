// Who may handle cases. Access to a case also needs the keys: a member of the case's institution, or
// of the office it is assigned to, who holds that organisation's key.
import { isPlatformAdmin } from '../identity/policy.js';
import type { ResolvedSession } from '../identity/service.js';

const inInstitution = (s: ResolvedSession): boolean => s.user.organisation_id !== null && s.organisation?.kind !== 'ngo';

export const canHandleCases = (s: ResolvedSession): boolean =>
  inInstitution(s) && (s.roles.includes('case-handler') || s.roles.includes('institution-admin'));

/** Custodians approve or refuse the disclosure of a reporter's identity. */
export const canDecideCustody = (s: ResolvedSession): boolean => inInstitution(s) && s.roles.includes('custodian');

/** Institution admins hand an inactive colleague's cases over to someone else. */
export const canTakeOver = (s: ResolvedSession): boolean => inInstitution(s) && s.roles.includes('institution-admin');

/**
 * Exporting a case file sends the whole case out of the portal (to a prosecutor, an auditor): an act
 * of handling, for handlers and institution admins. Custodians read cases to decide on identity
 * requests; that does not make them the ones who hand a case over.
 */
export const canExportCases = (s: ResolvedSession): boolean => canHandleCases(s);

/** Anyone who works on cases or decides custody sees the inbox. */
export const canSeeCases = (s: ResolvedSession): boolean => canHandleCases(s) || canDecideCustody(s);

/** Case statistics are counts, never content: everyone who sees cases, for their own organisation; platform admins, for any. */
export const canSeeCaseStatistics = (s: ResolvedSession): boolean => canSeeCases(s) || isPlatformAdmin(s);

/**
 * A legal hold keeps a case past its retention. Placing one only keeps data (the safe direction), so
 * whoever handles the case may; lifting one lets the case be deleted, so only institution admins may.
 */
export const canPlaceLegalHold = canHandleCases;
export const canReleaseLegalHold = (s: ResolvedSession): boolean => inInstitution(s) && s.roles.includes('institution-admin');
