// Time left until an instant, by the server's clock, in the words a countdown shows.

const SECOND_MS = 1000;

/** Whole seconds left (never negative), rounding up so "0:00" means it is over. */
export function secondsLeft(until: string, serverNow: number): number {
  const ms = Date.parse(until) - serverNow;
  return ms > 0 ? Math.ceil(ms / SECOND_MS) : 0;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** 75 -> "1:15", 3725 -> "1:02:05", 90061 -> "1d 1:01:01". */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const clock = hours > 0 || days > 0 ? `${hours}:${pad(minutes)}:${pad(rest)}` : `${minutes}:${pad(rest)}`;
  return days > 0 ? `${days}d ${clock}` : clock;
}

/** "2 minutes 5 seconds" for screen readers (announced rarely, not every tick). */
export function durationInWords(totalSeconds: number): string {
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  const parts = [minutes > 0 && `${minutes} minute${minutes === 1 ? '' : 's'}`, seconds > 0 && `${seconds} second${seconds === 1 ? '' : 's'}`];
  return parts.filter(Boolean).join(' ') || '0 seconds';
}

const timeFormatter = new Intl.DateTimeFormat('en-IN', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** An instant as a wall-clock time in the reader's zone: "14:32:10". */
export function formatClockTime(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : timeFormatter.format(at);
}

/** How far an extension moved the close, and the new close: "+2:00, closes 14:32:10". */
export function describeExtension(previousClose: string, newClose: string): string {
  const moved = Math.round((Date.parse(newClose) - Date.parse(previousClose)) / SECOND_MS);
  return `+${formatDuration(moved)}, closes ${formatClockTime(newClose)}`;
}
