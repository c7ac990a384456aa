// Money on the client: every amount is an integer number of paise. Rupee strings typed by a
// user are parsed digit by digit (never `Number(x) * 100`, which turns 0.29 into 28.999…),
// and products of two amounts are computed with BigInt, because they can pass 2^53.

export const PAISE_PER_RUPEE = 100n;

const inrFormatter = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' });
const inrCompactFormatter = new Intl.NumberFormat('en-IN', {
  style: 'currency',
  currency: 'INR',
  notation: 'compact',
  maximumFractionDigits: 1,
});

// "1,23,456.78", "123456.78", "₹ 1,000", "1000.5", ".5". Commas only between digits.
const RUPEES_PATTERN = /^(\d{1,3}(?:,\d{2,3})*|\d+)?(?:\.(\d{0,2}))?$/;

/**
 * Parse an amount in rupees typed by a person into paise.
 * Accepts digits with optional thousands separators (Indian or Western grouping), an optional
 * leading ₹ and up to two decimals. Returns null for anything else (negative numbers, exponents,
 * three decimals, letters, empty input).
 */
export function parseRupeesToPaise(input: string): bigint | null {
  if (typeof input !== 'string') return null;
  const text = input.trim().replace(/^₹\s*/, '').replace(/^Rs\.?\s*/i, '');
  if (text === '' || text === '.') return null;
  const match = RUPEES_PATTERN.exec(text);
  if (!match) return null;
  const whole = (match[1] ?? '').replace(/,/g, '');
  const fraction = match[2] ?? '';
  if (whole === '' && fraction === '') return null;
  return BigInt(whole || '0') * PAISE_PER_RUPEE + BigInt(fraction.padEnd(2, '0'));
}

function toBigInt(paise: number | bigint): bigint {
  if (typeof paise === 'bigint') return paise;
  if (!Number.isSafeInteger(paise)) {
    throw new RangeError(`Amount in paise must be a safe integer, got ${paise}`);
  }
  return BigInt(paise);
}

/** Exact decimal string of rupees for a paise amount: 123456 -> "1234.56". */
export function paiseToDecimalString(paise: number | bigint): string {
  const value = toBigInt(paise);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const rupees = abs / PAISE_PER_RUPEE;
  const rest = (abs % PAISE_PER_RUPEE).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${rupees}.${rest}`;
}

/** What to put in an amount input: 150000 -> "1500", 123456 -> "1234.56". */
export function paiseToRupeesInput(paise: number | bigint): string {
  const text = paiseToDecimalString(paise);
  return text.endsWith('.00') ? text.slice(0, -3) : text;
}

/**
 * Format paise as Indian rupees: 100000000 -> "₹10,00,000.00".
 * The formatter is given an exact decimal string (Intl.NumberFormat v3), so no float is made.
 */
export function formatPaise(paise: number | bigint): string {
  return inrFormatter.format(paiseToDecimalString(paise) as `${number}`);
}

const inrWholeFormatter = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR', maximumFractionDigits: 0 });

/** Whole rupees without the ".00" (in sentences: "Up to ₹25,000 per invoice"); paise kept when there are any. */
export function formatPaiseWhole(paise: number | bigint): string {
  const value = toBigInt(paise);
  return value % PAISE_PER_RUPEE === 0n ? inrWholeFormatter.format((value / PAISE_PER_RUPEE).toString() as `${number}`) : formatPaise(value);
}

/** Basis points as a short percentage in a sentence: 1100 -> "11 %", 1150 -> "11.5 %". */
export function formatBpsShort(bps: number | bigint): string {
  return `${formatBps(bps).slice(0, -1).replace(/\.?0+$/, '')} %`;
}

/** Short form for tight spots such as chart axes: "₹12.5L". Display only. */
export function formatPaiseCompact(paise: number | bigint): string {
  return inrCompactFormatter.format(paiseToDecimalString(paise) as `${number}`);
}

/** floor(investment * face value / funding target), as the API defines expected_return. */
export function expectedReturn(
  amount: number | bigint,
  invoiceAmount: number | bigint,
  fundingTarget: number | bigint,
): bigint {
  const target = toBigInt(fundingTarget);
  if (target <= 0n) return 0n;
  // Both factors are positive, so BigInt's truncating division is a floor.
  return (toBigInt(amount) * toBigInt(invoiceAmount)) / target;
}

/** funding_target = amount - floor(amount * rate_bps * days / 3650000), as the server fixes it. */
export function fundingTarget(amount: bigint, rateBps: bigint, days: bigint): bigint {
  return amount - (amount * rateBps * days) / 3_650_000n;
}

/** annual_yield_bps = floor((amount - target) * 3650000 / (target * days)). */
export function annualYieldBps(amount: bigint, target: bigint, days: bigint): bigint {
  if (target <= 0n || days <= 0n) return 0n;
  return ((amount - target) * 3_650_000n) / (target * days);
}

/** Basis points as a percentage string: 1234 -> "12.34%". */
export function formatBps(bps: number | bigint): string {
  const value = toBigInt(bps);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / 100n;
  const rest = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${rest}%`;
}

/** "12.5" (a percentage typed by a person, up to two decimals) -> 1250 basis points. */
export function parsePercentToBps(input: string): bigint | null {
  if (typeof input !== 'string') return null;
  const text = input.trim().replace(/\s*%$/, '');
  const match = /^(\d+)?(?:\.(\d{0,2}))?$/.exec(text);
  if (!match || text === '' || text === '.') return null;
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  if (whole === '' && fraction === '') return null;
  return BigInt(whole || '0') * 100n + BigInt(fraction.padEnd(2, '0'));
}

/** Funded share in basis points of the target (0..10000), for progress bars. */
export function fundedShareBps(funded: number | bigint, target: number | bigint): number {
  const t = toBigInt(target);
  if (t <= 0n) return 0;
  const share = (toBigInt(funded) * 10_000n) / t;
  return Number(share > 10_000n ? 10_000n : share < 0n ? 0n : share);
}

export function minBigInt(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** Paise as a JSON number for the API. Amounts are at most 10^12, far below 2^53. */
export function paiseToJson(paise: bigint): number {
  const n = Number(paise);
  if (!Number.isSafeInteger(n)) throw new RangeError('Amount too large');
  return n;
}
