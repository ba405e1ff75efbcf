import { describe, expect, it } from 'vitest';
import {
  addMonths, daysRemaining, dueDate, dueInstant, FIXED_HOLIDAYS, HolidayCalendar, isDay, localDay, type MovableHoliday, utcOffsetMs, workingDaysBetween,
} from './calendar.js';

// Written out here rather than read from holidays.json, so these tests pin the arithmetic alone.
const eids2026: MovableHoliday[] = ['2026-03-20', '2026-03-21', '2026-05-27', '2026-05-28', '2026-06-17', '2026-08-26', '2026-08-27']
  .map((day) => ({ day, provisional: true }));
const calendar = new HolidayCalendar(eids2026);
const none = new HolidayCalendar([], { fixed: [] });

const wd = (amount: number) => ({ amount, unit: 'working_days' as const });
const cd = (amount: number) => ({ amount, unit: 'calendar_days' as const });
const mo = (amount: number) => ({ amount, unit: 'months' as const });

describe('working days', () => {
  it('skip Green March (Fri 6 Nov 2026) and the weekend', () => {
    // Wed 4 -> Thu 5 (1), Fri 6 holiday, Mon 9 … Fri 13 (2–6), Mon 16 (7).
    expect(dueDate('2026-11-04', wd(7), calendar)).toBe('2026-11-16');
    expect(dueDate('2026-11-04', wd(7), none)).toBe('2026-11-13');
  });

  it('skip both Green March and Independence Day (Wed 18 Nov 2026)', () => {
    // Seven working days lie between the two holidays, so it takes ten to span both.
    expect(dueDate('2026-11-04', wd(10), calendar)).toBe('2026-11-20');
    expect(dueDate('2026-11-04', wd(10), none)).toBe('2026-11-18');
    expect(workingDaysBetween('2026-11-04', '2026-11-20', calendar)).toBe(10);
  });

  it('skip Eid al-Fitr and Eid al-Adha from the movable list', () => {
    // Fitr Fri 20 and Sat 21 Mar 2026: Thu 19 (1), Mon 23 … Thu 26 (2–5).
    expect(dueDate('2026-03-18', wd(5), calendar)).toBe('2026-03-26');
    expect(dueDate('2026-03-18', wd(5), new HolidayCalendar())).toBe('2026-03-25');
    // Adha Wed 27 and Thu 28 May 2026: Fri 29 (1), Mon 1 Jun (2), Tue 2 Jun (3).
    expect(dueDate('2026-05-26', wd(3), calendar)).toBe('2026-06-02');
  });

  it('start counting on the next working day, whatever the start day', () => {
    expect(dueDate('2026-01-03', wd(1), calendar)).toBe('2026-01-05'); // Saturday -> Monday
    expect(dueDate('2025-12-31', wd(3), calendar)).toBe('2026-01-06'); // Thu 1 Jan is a holiday
    expect(dueDate('2026-11-04', wd(0), calendar)).toBe('2026-11-04');
  });

  it('count backwards as negative numbers and the same day as zero', () => {
    expect(workingDaysBetween('2026-11-20', '2026-11-04', calendar)).toBe(-10);
    expect(workingDaysBetween('2026-11-20', '2026-11-20', calendar)).toBe(0);
    expect(workingDaysBetween('2026-11-20', '2026-11-23', calendar)).toBe(1); // Fri -> Mon
  });
});

describe('calendar days and months', () => {
  it('end on a weekend or holiday without moving', () => {
    expect(dueDate('2026-10-28', cd(10), calendar)).toBe('2026-11-07'); // a Saturday
    expect(dueDate('2026-10-27', cd(10), calendar)).toBe('2026-11-06'); // Green March
    expect(dueDate('2026-12-25', cd(10), calendar)).toBe('2027-01-04');
  });

  it('clamp to the end of shorter months', () => {
    expect(dueDate('2026-01-31', mo(1), calendar)).toBe('2026-02-28');
    expect(dueDate('2028-01-31', mo(1), calendar)).toBe('2028-02-29'); // leap year
    expect(dueDate('2026-03-31', mo(3), calendar)).toBe('2026-06-30');
    expect(dueDate('2027-11-30', mo(3), calendar)).toBe('2028-02-29');
    expect(dueDate('2026-12-15', mo(3), calendar)).toBe('2027-03-15');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
  });

  it('refuse impossible days and amounts', () => {
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('0026-03-20')).toBe(false);
    expect(() => dueDate('2026-02-30', cd(1), calendar)).toThrow(RangeError);
    expect(() => dueDate('2026-2-3', cd(1), calendar)).toThrow(RangeError);
    expect(() => dueDate('2026-02-03', cd(-1), calendar)).toThrow(RangeError);
    expect(() => dueDate('2026-02-03', wd(1.5), calendar)).toThrow(RangeError);
    expect(() => dueDate('2026-02-03', { amount: 1, unit: 'weeks' as never }, calendar)).toThrow(RangeError);
  });
});

describe('holidays', () => {
  it('include Yennayer from 2024 and Unity Day from 2026 only', () => {
    expect(calendar.isHoliday('2023-01-14')).toBe(false);
    expect(calendar.isHoliday('2024-01-14')).toBe(true);
    expect(calendar.isHoliday('2025-10-31')).toBe(false);
    expect(calendar.isWorkingDay('2025-10-31')).toBe(true);
    expect(calendar.isHoliday('2026-10-31')).toBe(true);
  });

  it('list every built-in fixed holiday of a year', () => {
    expect(calendar.between('2026-01-01', '2026-12-31').filter((h) => h.kind === 'fixed').map((h) => h.day)).toEqual([
      '2026-01-01', '2026-01-11', '2026-01-14', '2026-05-01', '2026-07-30', '2026-08-14', '2026-08-20', '2026-08-21', '2026-10-31', '2026-11-06', '2026-11-18',
    ]);
    expect(FIXED_HOLIDAYS).toHaveLength(11);
  });

  it('report both holidays when Mawlid falls on a fixed one', () => {
    const c = new HolidayCalendar([{ day: '2027-08-14', provisional: true }]);
    expect(c.holidaysOn('2027-08-14').map((h) => h.kind)).toEqual(['fixed', 'movable']);
    expect(c.between('2027-08-13', '2027-08-16')).toHaveLength(2); // Sat 14 (both), Sun 15 none, Mon 16 none
  });

  it('say which days had their movable holidays loaded', () => {
    const c = new HolidayCalendar([], { range: { from: '2026-01-01', to: '2027-12-31' } });
    expect(c.covers('2027-12-31')).toBe(true);
    expect(c.covers('2028-01-01')).toBe(false);
    expect(new HolidayCalendar().covers('2099-01-01')).toBe(true);
  });
});

// The switches to and from Ramadan time, read from the tz database through Intl rather than assumed.
function offsetSwitches(fromYear: number, toYear: number): { at: string; to: string }[] {
  const f = new Intl.DateTimeFormat('en-US', { timeZone: 'Africa/Casablanca', timeZoneName: 'longOffset' });
  // Some ICU versions write a zero offset as plain "GMT".
  const offset = (t: number) => f.formatToParts(new Date(t)).find((p) => p.type === 'timeZoneName')!.value.replace(/^GMT$/, 'GMT+00:00');
  const out: { at: string; to: string }[] = [];
  let previous = offset(Date.UTC(fromYear, 0, 1));
  for (let t = Date.UTC(fromYear, 0, 1); t < Date.UTC(toYear + 1, 0, 1); t += 3_600_000) {
    const o = offset(t);
    if (o !== previous) out.push({ at: new Date(t).toISOString(), to: o });
    previous = o;
  }
  return out;
}

describe('Casablanca time around Ramadan', () => {
  const switches = offsetSwitches(2026, 2027);

  it('the tz database moves Morocco to UTC+0 for Ramadan and back, in 2026 and 2027', () => {
    expect(switches).toEqual([
      { at: '2026-02-15T02:00:00.000Z', to: 'GMT+00:00' },
      { at: '2026-03-22T02:00:00.000Z', to: 'GMT+01:00' },
      { at: '2027-02-07T02:00:00.000Z', to: 'GMT+00:00' },
      { at: '2027-03-14T02:00:00.000Z', to: 'GMT+01:00' },
    ]);
  });

  it('utcOffsetMs follows the switches', () => {
    for (const s of switches) {
      const at = Date.parse(s.at);
      const after = s.to === 'GMT+00:00' ? 0 : 3_600_000;
      expect(utcOffsetMs(new Date(at))).toBe(after);
      expect(utcOffsetMs(new Date(at - 1))).toBe(3_600_000 - after);
    }
  });

  it('gives the local day of instants near midnight UTC on either side of each switch', () => {
    // Before the switch to Ramadan time, 23:30 UTC is already 00:30 the next day in Casablanca.
    expect(localDay(new Date('2026-02-13T23:30:00Z'))).toBe('2026-02-14');
    expect(localDay(new Date('2026-02-14T23:30:00Z'))).toBe('2026-02-15');
    expect(localDay(new Date('2026-02-15T23:30:00Z'))).toBe('2026-02-15');
    expect(localDay(new Date('2026-03-21T23:30:00Z'))).toBe('2026-03-21');
    expect(localDay(new Date('2026-03-22T23:30:00Z'))).toBe('2026-03-23');
    expect(localDay(new Date('2027-02-06T23:30:00Z'))).toBe('2027-02-07');
    expect(localDay(new Date('2027-02-07T23:30:00Z'))).toBe('2027-02-07');
    expect(localDay(new Date('2027-03-13T23:30:00Z'))).toBe('2027-03-13');
    expect(localDay(new Date('2027-03-14T23:30:00Z'))).toBe('2027-03-15');
  });

  it('ends a due day at 23:59:59.999 local, before and during Ramadan time', () => {
    expect(dueInstant('2026-02-14').toISOString()).toBe('2026-02-14T22:59:59.999Z');
    expect(dueInstant('2026-02-15').toISOString()).toBe('2026-02-15T23:59:59.999Z');
    expect(dueInstant('2026-03-21').toISOString()).toBe('2026-03-21T23:59:59.999Z');
    expect(dueInstant('2026-03-22').toISOString()).toBe('2026-03-22T22:59:59.999Z');
    expect(dueInstant('2027-02-06').toISOString()).toBe('2027-02-06T22:59:59.999Z');
    expect(dueInstant('2027-02-07').toISOString()).toBe('2027-02-07T23:59:59.999Z');
    expect(dueInstant('2027-03-13').toISOString()).toBe('2027-03-13T23:59:59.999Z');
    expect(dueInstant('2027-03-14').toISOString()).toBe('2027-03-14T22:59:59.999Z');
  });

  it('the due instant is the last millisecond of the day, every day of 2026 and 2027', () => {
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2028, 0, 1); t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      const end = dueInstant(day).getTime();
      expect(localDay(new Date(end))).toBe(day);
      expect(localDay(new Date(end + 1))).not.toBe(day);
    }
  });

  it('refuses an invalid instant', () => {
    expect(() => localDay(new Date('nope'))).toThrow(RangeError);
  });
});

describe('days remaining', () => {
  // Due Fri 20 Nov 2026, with Independence Day on Wed 18.
  const due = '2026-11-20';

  it('counts working days left after today, 0 on the due day', () => {
    expect(daysRemaining(new Date('2026-11-16T10:00:00Z'), due, calendar)).toBe(3); // Tue, Thu, Fri
    expect(daysRemaining(new Date('2026-11-19T10:00:00Z'), due, calendar)).toBe(1);
    expect(daysRemaining(new Date('2026-11-20T10:00:00Z'), due, calendar)).toBe(0);
    expect(daysRemaining(new Date('2026-11-16T10:00:00Z'), due, calendar, { count: 'calendar_days' })).toBe(4);
  });

  it('is negative once the due day has ended in Casablanca', () => {
    expect(daysRemaining(new Date('2026-11-20T22:59:59.999Z'), due, calendar)).toBe(0);
    expect(daysRemaining(new Date('2026-11-20T23:00:00Z'), due, calendar)).toBe(-1); // 00:00 on Saturday local
    expect(daysRemaining(new Date('2026-11-22T10:00:00Z'), due, calendar)).toBe(-1); // Sunday: late already
    expect(daysRemaining(new Date('2026-11-23T10:00:00Z'), due, calendar)).toBe(-1);
    expect(daysRemaining(new Date('2026-11-24T10:00:00Z'), due, calendar)).toBe(-2);
    expect(daysRemaining(new Date('2026-11-23T10:00:00Z'), due, calendar, { count: 'calendar_days' })).toBe(-3);
  });

  it('uses Ramadan time for the day boundary during Ramadan', () => {
    // UTC+0 on 2 Mar 2026: 23:30 UTC is still the due day; an hour-off clock would say overdue.
    expect(daysRemaining(new Date('2026-03-02T23:30:00Z'), '2026-03-02', calendar)).toBe(0);
    expect(daysRemaining(new Date('2026-03-03T00:00:00Z'), '2026-03-02', calendar)).toBe(-1);
  });
});
