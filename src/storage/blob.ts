// The contract every storage backend keeps. Blobs are already encrypted when they get here: storage
// sees only ciphertext, opaque keys and sizes.
import type { Readable } from 'node:stream';

export interface BlobStorage {
  /** Stores the whole stream under `key`, replacing any object there; nothing is visible under `key` until it succeeds. */
  put(key: string, stream: Readable): Promise<{ size: number }>;
  /** Throws BlobNotFoundError when there is no such object. */
  get(key: string): Promise<Readable>;
  /** Succeeds when there is nothing to delete. */
  delete(key: string): Promise<void>;
  /** Deletes every object under a folder-like prefix ending with "/". */
  deletePrefix(prefix: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

export class BlobNotFoundError extends Error {
  constructor(key: string) {
    super(`no stored object ${key}`);
  }
}

export class InvalidKeyError extends Error {}

// Keys are made by the portal (e.g. "reports/12/<random>"), never by users; the strict charset still
// guards the disk backend against path traversal should that ever change: no "..", no leading "/",
// no backslash, no dot-files (temporary files start with a dot).
const SEGMENT = '[A-Za-z0-9][A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]+)*';
const KEY = new RegExp(`^${SEGMENT}(?:/${SEGMENT})*$`);
const MAX_KEY = 512;

export function assertValidKey(key: string): void {
  if (key.length > MAX_KEY || !KEY.test(key)) throw new InvalidKeyError(`invalid storage key ${JSON.stringify(key.slice(0, 80))}`);
}

export function assertValidPrefix(prefix: string): void {
  if (!prefix.endsWith('/')) throw new InvalidKeyError('a storage prefix must end with "/"');
  assertValidKey(prefix.slice(0, -1));
}
