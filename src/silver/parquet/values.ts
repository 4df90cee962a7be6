// Conversions of silver's text values to Parquet's integers, and the UTF-8 byte order that
// Parquet and Delta statistics use for strings.

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return n;
}

/** Days since the epoch of 'YYYY-MM-DD' (a real calendar date), for Parquet DATE. */
export function dateDays(s: string, column: string): number {
  const y = digits(s, 0, 4);
  const m = digits(s, 5, 7);
  const d = digits(s, 8, 10);
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || !(y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m))) {
    throw new Error(`parquet: column ${column} expects a date YYYY-MM-DD, got ${JSON.stringify(s.slice(0, 40))}`);
  }
  return daysFromCivil(y, m, d);
}

/** 'YYYY-MM-DD' of days since the epoch. */
export function dateText(days: number): string {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * Milliseconds since the epoch of an ISO-8601 timestamp. Silver's own form,
 * YYYY-MM-DDTHH:MM:SS.sssZ, is read by hand (Date.parse costs several times more);
 * any other form Date.parse accepts with an explicit offset is read by it.
 */
export function timestampMs(s: string, column: string): number {
  if (s.length === 24 && s.charCodeAt(10) === 84 && s.charCodeAt(23) === 90 && s.charCodeAt(19) === 46
    && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45 && s.charCodeAt(13) === 58 && s.charCodeAt(16) === 58) {
    const mo = digits(s, 5, 7);
    const d = digits(s, 8, 10);
    const h = digits(s, 11, 13);
    const mi = digits(s, 14, 16);
    const sec = digits(s, 17, 19);
    const ms = digits(s, 20, 23);
    const y = digits(s, 0, 4);
    if (y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) && h < 24 && mi < 60 && sec < 60 && ms >= 0) {
      return daysFromCivil(y, mo, d) * MS_PER_DAY + ((h * 60 + mi) * 60 + sec) * 1000 + ms;
    }
  }
  // Other precisions and offsets. Date.parse rolls 02-30 over to March: the day is checked here.
  const parts = /^(\d{4})-(\d\d)-(\d\d)T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/.exec(s);
  const ms = parts && Number(parts[3]) <= daysInMonth(Number(parts[1]), Number(parts[2])) ? Date.parse(s) : NaN;
  if (Number.isNaN(ms)) throw new Error(`parquet: column ${column} expects an ISO-8601 timestamp with Z or an offset, got ${JSON.stringify(s.slice(0, 40))}`);
  return ms;
}

/**
 * Compares two strings in the order of their UTF-8 bytes (Parquet's and Spark's order for
 * strings). JS compares UTF-16 code units, which differs only where a surrogate (a character
 * above U+FFFF) meets a character in U+E000..U+FFFF: in UTF-8 the surrogate's character is larger.
 */
export function utf8Compare(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      const xs = x <= 0xdfff;
      const ys = y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1;
    }
    return x - y;
  }
  return a.length - b.length;
}
