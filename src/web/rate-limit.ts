// Rate limiting whose state lives in the database, so limits hold across app nodes. The client is
// identified by an HMAC of its address under a secret that changes every day and is deleted after
// the window: no raw address is stored, and yesterday's keys cannot be linked to an address later.
import crypto from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { AppError } from '../errors.js';
import { HitCounter } from './rate-counter.js';
import * as repo from './rate-limit-repository.js';

type Callback = (err: Error | null, res?: { current: number; ttl: number }) => void;

export function clientKeyer(db: Kysely<DB>) {
  let cached: { day: string; secret: Buffer } | undefined;
  return async (address: string): Promise<string> => {
    const day = new Date().toISOString().slice(0, 10);
    if (cached?.day !== day) {
      const secret = await repo.daySecret(db, day, crypto.randomBytes(32).toString('hex'));
      cached = { day, secret: Buffer.from(secret, 'hex') };
    }
    return crypto.createHmac('sha256', cached.secret).update(address).digest('base64url').slice(0, 32);
  };
}

export async function registerRateLimit(app: FastifyInstance, opts: { db: Kysely<DB>; max: number; windowSeconds: number }): Promise<void> {
  const { db } = opts;
  const counter = new HitCounter({
    db,
    max: opts.max,
    windowMs: opts.windowSeconds * 1000,
    onError: (err) => app.log.error({ err }, 'rate-limit counts could not be written'),
  });
  app.addHook('onClose', async () => counter.close());
  class DbStore {
    incr(key: string, cb: Callback) {
      counter.hit(key).then(
        ({ current, resetAt }) => cb(null, { current, ttl: Math.max(0, resetAt - Date.now()) }),
        (err: Error) => cb(err),
      );
    }
    child() {
      return this;
    }
  }
  const keyOf = clientKeyer(db);
  await app.register(rateLimit, {
    global: true,
    max: opts.max,
    timeWindow: opts.windowSeconds * 1000,
    store: DbStore as never,
    keyGenerator: (request: FastifyRequest) => keyOf(request.ip),
    errorResponseBuilder: (_req, ctx) => new AppError('rate_limited', { message: `limit ${ctx.max} per ${ctx.after}` }),
  });
}
