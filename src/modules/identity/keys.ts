// User and organisation keys (see docs/security-model.md).
// - A user's X25519 private key is stored encrypted twice: under a key derived from the password
//   (Argon2id), and under each recovery code. Nobody else, no administrator, can open it.
// - An organisation's private key (one per version) is sealed to each member's public key and to the
//   organisation recovery key, whose private half is shown once and kept offline.
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { type KeyPair, decrypt, encrypt, generateKeyPair, openSealed, randomBytes, seal } from '../../crypto/box.js';
import { normalizeCode, randomCode } from '../../crypto/codes.js';
import { keyFromPassword, keyFromSecret } from '../../crypto/kdf.js';
import { nowIso } from '../../db/index.js';
import type { DB } from '../../db/schema.js';
import * as repo from './repository.js';

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const unb64 = (s: string): Buffer => Buffer.from(s, 'base64');
const USER_KEY = 'nazaha:user-private-key';
const SALT = 16;

export interface RecoverySlot { id: string; box: string; used: boolean }

const codeId = (code: string): string => crypto.createHash('sha256').update(normalizeCode(code)).digest('hex').slice(0, 16);

export async function lockWithPassword(privateKey: Buffer, password: string): Promise<string> {
  const salt = randomBytes(SALT);
  return b64(Buffer.concat([salt, encrypt(privateKey, await keyFromPassword(password, salt), USER_KEY)]));
}

export async function unlockWithPassword(stored: string, password: string): Promise<Buffer> {
  const raw = unb64(stored);
  return decrypt(raw.subarray(SALT), await keyFromPassword(password, raw.subarray(0, SALT)), USER_KEY);
}

/** Ten new recovery codes (100 bits each), each able to unlock the private key once. */
export function lockWithRecoveryCodes(privateKey: Buffer): { codes: string[]; slots: RecoverySlot[] } {
  const codes = Array.from({ length: 10 }, () => randomCode(5));
  const slots = codes.map((code) => ({ id: codeId(code), box: b64(encrypt(privateKey, keyFromSecret(normalizeCode(code), 'recovery-code'), USER_KEY)), used: false }));
  return { codes, slots };
}

/** Opens the private key with an unused recovery code; returns the slots with that code spent. */
export function unlockWithRecoveryCode(slotsJson: string, code: string): { privateKey: Buffer; slots: RecoverySlot[] } | null {
  const slots = JSON.parse(slotsJson) as RecoverySlot[];
  const id = codeId(code);
  const slot = slots.find((s) => s.id === id && !s.used);
  if (!slot) return null;
  const privateKey = decrypt(unb64(slot.box), keyFromSecret(normalizeCode(code), 'recovery-code'), USER_KEY);
  return { privateKey, slots: slots.map((s) => (s.id === id ? { ...s, used: true } : s)) };
}

export async function createUserKeys(password: string) {
  const pair = generateKeyPair();
  const recovery = lockWithRecoveryCodes(pair.privateKey);
  return {
    publicKey: b64(pair.publicKey),
    privateKey: pair.privateKey,
    privateKeyByPassword: await lockWithPassword(pair.privateKey, password),
    recoveryCodes: recovery.codes,
    recovery: JSON.stringify(recovery.slots),
  };
}

export const userKeyPair = (publicKey: string, privateKey: Buffer): KeyPair => ({ publicKey: unb64(publicKey), privateKey });

// Organisation keys

/** Encodes the 32-byte recovery private key for people: 13 groups of four characters. */
const encodeRecoveryKey = (key: Buffer): string => {
  let bits = BigInt(`0x${key.toString('hex')}`);
  const chars: string[] = [];
  for (let i = 0; i < 52; i++) {
    chars.push('0123456789ABCDEFGHJKMNPQRSTVWXYZ'[Number(bits & 31n)]!);
    bits >>= 5n;
  }
  return chars.join('').replace(/(.{4})(?=.)/g, '$1-');
};

const decodeRecoveryKey = (text: string): Buffer | null => {
  const clean = normalizeCode(text).replace(/-/g, '');
  if (!/^[0-9A-Z]{52}$/.test(clean)) return null;
  let bits = 0n;
  for (let i = clean.length - 1; i >= 0; i--) {
    const v = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.indexOf(clean[i]!);
    if (v < 0) return null;
    bits = (bits << 5n) | BigInt(v);
  }
  if (bits >> 256n) return null;
  return Buffer.from(bits.toString(16).padStart(64, '0'), 'hex');
};

/** Creates the first key version of a new organisation; returns the recovery key to show once. */
export async function createOrganisationKeys(db: Kysely<DB>, organisationId: number, recoveryPublicKey: Buffer): Promise<void> {
  const pair = generateKeyPair();
  const keyId = await repo.insertOrganisationKey(db, organisationId, b64(pair.publicKey), nowIso());
  await repo.insertGrant(db, { key_id: keyId, kind: 'recovery', user_id: null, sealed_private_key: b64(seal(pair.privateKey, recoveryPublicKey)) });
}

export function newRecoveryKey(): { publicKey: Buffer; text: string } {
  const pair = generateKeyPair();
  return { publicKey: pair.publicKey, text: encodeRecoveryKey(pair.privateKey) };
}

export interface OrganisationKey { keyId: number; retired: boolean; pair: KeyPair }

/** The organisation's key versions a member can open with their unlocked user key. */
export async function openOrganisationKeys(db: Kysely<DB>, organisationId: number, member: { userId: number; keys: KeyPair }): Promise<OrganisationKey[]> {
  const grants = await repo.grantsFor(db, organisationId, { userId: member.userId });
  return grants.map((g) => ({
    keyId: g.key_id,
    retired: g.retired_at !== null,
    pair: { publicKey: unb64(g.public_key), privateKey: openSealed(unb64(g.sealed_private_key), member.keys) },
  }));
}

/** Opens every key version with the organisation recovery key; null if the key is wrong. */
export async function openWithRecoveryKey(db: Kysely<DB>, organisationId: number, recoveryKeyText: string): Promise<OrganisationKey[] | null> {
  const org = await repo.findOrganisation(db, { id: organisationId });
  const privateKey = decodeRecoveryKey(recoveryKeyText);
  if (!org || !privateKey) return null;
  const recovery = { publicKey: unb64(org.recovery_public_key), privateKey };
  try {
    const grants = await repo.grantsFor(db, organisationId, 'recovery');
    return grants.map((g) => ({ keyId: g.key_id, retired: g.retired_at !== null, pair: { publicKey: unb64(g.public_key), privateKey: openSealed(unb64(g.sealed_private_key), recovery) } }));
  } catch {
    return null;
  }
}

/** Seals opened key versions to a member who does not hold them yet. */
export async function grantToMember(db: Kysely<DB>, keys: OrganisationKey[], member: { userId: number; publicKey: string }): Promise<number> {
  const held = new Set(await repo.grantedKeyIds(db, member.userId));
  let granted = 0;
  for (const k of keys) {
    if (held.has(k.keyId)) continue;
    await repo.insertGrant(db, { key_id: k.keyId, kind: 'member', user_id: member.userId, sealed_private_key: b64(seal(k.pair.privateKey, unb64(member.publicKey))) });
    granted++;
  }
  return granted;
}

/**
 * When a member leaves: a new key version for new reports, sealed to the remaining members and the
 * recovery key (public keys suffice, so no one's secret is needed); the leaver's grants are removed.
 * Reports sealed before stay readable by the remaining members through the older versions.
 */
export async function rotateOnLeave(db: Kysely<DB>, organisationId: number, leavingUserId: number): Promise<number> {
  const org = await repo.findOrganisation(db, { id: organisationId });
  if (!org) throw new Error(`no organisation ${organisationId}`);
  const now = nowIso();
  await repo.retireOrganisationKeys(db, organisationId, now);
  const pair = generateKeyPair();
  const keyId = await repo.insertOrganisationKey(db, organisationId, b64(pair.publicKey), now);
  await repo.insertGrant(db, { key_id: keyId, kind: 'recovery', user_id: null, sealed_private_key: b64(seal(pair.privateKey, unb64(org.recovery_public_key))) });
  for (const m of await repo.keyHoldingMembers(db, organisationId, leavingUserId)) {
    await repo.insertGrant(db, { key_id: keyId, kind: 'member', user_id: m.id, sealed_private_key: b64(seal(pair.privateKey, unb64(m.public_key))) });
  }
  await repo.deleteMemberGrants(db, leavingUserId);
  return keyId;
}

/** The public key that new reports to this organisation are sealed to. */
export async function currentPublicKey(db: Kysely<DB>, organisationId: number): Promise<{ keyId: number; publicKey: Buffer }> {
  const k = await repo.activeOrganisationKey(db, organisationId);
  if (!k) throw new Error(`organisation ${organisationId} has no active key`);
  return { keyId: k.id, publicKey: unb64(k.public_key) };
}
