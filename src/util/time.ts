// Timestamps: ISO-8601 with a zone (Z or ±HH:MM) only. A local time without a zone
// cannot be placed on the UTC timeline, so the contract rejects it.

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

export type TimestampResult = { ok: true; ms: number } | { ok: false; reason: string };

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  if (month === 2 && ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1] ?? 0;
}

/** Parse an ISO-8601 timestamp that carries a zone, to epoch milliseconds (UTC). */
export function parseTimestamp(text: string): TimestampResult {
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
  const millis = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000 + 1e-9);
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
