// Roles and which kind of organisation each belongs to. Permissions themselves live in each
// module's policy.ts.
export const roles = [
  'platform-admin', 'institution-admin', 'case-handler', 'custodian', 'publisher', 'moderator', 'ngo-admin', 'ngo-member', 'contributor',
] as const;
export type Role = (typeof roles)[number];
export const isRole = (v: unknown): v is Role => typeof v === 'string' && (roles as readonly string[]).includes(v);

export type OrganisationKind = 'institution' | 'office' | 'ngo';

/** The roles a user of this kind of organisation (or of none: the platform) may hold. */
export function rolesFor(kind: OrganisationKind | null): Role[] {
  if (kind === 'institution' || kind === 'office') return ['institution-admin', 'case-handler', 'custodian', 'publisher', 'moderator'];
  if (kind === 'ngo') return ['ngo-admin', 'ngo-member'];
  return ['platform-admin', 'publisher', 'moderator', 'contributor'];
}

/** Roles that manage the users of their organisation (and, for institutions, of its offices). */
export const adminRoles: Role[] = ['platform-admin', 'institution-admin', 'ngo-admin'];
