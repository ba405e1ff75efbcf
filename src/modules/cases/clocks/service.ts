// The holiday calendar behind legal clocks: fixed holidays come with the code, movable (Islamic)
// ones from the movable_holidays table, which administrators correct when the Ministry of Habous
// announces each date. Changes are audited: they move every deadline that spans the day.
import fs from 'node:fs';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type Database, nowIso, writeTransaction } from '../../../db/index.js';
import type { DB } from '../../../db/schema.js';
import { AppError, fieldErrorsFromZod } from '../../../errors.js';
import { projectPath } from '../../../paths.js';
import { appendAudit } from '../../audit/service.js';
import { HolidayCalendar, type HolidayNames, isDay, type MovableHoliday } from './calendar.js';
import * as repo from './repository.js';

// Years outside this span are typing mistakes (0226, 2206), not holidays anyone will need.
const day = z.string().refine((d) => isDay(d) && d >= '1970-01-01' && d <= '2099-12-31', { message: 'a calendar day YYYY-MM-DD between 1970 and 2099' });
const name = z.string().trim().min(1).max(200);

export const holidayInput = z.object({
  day,
  name: z.object({ ar: name, fr: name, en: name, zgh: name.nullable().default(null) }),
  /** Still an expectation, not the announced date. */
  provisional: z.boolean().default(false),
});
export type HolidayInput = z.input<typeof holidayInput>;

const referenceFile = z.object({
  fixed: z.array(z.object({ id: z.string(), month: z.number().int(), day: z.number().int(), since: z.number().int().optional(), name: z.object({ ar: z.string(), fr: z.string(), en: z.string(), zgh: z.string().nullable() }) })),
  movable: z.array(holidayInput.extend({ holiday: z.string() })),
});
export type HolidayReference = z.infer<typeof referenceFile>;

let reference: HolidayReference | undefined;
/** data/reference/holidays.json, checked against its schema, read once. */
export function holidayReference(): HolidayReference {
  reference ??= referenceFile.parse(JSON.parse(fs.readFileSync(projectPath('data', 'reference', 'holidays.json'), 'utf8')));
  return reference;
}

const fixedNames = (): Record<string, HolidayNames> => Object.fromEntries(holidayReference().fixed.map((f) => [f.id, f.name]));

const toMovable = (r: repo.MovableHolidayRow): MovableHoliday => ({
  day: r.day,
  names: { ar: r.name_ar, fr: r.name_fr, en: r.name_en, zgh: r.name_zgh },
  provisional: r.provisional === 1,
});

/** The holidays of years `fromYear` to `toYear`; deadlines beyond them see only fixed holidays (see covers()). */
export async function loadCalendar(db: Kysely<DB>, fromYear: number, toYear: number): Promise<HolidayCalendar> {
  if (!Number.isInteger(fromYear) || !Number.isInteger(toYear) || fromYear > toYear || fromYear < 1970 || toYear > 2099) {
    throw new RangeError(`years must be whole, in order, within 1970–2099: ${fromYear}–${toYear}`);
  }
  const range = { from: `${fromYear}-01-01`, to: `${toYear}-12-31` };
  const rows = await repo.listHolidays(db, range.from, range.to);
  return new HolidayCalendar(rows.map(toMovable), { fixedNames: fixedNames(), range });
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  // reportInput lets errors.ts tell a missing field (required) from a wrong one (invalid).
  const r = schema.safeParse(input, { reportInput: true });
  if (!r.success) throw new AppError('validation_failed', { fields: fieldErrorsFromZod(r.error.issues), message: r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') });
  return r.data;
}

/** Sets (or corrects) the movable holiday of a day, e.g. once the ministry announces Eid. */
export async function setHoliday(database: Database, input: unknown, actor: string): Promise<MovableHoliday> {
  const h = parse(holidayInput, input);
  const row = { day: h.day, name_ar: h.name.ar, name_fr: h.name.fr, name_en: h.name.en, name_zgh: h.name.zgh, provisional: h.provisional ? 1 : 0, updated_at: nowIso() };
  await writeTransaction(database, async (trx) => {
    await repo.upsertHoliday(trx, row);
    await appendAudit(trx, database.dialect, { actor, action: 'holiday.set', target: `holiday:${h.day}`, details: { provisional: h.provisional } });
  });
  return toMovable(row);
}

/** Removes the movable holiday of a day (a projected date that turned out wrong). */
export async function removeHoliday(database: Database, dayInput: unknown, actor: string): Promise<void> {
  const d = parse(z.object({ day }), { day: dayInput }).day;
  await writeTransaction(database, async (trx) => {
    if (!(await repo.deleteHoliday(trx, d))) throw new AppError('not_found', { message: `no movable holiday on ${d}` });
    await appendAudit(trx, database.dialect, { actor, action: 'holiday.removed', target: `holiday:${d}` });
  });
}

/** Loads the expected movable holidays shipped in data/reference; days already set are kept. */
export async function seedMovableHolidays(trx: Kysely<DB>): Promise<{ summary: { holidays: number } }> {
  let loaded = 0;
  for (const h of holidayReference().movable) {
    const inserted = await repo.insertHolidayIfAbsent(trx, {
      day: h.day, name_ar: h.name.ar, name_fr: h.name.fr, name_en: h.name.en, name_zgh: h.name.zgh, provisional: h.provisional ? 1 : 0, updated_at: nowIso(),
    });
    if (inserted) loaded++;
  }
  return { summary: { holidays: loaded } };
}

/** Movable holidays of these years, for the back office. */
export async function listMovableHolidays(db: Kysely<DB>, fromYear: number, toYear: number): Promise<MovableHoliday[]> {
  return (await repo.listHolidays(db, `${fromYear}-01-01`, `${toYear}-12-31`)).map(toMovable);
}
