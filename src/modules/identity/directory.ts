// Read access to organisations for other modules and the CLI (they never touch the tables).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import * as repo from './repository.js';

export const findOrganisationBySlug = (db: Kysely<DB>, slug: string) => repo.findOrganisation(db, { slug });
export const findOrganisationById = (db: Kysely<DB>, id: number) => repo.findOrganisation(db, { id });
export const listOrganisations = (db: Kysely<DB>) => repo.listOrganisations(db);
export const activeMembers = (db: Kysely<DB>, organisationId: number) => repo.activeMembers(db, organisationId);
export const activeMembersWithRole = (db: Kysely<DB>, organisationId: number, role: string) => repo.activeMembersWithRole(db, organisationId, role);
export const membersWithRoles = (db: Kysely<DB>, organisationIds: number[], roles: string[]) => repo.membersWithRoles(db, organisationIds, roles);
export const activeMembersWithRoles = (db: Kysely<DB>, organisationIds: number[], roles: string[]) => repo.activeMembersWithRoles(db, organisationIds, roles);
