// Statements: CSV files the API sends as attachments. They need the bearer token, so they are
// fetched by the API client and saved from a Blob under the name the server gives.

import { addDays, todayIST } from './dates';
import type { Words } from './explain';

/** The filename of a `Content-Disposition: attachment; filename="..."` (or filename*=UTF-8''...). */
export function attachmentName(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const encoded = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1].trim());
    } catch {
      // a badly encoded name: try the plain one
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(header);
  return (plain?.[1] ?? plain?.[2])?.trim() || fallback;
}

/** Save a Blob as a file the browser downloads. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The Indian financial year (April to March) a date falls in: '2026-05-01' -> '2026-27'. */
export function financialYearOf(ymd: string): string {
  const year = Number(ymd.slice(0, 4));
  const start = Number(ymd.slice(5, 7)) >= 4 ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

/** This financial year and the `count - 1` before it, newest first. */
export function recentFinancialYears(today: string = todayIST(), count = 4): string[] {
  const start = Number(financialYearOf(today).slice(0, 4));
  return Array.from({ length: count }, (_, i) => financialYearOf(`${start - i}-04-01`));
}

/** "April 2026 to March 2027". */
export function financialYearInWords(fy: string): string {
  const start = Number(fy.slice(0, 4));
  return `April ${start} to March ${start + 1}`;
}

/** The default statement period: the last 30 IST days, today included. */
export function lastThirtyDays(today: string = todayIST()): { from: string; to: string } {
  return { from: addDays(today, -29), to: today };
}

/** Plain words for the statements' 422s (the server names the field at fault). */
export const WALLET_STATEMENT_WORDS: Words = {
  validation_error: (err) => {
    const fields = err.fieldErrors();
    if (fields.to) return 'The end date must be a real date, on or after the start date.';
    if (fields.from) return 'The start date must be a real date.';
    return 'Those dates could not be read. Pick a start and an end date.';
  },
};

export const PORTFOLIO_STATEMENT_WORDS: Words = {
  validation_error: 'Pick a financial year, like 2026-27.',
  forbidden: 'Only investors have a portfolio statement.',
};
