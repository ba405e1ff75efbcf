// The institutions directory: who handles what, on what conditions, how to reach them, by when,
// and where each fact comes from. Loaded from data/reference/institutions.json on first start.
import fs from 'node:fs';
import type { Kysely } from 'kysely';
import type { Dialect } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import type { DB } from '../../db/schema.js';
import { projectPath } from '../../paths.js';
import { toCsv } from '../../web/csv.js';
import type { Locale } from '../../web/i18n.js';
import { createOrganisationIn } from '../identity/service.js';
import * as repo from './repository.js';

export type Text = Record<Locale, string>;
export interface Fact { source: string; text: Text }
export const channelTypes = ['online-here', 'external-site', 'online-elsewhere', 'phone', 'in-person', 'post', 'email'] as const;
export interface Channel { type: (typeof channelTypes)[number]; value?: string; source: string }

export interface InstitutionProfile {
  name: Text;
  acronym: string;
  mandate: Fact;
  handles: Fact;
  notHandles?: Fact;
  preconditions?: Fact[];
  channels: Channel[];
  deadlines?: Fact[];
}

export interface Institution extends InstitutionProfile {
  slug: string;
  receivesReports: boolean;
  website: string | null;
  organisationId: number | null;
}

interface InstitutionFile {
  sources: Record<string, string>;
  institutions: (InstitutionProfile & { slug: string; receivesReports: boolean; website?: string })[];
}

const readFile = (): InstitutionFile => JSON.parse(fs.readFileSync(projectPath('data', 'reference', 'institutions.json'), 'utf8')) as InstitutionFile;

/** Resolves source keys to their full text, so each stored fact carries its own source. */
function withSources(i: InstitutionFile['institutions'][number], sources: Record<string, string>): InstitutionProfile {
  const src = (key: string) => sources[key] ?? key;
  const fact = (f: Fact | undefined) => (f ? { ...f, source: src(f.source) } : undefined);
  return {
    name: i.name, acronym: i.acronym, mandate: fact(i.mandate)!, handles: fact(i.handles)!,
    ...(i.notHandles ? { notHandles: fact(i.notHandles)! } : {}),
    ...(i.preconditions ? { preconditions: i.preconditions.map((f) => fact(f)!) } : {}),
    channels: i.channels.map((c) => ({ ...c, source: src(c.source) })),
    ...(i.deadlines ? { deadlines: i.deadlines.map((f) => fact(f)!) } : {}),
  };
}

/**
 * Loads the shipped institutions. Those that receive reports on this portal become organisations
 * with their own keys; their recovery keys are returned to be shown once on the console.
 */
export async function seedInstitutions(trx: Kysely<DB>, dialect: Dialect) {
  const file = readFile();
  const recoveryKeys: { slug: string; key: string }[] = [];
  let loaded = 0;
  for (const [order, i] of file.institutions.entries()) {
    const profile = JSON.stringify(withSources(i, file.sources));
    const existing = await repo.findInstitution(trx, i.slug);
    if (existing) {
      await repo.updateInstitution(trx, i.slug, { profile, website: i.website ?? null, sort_order: order, updated_at: nowIso() });
      continue;
    }
    let organisationId: number | null = null;
    if (i.receivesReports) {
      const created = await createOrganisationIn(trx, dialect, {
        slug: i.slug, kind: 'institution', names: { ar: i.name.ar, fr: i.name.fr, en: i.name.en, zgh: i.name.zgh },
      }, 'system');
      organisationId = created.id;
      recoveryKeys.push({ slug: i.slug, key: created.recoveryKey });
    }
    await repo.insertInstitution(trx, {
      slug: i.slug, organisation_id: organisationId, receives_reports: i.receivesReports ? 1 : 0, website: i.website ?? null,
      profile, sort_order: order, updated_at: nowIso(),
    });
    loaded++;
  }
  return { summary: { institutions: loaded }, recoveryKeys };
}

const present = (row: repo.InstitutionRow): Institution => ({
  ...(JSON.parse(row.profile) as InstitutionProfile),
  slug: row.slug, receivesReports: row.receives_reports === 1, website: row.website, organisationId: row.organisation_id,
});

export async function listInstitutions(db: Kysely<DB>): Promise<Institution[]> {
  return (await repo.listInstitutions(db)).map(present);
}

export async function getInstitution(db: Kysely<DB>, slug: string): Promise<Institution | undefined> {
  const row = await repo.findInstitution(db, slug);
  return row ? present(row) : undefined;
}

/** One row per institution and language: the directory for spreadsheets. */
export function institutionsCsv(list: Institution[]): string {
  const header = ['slug', 'language', 'name', 'acronym', 'mandate', 'handles', 'does_not_handle', 'preconditions', 'deadlines', 'channels', 'website', 'receives_reports_here', 'sources'];
  const rows = list.flatMap((i) =>
    (['ar', 'fr', 'en', 'zgh'] as const).map((l) => {
      const facts = [i.mandate, i.handles, i.notHandles, ...(i.preconditions ?? []), ...(i.deadlines ?? [])].filter((f): f is Fact => !!f);
      return [
        i.slug, l, i.name[l], i.acronym, i.mandate.text[l], i.handles.text[l], i.notHandles?.text[l] ?? '',
        (i.preconditions ?? []).map((f) => f.text[l]).join(' | '), (i.deadlines ?? []).map((f) => f.text[l]).join(' | '),
        i.channels.map((c) => (c.value ? `${c.type}: ${c.value}` : c.type)).join(' | '), i.website ?? '', i.receivesReports ? 'yes' : 'no',
        [...new Set([...facts.map((f) => f.source), ...i.channels.map((c) => c.source)])].join(' | '),
      ];
    }),
  );
  return toCsv(header, rows);
}

export interface Office { slug: string; institution: string; supervisor: string | null; name: Text; address?: Text; hours?: Text; phone?: string; email?: string }

/**
 * The office of an institution competent for a place: one covering the province, else one covering
 * its region; undefined when the headquarters handle it.
 */
export async function competentOffice(db: Kysely<DB>, institutionSlug: string, place: { regionCode?: string; provinceCode?: string }): Promise<Office | undefined> {
  const institution = await repo.findInstitution(db, institutionSlug);
  if (!institution) return undefined;
  let regionCode = place.regionCode;
  if (place.provinceCode) regionCode = (await repo.findProvince(db, place.provinceCode))?.region_code ?? regionCode;
  if (!regionCode) return undefined;
  const ids = await repo.officesCovering(db, institution.id, { regionCode, provinceCode: place.provinceCode });
  if (ids.length === 0) return undefined;
  const offices = await repo.listOffices(db, institution.id);
  const office = offices.find((o) => o.id === ids[0]);
  if (!office) return undefined;
  const supervisor = office.supervisor_office_id ? offices.find((o) => o.id === office.supervisor_office_id)?.slug ?? null : null;
  return { ...(JSON.parse(office.profile) as Omit<Office, 'slug' | 'institution' | 'supervisor'>), slug: office.slug, institution: institutionSlug, supervisor };
}

export async function countOffices(db: Kysely<DB>, institutionSlug: string): Promise<number> {
  const institution = await repo.findInstitution(db, institutionSlug);
  return institution ? (await repo.listOffices(db, institution.id)).length : 0;
}

/** Adds a regional office (used by operators' data loads and by tests until the back office edits offices). */
export async function addOffice(
  db: Kysely<DB>,
  input: { slug: string; institution: string; supervisor?: string; profile: Omit<Office, 'slug' | 'institution' | 'supervisor'>; regions?: string[]; provinces?: string[] },
): Promise<number> {
  const institution = await repo.findInstitution(db, input.institution);
  if (!institution) throw new Error(`no institution ${input.institution}`);
  const existing = await repo.listOffices(db);
  if (existing.some((o) => o.slug === input.slug)) throw new Error(`an office already has the slug ${input.slug}`);
  for (const r of input.regions ?? []) if (!(await repo.findRegion(db, r))) throw new Error(`unknown region ${r}`);
  for (const p of input.provinces ?? []) if (!(await repo.findProvince(db, p))) throw new Error(`unknown province ${p}`);
  const supervisor = input.supervisor ? (await repo.listOffices(db, institution.id)).find((o) => o.slug === input.supervisor) : undefined;
  return repo.insertOffice(db, {
    slug: input.slug, institution_id: institution.id, supervisor_office_id: supervisor?.id ?? null, organisation_id: null,
    profile: JSON.stringify(input.profile), updated_at: nowIso(),
  }, [
    ...(input.regions ?? []).map((r) => ({ region_code: r, province_code: null })),
    ...(input.provinces ?? []).map((p) => ({ region_code: null, province_code: p })),
  ]);
}
