import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/index.js';
import { createReadyDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { HitCounter } from './rate-counter.js';

let test: TestDatabase;
let database: Database;
beforeAll(async () => {
  ({ test, database } = await createReadyDatabase());
});
afterAll(() => test.cleanup());

const stored = async (key: string) =>
  Number((await database.db.selectFrom('rate_limits').select('hits').where('key', '=', key).executeTakeFirst())?.hits ?? 0);
// A flush interval far beyond the test: flushes happen only when the test asks.
const counter = (max: number) => new HitCounter({ db: database.db, max, windowMs: 60_000, flushMs: 3_600_000 });

describe('rate-limit hit counter', () => {
  it('writes every hit at once under a small limit', async () => {
    const c = counter(10);
    for (let i = 1; i <= 3; i++) expect((await c.hit('small')).current).toBe(i);
    expect(await stored('small')).toBe(3);
    await c.close();
  });

  it('batches hits below half a large limit and loses none on flush', async () => {
    const c = counter(1000);
    const seen: number[] = [];
    for (let i = 0; i < 50; i++) seen.push((await c.hit('batched')).current);
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // Only the first hit of the window reached the database so far.
    expect(await stored('batched')).toBe(1);
    await c.flush();
    expect(await stored('batched')).toBe(50);
    await c.close();
  });

  it('counts exactly past half the limit, so a single node refuses the request over the limit', async () => {
    const c = counter(200);
    let current = 0;
    for (let i = 0; i < 201; i++) current = (await c.hit('limit')).current;
    expect(current).toBe(201);
    expect(await stored('limit')).toBe(201);
    await c.close();
  });

  it('shares counts between nodes: each sees the others once they write', async () => {
    const a = counter(1000);
    const b = counter(1000);
    for (let i = 0; i < 30; i++) await a.hit('shared');
    for (let i = 0; i < 20; i++) await b.hit('shared');
    await a.flush();
    await b.flush();
    expect(await stored('shared')).toBe(50);
    // A's next flush learns B's hits.
    await a.hit('shared');
    await a.flush();
    expect((await a.hit('shared')).current).toBe(52);
    await a.close();
    await b.close();
    expect(await stored('shared')).toBe(52);
  });

  it('starts a new window when the old one ends, forgetting its unflushed hits', async () => {
    const c = counter(1000);
    const t0 = Date.now();
    for (let i = 0; i < 5; i++) await c.hit('window', t0);
    const next = await c.hit('window', t0 + 61_000);
    expect(next.current).toBe(1);
    expect(next.resetAt).toBe(t0 + 61_000 + 60_000);
    await c.close();
  });
});
