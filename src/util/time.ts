// Timestamps: ISO-8601 with a zone (Z or ±HH:MM) only. A local time without a zone
// cannot be placed on the UTC timeline, so the contract rejects it.

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

export type TimestampResult = { ok: true; ms: number } | { ok: false; reason: string };

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  if (month === 2 && ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1] ?? 0;
}

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** `YYYY-MM-DDTHH:MM:SS.sssZ`, the form producers and toISOString() write: parsed without a regex. */
function parseCanonical(s: string): TimestampResult | undefined {
  if (s.length !== 24 || s.charCodeAt(23) !== 90 || s[10] !== 'T' || s[4] !== '-' || s[7] !== '-' || s[13] !== ':' || s[16] !== ':' || s[19] !== '.') return undefined;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 7);
  const day = digits(s, 8, 10);
  const hour = digits(s, 11, 13);
  const minute = digits(s, 14, 16);
  const second = digits(s, 17, 19);
  const millis = digits(s, 20, 23);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || millis < 0) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) {
    return { ok: false, reason: 'is not a valid calendar time' };
  }
  return { ok: true, ms: Date.UTC(year, month - 1, day, hour, minute, second, millis) };
}

/** Parse an ISO-8601 timestamp that carries a zone, to epoch milliseconds (UTC). */
export function parseTimestamp(text: string): TimestampResult {
  const fast = parseCanonical(text);
  if (fast) return fast;
  const m = ISO.exec(text);
  if (!m) return { ok: false, reason: 'is not an ISO-8601 timestamp' };
  const [, y, mo, d, h, mi, s, frac, z, sign, zh, zm] = m;
  if (!z && !sign) return { ok: false, reason: 'has no time zone (expected Z or ±HH:MM)' };
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) {
    return { ok: false, reason: 'is not a valid calendar time' };
  }
  const offH = zh === undefined ? 0 : Number(zh);
  const offM = zm === undefined ? 0 : Number(zm);
  if (offH > 23 || offM > 59) return { ok: false, reason: 'has an invalid zone offset' };
  // Truncated on the digits: as a double, .999999999999 rounds up into the next millisecond (and date).
  const millis = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  const offset = (sign === '-' ? -1 : 1) * (offH * 60 + offM) * 60_000;
  return { ok: true, ms: Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset };
}

/** ISO-8601 UTC with milliseconds and Z. */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}

/** UTC calendar date, YYYY-MM-DD. */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** ISO day of week: Monday 1 .. Sunday 7. */
export function isoDayOfWeek(ms: number): number {
  const d = new Date(ms).getUTCDay();
  return d === 0 ? 7 : d;
}
