// Legal clocks: the day a deadline falls due, and when that day ends, in Morocco's legal time.
// Pure functions, no I/O: the movable holidays come in as data (see service.ts, loadCalendar).
//
// Days are 'YYYY-MM-DD' strings naming a calendar day in Africa/Casablanca. Day arithmetic is done on
// the proleptic Gregorian calendar through UTC dates, which have no offset changes; the time zone
// matters only when a day meets an instant (localDay, dueInstant, daysRemaining).

export const TIME_ZONE = 'Africa/Casablanca';

export type DeadlineUnit = 'calendar_days' | 'working_days' | 'months';

/** A legal time limit, e.g. { amount: 3, unit: 'months' } for "feedback within three months". */
export interface DeadlineRule {
  amount: number;
  unit: DeadlineUnit;
}

export interface HolidayNames {
  ar: string;
  fr: string;
  en: string;
  zgh: string | null;
}

/** A public holiday on a fixed Gregorian date, every year from `since` (inclusive) if given. */
export interface FixedHoliday {
  id: string;
  month: number;
  day: number;
  since?: number;
}

/** A holiday on one given day: the Islamic holidays, set from the announced moon sighting. */
export interface MovableHoliday {
  day: string;
  names?: HolidayNames;
  /** True while the date is an expectation and the ministry has not announced it. */
  provisional: boolean;
}

export interface Holiday {
  day: string;
  kind: 'fixed' | 'movable';
  /** The fixed holiday's id; absent for movable ones. */
  id?: string;
  names?: HolidayNames;
  provisional: boolean;
}

// Public holidays on fixed dates (décret n° 2-77-169 for public administrations, as amended; names
// and sources in data/reference/holidays.json, whose `fixed` list a test keeps equal to this one).
export const FIXED_HOLIDAYS: readonly FixedHoliday[] = [
  { id: 'new-year', month: 1, day: 1 },
  { id: 'independence-manifesto', month: 1, day: 11 },
  // Yennayer became a paid public holiday in 2023, first observed on 14 January 2024.
  { id: 'amazigh-new-year', month: 1, day: 14, since: 2024 },
  { id: 'labour-day', month: 5, day: 1 },
  { id: 'throne-day', month: 7, day: 30 },
  { id: 'oued-ed-dahab', month: 8, day: 14 },
  { id: 'revolution-king-people', month: 8, day: 20 },
  { id: 'youth-day', month: 8, day: 21 },
  // Aïd Al Wahda, decided on 4 November 2025 and added by the decrees of January 2026.
  { id: 'unity-day', month: 10, day: 31, since: 2026 },
  { id: 'green-march', month: 11, day: 6 },
  { id: 'independence-day', month: 11, day: 18 },
];

// Days

const DAY_MS = 86_400_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(day: string): { y: number; m: number; d: number } | undefined {
  const match = DAY_PATTERN.exec(day);
  if (!match) return undefined;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // No legal clock runs before 1900, and Date.UTC would read years 0–99 as 1900–1999.
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return { y, m, d };
}

/** Whether `day` is a real calendar day written 'YYYY-MM-DD', from 1900 (2026-02-30 is not). */
export const isDay = (day: string): boolean => parts(day) !== undefined;

function mustParse(day: string): { y: number; m: number; d: number } {
  const p = parts(day);
  if (!p) throw new RangeError(`not a calendar day (YYYY-MM-DD): ${JSON.stringify(day)}`);
  return p;
}

const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const format = (y: number, m: number, d: number): string => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

const epochDay = (day: string): number => {
  const { y, m, d } = mustParse(day);
  return Date.UTC(y, m - 1, d) / DAY_MS;
};

const fromEpochDay = (n: number): string => {
  const date = new Date(n * DAY_MS);
  return format(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
};

export const addDays = (day: string, n: number): string => fromEpochDay(epochDay(day) + n);

/** Same day of the month `n` months later, or that month's last day when it is shorter (31 Jan + 1 = 28/29 Feb). */
export function addMonths(day: string, n: number): string {
  const { y, m, d } = mustParse(day);
  const index = y * 12 + (m - 1) + n;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return format(year, month, Math.min(d, daysInMonth(year, month)));
}

/** 0 = Sunday … 6 = Saturday. */
export const weekday = (day: string): number => new Date(epochDay(day) * DAY_MS).getUTCDay();

const isWeekend = (day: string): boolean => {
  const w = weekday(day);
  return w === 0 || w === 6;
};

// Holidays

export class HolidayCalendar {
  private readonly movable = new Map<string, MovableHoliday[]>();

  constructor(
    movable: readonly MovableHoliday[] = [],
    private readonly options: {
      fixed?: readonly FixedHoliday[];
      /** Names of the fixed holidays by id, for display. */
      fixedNames?: Readonly<Record<string, HolidayNames>>;
      /** The days whose movable holidays were loaded; outside them only fixed holidays are known. */
      range?: { from: string; to: string };
    } = {},
  ) {
    for (const h of movable) {
      mustParse(h.day);
      this.movable.set(h.day, [...(this.movable.get(h.day) ?? []), h]);
    }
  }

  /** Whether movable holidays were loaded for `day`; if not, a deadline past it may miss an Eid. */
  covers(day: string): boolean {
    const r = this.options.range;
    return r === undefined || (day >= r.from && day <= r.to);
  }

  /** Holidays on `day`: more than one when an Islamic holiday falls on a fixed one. */
  holidaysOn(day: string): Holiday[] {
    const { y, m, d } = mustParse(day);
    const fixed = (this.options.fixed ?? FIXED_HOLIDAYS)
      .filter((f) => f.month === m && f.day === d && (f.since === undefined || y >= f.since))
      .map((f): Holiday => {
        const names = this.options.fixedNames?.[f.id];
        return { day, kind: 'fixed', id: f.id, provisional: false, ...(names ? { names } : {}) };
      });
    const movable = (this.movable.get(day) ?? []).map((h): Holiday => ({ day, kind: 'movable', provisional: h.provisional, ...(h.names ? { names: h.names } : {}) }));
    return [...fixed, ...movable];
  }

  isHoliday(day: string): boolean {
    return this.holidaysOn(day).length > 0;
  }

  /** Monday to Friday (Morocco's weekend is Saturday and Sunday), unless a public holiday. */
  isWorkingDay(day: string): boolean {
    return !isWeekend(day) && !this.isHoliday(day);
  }

  /** Holidays from `from` to `to`, both included, in date order. */
  between(from: string, to: string): Holiday[] {
    const out: Holiday[] = [];
    for (let n = epochDay(from), end = epochDay(to); n <= end; n++) out.push(...this.holidaysOn(fromEpochDay(n)));
    return out;
  }
}

// Deadlines

/**
 * The day a deadline falls due, counted from the day after `startDay` (the day of the event
 * itself is not counted):
 * - calendar_days: `amount` days later;
 * - working_days: the `amount`-th working day after `startDay`;
 * - months: the same day of the month `amount` months later, or that month's last day.
 * A calendar-day or month deadline that ends on a weekend or holiday is not moved to the next
 * working day: no text applying to the portal's institutions says so yet. If the law requires it,
 * make it an option of the rule.
 */
export function dueDate(startDay: string, rule: DeadlineRule, holidays: HolidayCalendar): string {
  mustParse(startDay);
  if (!Number.isSafeInteger(rule.amount) || rule.amount < 0) throw new RangeError(`deadline amount must be a whole number ≥ 0, got ${rule.amount}`);
  switch (rule.unit) {
    case 'calendar_days':
      return addDays(startDay, rule.amount);
    case 'months':
      return addMonths(startDay, rule.amount);
    case 'working_days': {
      let day = startDay;
      for (let left = rule.amount; left > 0;) {
        day = addDays(day, 1);
        if (holidays.isWorkingDay(day)) left--;
      }
      return day;
    }
    default:
      throw new RangeError(`unknown deadline unit: ${String((rule as { unit: unknown }).unit)}`);
  }
}

/**
 * Working days after `a` up to and including `b` (negative when `b` is before `a`), so that
 * workingDaysBetween(start, dueDate(start, { amount: n, unit: 'working_days' })) === n.
 */
export function workingDaysBetween(a: string, b: string, holidays: HolidayCalendar): number {
  const [from, to, sign] = a <= b ? [a, b, 1] : [b, a, -1];
  let count = 0;
  for (let n = epochDay(from) + 1, end = epochDay(to); n <= end; n++) if (holidays.isWorkingDay(fromEpochDay(n))) count++;
  return sign * count;
}

/**
 * Days left before a deadline, for the inbox: 0 on the due day, the days after today up to the
 * due day before it, and a negative number once it has passed. Working days by default; an
 * overdue deadline counts at least -1 even on a weekend, since it is late whatever the day.
 */
export function daysRemaining(now: Date, dueDay: string, holidays: HolidayCalendar, options: { count?: 'working_days' | 'calendar_days' } = {}): number {
  const today = localDay(now);
  const days = options.count === 'calendar_days' ? epochDay(dueDay) - epochDay(today) : workingDaysBetween(today, dueDay, holidays);
  return today > dueDay ? Math.min(days, -1) : days;
}

// Time zone

// One formatter, reused: building an Intl.DateTimeFormat costs far more than formatting with it.
const casablanca = new Intl.DateTimeFormat('en-US', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function wallClock(instant: Date): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const t = instant.getTime();
  if (!Number.isFinite(t)) throw new RangeError('invalid date');
  const p = Object.fromEntries(casablanca.formatToParts(instant).map((x) => [x.type, x.value]));
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), h: Number(p.hour), min: Number(p.minute), s: Number(p.second) };
}

/**
 * Offset of Casablanca's legal time from UTC at `instant`, in milliseconds, as the tz database
 * shipped with Node's ICU says: +1 h most of the year, 0 around Ramadan (dates set each year).
 */
export function utcOffsetMs(instant: Date): number {
  const w = wallClock(instant);
  const asUtc = Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The Casablanca calendar day of an instant. */
export function localDay(instant: Date): string {
  const w = wallClock(instant);
  return format(w.y, w.m, w.d);
}

/** The last millisecond of `day` in Casablanca (23:59:59.999 local), as a UTC instant. */
export function dueInstant(day: string): Date {
  const { y, m, d } = mustParse(day);
  const wall = Date.UTC(y, m - 1, d, 23, 59, 59, 999);
  // The offset at the wall time read as UTC is only a guess (it may sit across a switch); the
  // offset at the instant it gives is the right one. Morocco switches at 02:00 or 03:00 local, so
  // the end of a day always exists and is unique.
  const guess = wall - utcOffsetMs(new Date(wall));
  return new Date(wall - utcOffsetMs(new Date(guess)));
}
