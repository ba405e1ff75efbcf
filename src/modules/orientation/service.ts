// Versions of the orientation rules, the published one citizens walk through, and anonymous counts.
import fs from 'node:fs';
import type { Kysely } from 'kysely';
import { type Database, nowIso, writeTransaction } from '../../db/index.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { projectPath } from '../../paths.js';
import { appendAudit } from '../audit/service.js';
import { listInstitutions } from '../institutions/directory.js';
import { type Graph, graphSchema, type Problem, validateGraph } from './graph.js';
import * as repo from './repository.js';

export interface Version { id: number; status: 'draft' | 'published' | 'retired'; graph: Graph; note: string; createdAt: string; publishedAt: string | null }

const present = (r: repo.VersionRow): Version => ({
  id: r.id, status: r.status, graph: graphSchema.parse(JSON.parse(r.graph)), note: r.note, createdAt: r.created_at, publishedAt: r.published_at,
});

/** First start: the shipped rules become version 1, published. */
export async function seedOrientation(trx: Kysely<DB>) {
  if (await repo.publishedVersion(trx)) return { summary: { orientationVersions: 0 } };
  const file = JSON.parse(fs.readFileSync(projectPath('data', 'reference', 'orientation-rules.json'), 'utf8')) as { graph: unknown; source: string };
  const graph = graphSchema.parse(file.graph);
  const now = nowIso();
  await repo.insertVersion(trx, { status: 'published', graph: JSON.stringify(graph), note: file.source, created_by: 'system', created_at: now, published_at: now });
  return { summary: { orientationVersions: 1 } };
}

export async function publishedRules(db: Kysely<DB>): Promise<Version | undefined> {
  const r = await repo.publishedVersion(db);
  return r ? present(r) : undefined;
}

export async function getVersion(db: Kysely<DB>, id: number): Promise<Version | undefined> {
  const r = await repo.findVersion(db, id);
  return r ? present(r) : undefined;
}

export async function listVersions(db: Kysely<DB>): Promise<Omit<Version, 'graph'>[]> {
  return (await repo.listVersions(db)).map((r) => ({ id: r.id, status: r.status, note: r.note, createdAt: r.created_at, publishedAt: r.published_at }));
}

/** Records which outcome a walk reached: the version, the outcome and the day, nothing else. */
export async function countOutcome(db: Kysely<DB>, versionId: number, outcome: string): Promise<void> {
  await repo.countOutcome(db, versionId, outcome, new Date().toISOString().slice(0, 10));
}

export interface OutcomeStatistics { version: number; outcomes: { outcome: string; institutions: string[]; count: number }[]; total: number; notCompetent: number }

/** Per version: how many walks ended where, and how many ended in "none of these institutions". */
export async function statistics(db: Kysely<DB>): Promise<OutcomeStatistics[]> {
  const totals = await repo.outcomeTotals(db);
  const byVersion = new Map<number, OutcomeStatistics>();
  const graphs = new Map<number, Graph>();
  for (const t of totals) {
    if (!graphs.has(t.version_id)) graphs.set(t.version_id, (await getVersion(db, t.version_id))!.graph);
    const node = graphs.get(t.version_id)!.nodes[t.outcome];
    const institutions = node?.kind === 'outcome' ? node.institutions : [];
    const s = byVersion.get(t.version_id) ?? { version: t.version_id, outcomes: [], total: 0, notCompetent: 0 };
    s.outcomes.push({ outcome: t.outcome, institutions, count: t.count });
    s.total += t.count;
    if (institutions.length === 0) s.notCompetent += t.count;
    byVersion.set(t.version_id, s);
  }
  return [...byVersion.values()];
}

// Editing (publishers)

export async function createDraft(database: Database, fromVersion: number, actor: string): Promise<number> {
  const source = await repo.findVersion(database.db, fromVersion);
  if (!source) throw new AppError('not_found');
  return writeTransaction(database, async (trx) => {
    const id = await repo.insertVersion(trx, { status: 'draft', graph: source.graph, note: '', created_by: actor, created_at: nowIso(), published_at: null });
    await appendAudit(trx, database.dialect, { actor, action: 'orientation.draft-created', target: `orientation:${id}`, details: { from: fromVersion } });
    return id;
  });
}

export type DraftError = { code: 'invalid_json'; message: string } | { code: 'invalid_shape'; paths: string[] };

/** Saves a draft's graph as typed by a publisher; refuses text that is not a graph at all. */
export async function saveDraft(database: Database, id: number, input: { graph: string; note: string }): Promise<DraftError | null> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(input.graph);
  } catch (err) {
    return { code: 'invalid_json', message: (err as Error).message };
  }
  const shape = graphSchema.safeParse(parsed);
  if (!shape.success) return { code: 'invalid_shape', paths: shape.error.issues.slice(0, 10).map((i) => i.path.join('.') || '(root)') };
  if (!(await repo.updateDraft(database.db, id, { graph: JSON.stringify(shape.data), note: input.note.slice(0, 500) }))) throw new AppError('conflict', { message: 'only drafts can be edited' });
  return null;
}

/** Publishes a draft if its graph is sound; otherwise returns every problem, and nothing changes. */
export async function publishDraft(database: Database, id: number, actor: string): Promise<Problem[]> {
  const draft = await repo.findVersion(database.db, id);
  if (!draft) throw new AppError('not_found');
  if (draft.status !== 'draft') throw new AppError('conflict', { message: 'only drafts can be published' });
  const slugs = (await listInstitutions(database.db)).map((i) => i.slug);
  const problems = validateGraph(graphSchema.parse(JSON.parse(draft.graph)), slugs);
  if (problems.length) return problems;
  await writeTransaction(database, async (trx) => {
    await repo.publish(trx, id, nowIso());
    await appendAudit(trx, database.dialect, { actor, action: 'orientation.published', target: `orientation:${id}` });
  });
  return [];
}
