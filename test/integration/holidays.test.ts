// The holiday table behind legal clocks, on a real database: seeded once from data/reference,
// corrected by administrators when the ministry announces a date, and read back as a calendar.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/index.js';
import { runSeeds } from '../../src/db/seed.js';
import { AppError } from '../../src/errors.js';
import { dueDate, FIXED_HOLIDAYS } from '../../src/modules/cases/clocks/calendar.js';
import * as repo from '../../src/modules/cases/clocks/repository.js';
import { holidayReference, loadCalendar, removeHoliday, setHoliday } from '../../src/modules/cases/clocks/service.js';
import { createReadyDatabase, type TestDatabase } from '../helpers/db.js';

let test: TestDatabase;
let database: Database;
beforeAll(async () => {
  ({ test, database } = await createReadyDatabase());
});
afterAll(() => test.cleanup());

const allRows = () => repo.listHolidays(database.db, '1970-01-01', '2099-12-31');
const auditActions = async () => (await database.db.selectFrom('audit_log').select(['action', 'target']).where('action', 'like', 'holiday.%').orderBy('seq').execute());

async function appError(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const fitr = { ar: 'عيد الفطر', fr: 'Aïd Al-Fitr', en: 'Eid al-Fitr' };

describe('reference data', () => {
  it('names the same fixed holidays as the code', () => {
    expect(holidayReference().fixed.map(({ id, month, day, since }) => ({ id, month, day, ...(since ? { since } : {}) }))).toEqual(FIXED_HOLIDAYS);
  });

  it('the first start loaded the expected Islamic holidays of 2026 and 2027, all provisional', async () => {
    const rows = await allRows();
    expect(rows.map((r) => r.day)).toEqual([
      '2026-03-20', '2026-03-21', '2026-05-27', '2026-05-28', '2026-06-17', '2026-08-26', '2026-08-27',
      '2027-03-10', '2027-03-11', '2027-05-17', '2027-05-18', '2027-06-06', '2027-08-15', '2027-08-16',
    ]);
    expect(rows.every((r) => r.provisional === 1)).toBe(true);
    expect(rows[0]).toMatchObject({ name_ar: 'عيد الفطر (اليوم الأول)', name_fr: 'Aïd Al-Fitr (1er jour)', name_en: 'Eid al-Fitr (day 1)' });
  });

  it('a second start loads nothing again', async () => {
    expect(await runSeeds(database)).toEqual([]);
    expect(await allRows()).toHaveLength(14);
  });
});

describe('the calendar', () => {
  it('includes fixed and movable holidays of the years asked for', async () => {
    const c = await loadCalendar(database.db, 2026, 2026);
    expect(c.holidaysOn('2026-03-20')).toEqual([{ day: '2026-03-20', kind: 'movable', provisional: true, names: { ar: 'عيد الفطر (اليوم الأول)', fr: 'Aïd Al-Fitr (1er jour)', en: 'Eid al-Fitr (day 1)', zgh: 'Aïd Al-Fitr (1er jour)' } }]);
    expect(c.holidaysOn('2026-11-18')).toEqual([{ day: '2026-11-18', kind: 'fixed', id: 'independence-day', provisional: false, names: expect.objectContaining({ fr: "Fête de l'Indépendance", ar: 'عيد الاستقلال' }) }]);
    // Wed 18 Mar 2026 + 5 working days, across Eid al-Fitr (Fri 20, Sat 21).
    expect(dueDate('2026-03-18', { amount: 5, unit: 'working_days' }, c)).toBe('2026-03-26');
    // 2027 was not loaded: its Eid is unknown to this calendar, and it says so.
    expect(c.covers('2027-03-10')).toBe(false);
    expect(c.isHoliday('2027-03-10')).toBe(false);
  });

  it('refuses a year range that makes no sense', async () => {
    await expect(loadCalendar(database.db, 2027, 2026)).rejects.toThrow(RangeError);
    await expect(loadCalendar(database.db, 2026.5, 2027)).rejects.toThrow(RangeError);
  });
});

describe('administrators correct the dates', () => {
  it('confirm an announced date, which is then no longer provisional', async () => {
    const h = await setHoliday(database, { day: '2027-03-10', name: { ...fitr, zgh: null }, provisional: false }, 'user:1');
    expect(h).toEqual({ day: '2027-03-10', names: { ...fitr, zgh: null }, provisional: false });
    const rows = (await allRows()).filter((r) => r.day === '2027-03-10');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name_fr: 'Aïd Al-Fitr', name_zgh: null, provisional: 0 });
  });

  it('move a deadline by removing a projected day and adding the announced one', async () => {
    const rule = { amount: 2, unit: 'working_days' as const };
    // Mon 8 Mar 2027 + 2 working days, with Eid on Wed 10 and Thu 11: Tue 9, Fri 12.
    expect(dueDate('2027-03-08', rule, await loadCalendar(database.db, 2027, 2027))).toBe('2027-03-12');
    await removeHoliday(database, '2027-03-11', 'user:1');
    expect(dueDate('2027-03-08', rule, await loadCalendar(database.db, 2027, 2027))).toBe('2027-03-11');
    await setHoliday(database, { day: '2027-03-09', name: fitr }, 'user:1'); // provisional defaults to false
    expect(dueDate('2027-03-08', rule, await loadCalendar(database.db, 2027, 2027))).toBe('2027-03-12');
    expect((await allRows()).find((r) => r.day === '2027-03-09')).toMatchObject({ provisional: 0, name_zgh: null });
  });

  it('every change is in the audit log', async () => {
    expect(await auditActions()).toEqual([
      { action: 'holiday.set', target: 'holiday:2027-03-10' },
      { action: 'holiday.removed', target: 'holiday:2027-03-11' },
      { action: 'holiday.set', target: 'holiday:2027-03-09' },
    ]);
  });

  it('refuse an impossible or malformed day, naming the field, and change nothing', async () => {
    const before = await allRows();
    const bad = await appError(setHoliday(database, { day: '2027-02-30', name: fitr }, 'user:1'));
    expect(bad.code).toBe('validation_failed');
    expect(bad.fields).toEqual([{ field: 'day', messageKey: 'validation.invalid' }]);
    for (const day of ['10/03/2027', '0227-03-10', '', 20270310]) {
      expect((await appError(setHoliday(database, { day, name: fitr }, 'user:1'))).fields.map((f) => f.field)).toEqual(['day']);
    }
    expect(await allRows()).toEqual(before);
  });

  it('refuse missing, blank or overlong names and a provisional flag that is not a boolean', async () => {
    const err = await appError(setHoliday(database, { day: '2027-03-12', name: { ar: '  ', en: 'x'.repeat(201) }, provisional: 'yes' }, 'user:1'));
    expect(err.code).toBe('validation_failed');
    expect(err.fields).toEqual([
      { field: 'name.ar', messageKey: 'validation.required' },
      { field: 'name.fr', messageKey: 'validation.required' },
      { field: 'name.en', messageKey: 'validation.too_long', values: { max: 200 } },
      { field: 'provisional', messageKey: 'validation.invalid' },
    ]);
    expect((await allRows()).some((r) => r.day === '2027-03-12')).toBe(false);
  });

  it('removing a day without a holiday is not found; a malformed one is invalid', async () => {
    expect((await appError(removeHoliday(database, '2027-03-12', 'user:1'))).code).toBe('not_found');
    expect((await appError(removeHoliday(database, '2027-13-01', 'user:1'))).code).toBe('validation_failed');
    expect(await auditActions()).toHaveLength(3);
  });

  it('a forced reseed restores projected days but keeps corrected ones', async () => {
    await runSeeds(database, { force: true });
    const rows = await allRows();
    expect(rows.find((r) => r.day === '2027-03-10')).toMatchObject({ provisional: 0, name_fr: 'Aïd Al-Fitr' });
    expect(rows.find((r) => r.day === '2027-03-11')).toMatchObject({ provisional: 1 });
    expect(rows.find((r) => r.day === '2027-03-09')).toMatchObject({ provisional: 0 });
  });
});
