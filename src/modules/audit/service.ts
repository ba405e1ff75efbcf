// The audit log: append-only and hash-chained. Each entry's hash is SHA-256 over a canonical
// encoding of all its other fields, including the previous entry's hash, so editing, deleting or
// reordering any entry breaks the chain; anchors of the head kept outside the database (a file
// under DATA_DIR, and the log) reveal entries deleted from the end.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database, Dialect } from '../../db/index.js';
import type { AuditLogTable, DB } from '../../db/schema.js';
import * as repo from './repository.js';

export const GENESIS = '0'.repeat(64);

export type AuditDetails = Record<string, string | number | boolean | null>;

export interface AuditEvent {
  /** Who acted: "user:12", "cli", "system". */
  actor: string;
  /** The organisation acted for, "org:3", or "" for the platform. */
  organisation?: string;
  /** A dotted verb, e.g. "user.created", "auth.sign-in.failed". */
  action: string;
  /** What was acted on: "user:12", "case:40". */
  target?: string;
  /** Ids and codes only: never report content or personal data. */
  details?: AuditDetails;
}

const canonicalDetails = (d: AuditDetails = {}): string =>
  JSON.stringify(Object.fromEntries(Object.keys(d).sort().map((k) => [k, d[k]])));

export function entryHash(e: Omit<AuditLogTable, 'hash'>): string {
  const canonical = JSON.stringify([e.seq, e.at, e.actor, e.organisation, e.action, e.target, e.details, e.prev_hash]);
  return crypto.createHash('sha256').update(canonical).digest('hex');
}

/**
 * Appends one entry inside the caller's transaction (the action and its record commit together).
 * The transaction must come from writeTransaction, so that appends form one chain across processes.
 */
export async function appendAudit(trx: Kysely<DB>, dialect: Dialect, event: AuditEvent): Promise<AuditLogTable> {
  await repo.lockChain(trx, dialect);
  const last = await repo.head(trx);
  const entry = {
    seq: (last?.seq ?? 0) + 1,
    at: new Date().toISOString(),
    actor: event.actor,
    organisation: event.organisation ?? '',
    action: event.action,
    target: event.target ?? '',
    details: canonicalDetails(event.details),
    prev_hash: last?.hash ?? GENESIS,
  };
  const full = { ...entry, hash: entryHash(entry) };
  await repo.insert(trx, full);
  return full;
}

export const anchorFile = (dataDir: string): string => path.join(dataDir, 'audit-anchors.jsonl');

export interface Anchor { seq: number; hash: string; at: string }

export function readAnchors(file: string): Anchor[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).flatMap((line) => {
    try {
      const a = JSON.parse(line) as Anchor;
      return Number.isInteger(a.seq) && typeof a.hash === 'string' ? [a] : [];
    } catch {
      return [];
    }
  });
}

/** Records the current head outside the database, if it moved since the last anchor. */
export async function writeAnchor(database: Database, dataDir: string): Promise<Anchor | undefined> {
  const h = await repo.head(database.db);
  if (!h) return undefined;
  const file = anchorFile(dataDir);
  const last = readAnchors(file).at(-1);
  if (last && last.seq === h.seq && last.hash === h.hash) return undefined;
  const anchor = { seq: h.seq, hash: h.hash, at: new Date().toISOString() };
  fs.mkdirSync(dataDir, { recursive: true });
  fs.appendFileSync(file, JSON.stringify(anchor) + '\n', { mode: 0o600 });
  return anchor;
}

export type VerifyResult =
  | { ok: true; entries: number; anchors: number }
  | { ok: false; entries: number; seq: number; problem: 'missing' | 'altered' | 'unlinked' | 'truncated' | 'anchor-mismatch'; message: string };

/** Walks the whole chain in order, then checks the anchors; reports the first broken link. */
export async function verifyAudit(db: Kysely<DB>, anchors: Anchor[], onProgress?: (seq: number) => void): Promise<VerifyResult> {
  const anchorBySeq = new Map<number, Anchor>();
  for (const a of anchors) anchorBySeq.set(a.seq, a);
  let prev = { seq: 0, hash: GENESIS };
  for (;;) {
    const page = await repo.pageAfter(db, prev.seq, 1000);
    if (page.length === 0) break;
    for (const e of page) {
      const expected = prev.seq + 1;
      if (e.seq !== expected) {
        return { ok: false, entries: prev.seq, seq: expected, problem: 'missing', message: `entry ${expected} is missing: the log jumps from entry ${prev.seq} to entry ${e.seq} (deleted)` };
      }
      const { hash, ...rest } = e;
      if (entryHash(rest) !== hash) {
        return { ok: false, entries: prev.seq, seq: e.seq, problem: 'altered', message: `entry ${e.seq} was altered: its content no longer matches its hash (edited or moved)` };
      }
      if (e.prev_hash !== prev.hash) {
        return { ok: false, entries: prev.seq, seq: e.seq, problem: 'unlinked', message: `entry ${e.seq} does not follow entry ${prev.seq}: the chain was rewritten from here (replaced, reordered or deleted entries)` };
      }
      const anchor = anchorBySeq.get(e.seq);
      if (anchor && anchor.hash !== hash) {
        return { ok: false, entries: prev.seq, seq: e.seq, problem: 'anchor-mismatch', message: `entry ${e.seq} differs from the anchor recorded at ${anchor.at}: the log was rewritten` };
      }
      prev = { seq: e.seq, hash };
    }
    onProgress?.(prev.seq);
  }
  const furthest = anchors.reduce((m, a) => Math.max(m, a.seq), 0);
  if (furthest > prev.seq) {
    return { ok: false, entries: prev.seq, seq: prev.seq + 1, problem: 'truncated', message: `the log ends at entry ${prev.seq} but entry ${furthest} was anchored: entries ${prev.seq + 1} to ${furthest} were deleted from the end` };
  }
  return { ok: true, entries: prev.seq, anchors: anchors.length };
}

export const searchAudit = repo.search;
export const auditHead = repo.head;
