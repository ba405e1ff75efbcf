import { deriveKey } from '../../src/secrets.js';
import type { Database } from '../../src/db/index.js';
import { hotp, stepAt } from '../../src/modules/identity/totp.js';
import * as identity from '../../src/modules/identity/service.js';
import type { Role } from '../../src/modules/identity/roles.js';

export const identityContext = (database: Database): identity.IdentityContext => {
  const root = Buffer.alloc(32, 7);
  return { database, totpKey: deriveKey(root, 'totp'), throttleKey: deriveKey(root, 'sign-in-throttle') };
};

export const currentCode = (secret: Buffer, offsetSteps = 0): string => hotp(secret, stepAt(Date.now()) + offsetSteps);

let counter = 0;
/** Builds an active user with known password and TOTP secret (the activation journey, done in code). */
export async function buildUser(ctx: identity.IdentityContext, overrides: { roles?: Role[]; organisationId?: number | null; email?: string; password?: string } = {}) {
  counter++;
  const email = overrides.email ?? `user${counter}-${Date.now()}@example.org`;
  const password = overrides.password ?? `a long passphrase number ${counter}`;
  const { userId, activationToken } = await identity.createUser(ctx, {
    email, displayName: `User ${counter}`, roles: overrides.roles ?? ['platform-admin'], organisationId: overrides.organisationId ?? null, locale: 'fr',
  }, { actor: 'cli' });
  const totpSecret = identity.newTotpSecret();
  // A code from the previous step, so a sign-in right after can use the current one.
  const result = await identity.activate(ctx, { token: activationToken, password, confirm: password, totpSecret, code: currentCode(totpSecret, -1) });
  if (!result.ok) throw new Error(`activation failed: ${JSON.stringify(result.errors)}`);
  return { userId, email, password, totpSecret, recoveryCodes: result.recoveryCodes };
}
