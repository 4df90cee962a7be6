import { parseTimestamp, isoUtc, utcDate, isoDayOfWeek } from '../../src/util/time';

describe('parseTimestamp', () => {
  const ms = (t: string) => {
    const r = parseTimestamp(t);
    return r.ok ? new Date(r.ms).toISOString() : r.reason;
  };
  it('converts Z and offsets to UTC', () => {
    expect(ms('2026-03-04T10:11:12Z')).toBe('2026-03-04T10:11:12.000Z');
    expect(ms('2026-03-04T10:11:12.123456+01:00')).toBe('2026-03-04T09:11:12.123Z');
    expect(ms('2026-03-04T00:30:00-05:30')).toBe('2026-03-04T06:00:00.000Z');
    expect(ms('2026-03-01T00:30:00+01:00')).toBe('2026-02-28T23:30:00.000Z');
    expect(ms('2026-03-04 10:11:12+0200')).toBe('2026-03-04T08:11:12.000Z');
  });
  it('takes a lower-case t and z, as RFC 3339 allows', () => {
    expect([ms('2025-03-10t10:00:00Z'), ms('2025-03-10T10:00:00z'), ms('2025-03-10t10:00:00.5z')]).toEqual(['2025-03-10T10:00:00.000Z', '2025-03-10T10:00:00.000Z', '2025-03-10T10:00:00.500Z']);
  });
  it('truncates a fraction to milliseconds on its digits, never rounding into the next millisecond', () => {
    expect(ms('2019-12-31T23:59:59.999999999999Z')).toBe('2019-12-31T23:59:59.999Z');
    expect(ms('2026-03-03T23:59:59.9999999+00:00')).toBe('2026-03-03T23:59:59.999Z');
    expect(ms('2026-03-04T10:11:12,5Z')).toBe('2026-03-04T10:11:12.500Z');
    expect(ms('2026-03-04T10:11:12.07Z')).toBe('2026-03-04T10:11:12.070Z');
  });
  it('rejects timestamps without a zone, impossible dates and other text', () => {
    expect(ms('2026-03-04T10:11:12')).toBe('has no time zone (expected Z or ±HH:MM)');
    expect(ms('2026-02-30T10:11:12Z')).toBe('is not a valid calendar time');
    expect(ms('yesterday')).toBe('is not an ISO-8601 timestamp');
    expect(ms('2026-03-04')).toBe('is not an ISO-8601 timestamp');
  });
});

describe('isoUtc', () => {
  it('prints milliseconds and Z', () => expect(isoUtc(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe('2026-01-02T03:04:05.000Z'));
});

describe('utcDate', () => {
  it('is the UTC calendar date', () => expect(utcDate(Date.UTC(2026, 11, 31, 23, 59))).toBe('2026-12-31'));
});

describe('isoDayOfWeek', () => {
  it('is Monday 1 .. Sunday 7', () => {
    expect(isoDayOfWeek(Date.UTC(2026, 10, 16))).toBe(1); // Monday
    expect(isoDayOfWeek(Date.UTC(2026, 10, 22))).toBe(7); // Sunday
  });
});
