// Business dates are Indian Standard Time calendar dates ('YYYY-MM-DD'), whatever the
// browser's own time zone is. Date arithmetic is done on UTC midnights so no DST or local
// offset can shift a day.

const IST = 'Asia/Kolkata';
const DAY_MS = 86_400_000;

const istPartsFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: IST,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in India, 'YYYY-MM-DD'. */
export function todayIST(now: Date = new Date()): string {
  const parts = istPartsFormatter.formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidYmd(value: string): boolean {
  const m = YMD.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

function ymdToUtcMs(value: string): number {
  const m = YMD.exec(value);
  if (!m) return NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3]);
}

/** Whole days from `from` to `to` (both 'YYYY-MM-DD'). */
export function daysBetween(from: string, to: string): number {
  return Math.round((ymdToUtcMs(to) - ymdToUtcMs(from)) / DAY_MS);
}

export function addDays(ymd: string, days: number): string {
  const d = new Date(ymdToUtcMs(ymd) + days * DAY_MS);
  return d.toISOString().slice(0, 10);
}

/** Days from today (IST) until a due date; negative once past. */
export function daysUntil(due: string, now: Date = new Date()): number {
  return daysBetween(todayIST(now), due);
}

const dateFormatter = new Intl.DateTimeFormat('en-IN', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** '2026-03-15' -> '15 Mar 2026'. */
export function formatDate(ymd: string | null | undefined): string {
  if (!ymd) return '—';
  const ms = ymdToUtcMs(ymd.slice(0, 10));
  return Number.isNaN(ms) ? ymd : dateFormatter.format(new Date(ms));
}

const dateTimeFormatter = new Intl.DateTimeFormat('en-IN', {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** An API timestamp (ISO 8601 with offset) in the reader's local time. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTimeFormatter.format(d);
}

export function formatRelativeDays(days: number): string {
  if (days === 0) return 'due today';
  if (days === 1) return '1 day';
  if (days > 1) return `${days} days`;
  if (days === -1) return '1 day overdue';
  return `${-days} days overdue`;
}

/** 'Mar 2026' bucket label for a due date, plus a sortable key. */
export function monthKey(ymd: string): { key: string; label: string } {
  const ms = ymdToUtcMs(ymd);
  const label = new Intl.DateTimeFormat('en-IN', { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(
    new Date(ms),
  );
  return { key: ymd.slice(0, 7), label };
}

const numericDateFormatter = new Intl.DateTimeFormat('en-IN', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  timeZone: 'UTC',
});

/** '2026-03-15' -> '15/03/2026', the way dates are written in India. */
export function formatDateNumeric(ymd: string): string {
  const ms = ymdToUtcMs(ymd);
  return Number.isNaN(ms) ? ymd : numericDateFormatter.format(new Date(ms));
}
