// Who may do what with accounts, keys and the audit log. Every query is scoped to what
// `scope` returns: a user never sees another organisation's people or records.
import type { ResolvedSession } from './service.js';

export type Scope = { all: true } | { all: false; organisationIds: number[] };

export const isPlatformAdmin = (s: ResolvedSession): boolean => s.roles.includes('platform-admin');
export const isOrganisationAdmin = (s: ResolvedSession): boolean =>
  s.roles.includes('institution-admin') || s.roles.includes('ngo-admin');

export const canManageUsers = (s: ResolvedSession): boolean => isPlatformAdmin(s) || isOrganisationAdmin(s);
export const canViewAudit = canManageUsers;

/** The organisations whose users (and audit entries) an administrator manages. */
export function adminScope(s: ResolvedSession, childIds: number[]): Scope {
  if (isPlatformAdmin(s)) return { all: true };
  if (!s.user.organisation_id || !isOrganisationAdmin(s)) return { all: false, organisationIds: [] };
  return { all: false, organisationIds: [s.user.organisation_id, ...childIds] };
}

export const inScope = (scope: Scope, organisationId: number | null): boolean =>
  scope.all || (organisationId !== null && scope.organisationIds.includes(organisationId));
