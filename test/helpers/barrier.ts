// A barrier in the database for the exactly-once tests: each worker process records that it is up,
// and none starts working until `count` have, however slowly a loaded machine starts them.
import { type Kysely, sql } from 'kysely';

export async function barrier(db: Kysely<any>, table: string, name: string, count = 2, timeoutMs = 60_000): Promise<void> {
  await sql`insert into ${sql.table(table)} (worker) values (${name})`.execute(db);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
    if (Number(rows[0]!.n) >= count) return;
    if (Date.now() > deadline) throw new Error('the other worker never started');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
