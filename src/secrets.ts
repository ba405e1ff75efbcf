// The installation's root secret: SECRET_KEY, or a random key generated under DATA_DIR on first start
// (never logged). Nodes of one deployment must share it: set SECRET_KEY, or share DATA_DIR.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';

export function loadRootSecret(config: Pick<Config, 'secretKey' | 'dataDir'>): Buffer {
  if (config.secretKey) return Buffer.from(config.secretKey, 'hex');
  const file = path.join(config.dataDir, 'secret.key');
  fs.mkdirSync(config.dataDir, { recursive: true });
  try {
    // wx: two processes starting together cannot both create it.
    fs.writeFileSync(file, crypto.randomBytes(32).toString('hex') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const hex = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${file} is damaged: it must hold 64 hexadecimal characters`);
  return Buffer.from(hex, 'hex');
}

/** A purpose-bound key derived from the root secret, so one leaked subkey reveals nothing of the others. */
export function deriveKey(root: Buffer, purpose: string, length = 32): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', root, Buffer.alloc(0), `nazaha:${purpose}`, length));
}
