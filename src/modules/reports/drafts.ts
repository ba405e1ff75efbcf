// The answers of a report being written, kept between steps on the server, encrypted under a key
// that exists only in the reporter's cookie, and erased after two hours.
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { decrypt, encrypt, randomBytes } from '../../crypto/box.js';
import type { DB } from '../../db/schema.js';
import * as repo from './repository.js';

export const DRAFT_TTL_MS = 2 * 3_600_000;

export interface Draft {
  channel: string;
  /** The questionnaire version the reporter started with: a version published meanwhile does not change their questions. */
  version?: number | undefined;
  orientation?: string | undefined;
  answers: Record<string, string>;
  identity?: { name: string; contact: string } | undefined;
  notice?: string | undefined;
  /** Steps the reporter has completed, so the review is reached only with every required answer. */
  done: string[];
  /** Identifies this submission: sending the final form twice makes one report. */
  submissionKey: string;
}

const sha256 = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');
const parse = (cookie: string | undefined) => {
  const m = cookie?.match(/^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/);
  return m ? { id: Buffer.from(m[1]!, 'base64url'), key: Buffer.from(m[2]!, 'base64url') } : null;
};

export async function createDraft(db: Kysely<DB>, draft: Omit<Draft, 'submissionKey' | 'done'>): Promise<string> {
  const id = randomBytes(32);
  const key = randomBytes(32);
  await saveDraft(db, `${id.toString('base64url')}.${key.toString('base64url')}`, { ...draft, done: [], submissionKey: randomBytes(16).toString('hex') });
  return `${id.toString('base64url')}.${key.toString('base64url')}`;
}

export async function saveDraft(db: Kysely<DB>, cookie: string, draft: Draft): Promise<void> {
  const c = parse(cookie);
  if (!c) throw new Error('bad draft cookie');
  const idHash = sha256(c.id);
  await repo.saveDraft(db, { id_hash: idHash, box: encrypt(Buffer.from(JSON.stringify(draft)), c.key, `draft:${idHash}`).toString('base64'), expires_at: new Date(Date.now() + DRAFT_TTL_MS).toISOString() });
}

/** The draft a cookie opens; null when absent, expired or tampered with. */
export async function loadDraft(db: Kysely<DB>, cookie: string | undefined): Promise<Draft | null> {
  const c = parse(cookie);
  if (!c) return null;
  const idHash = sha256(c.id);
  const row = await repo.findDraft(db, idHash, new Date().toISOString());
  if (!row) return null;
  try {
    return JSON.parse(decrypt(Buffer.from(row.box, 'base64'), c.key, `draft:${idHash}`).toString('utf8')) as Draft;
  } catch {
    return null;
  }
}

export async function discardDraft(db: Kysely<DB>, cookie: string | undefined): Promise<void> {
  const c = parse(cookie);
  if (c) await repo.deleteDraft(db, sha256(c.id));
}
