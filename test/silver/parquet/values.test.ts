import { dateDays, dateText, timestampMs, utf8Compare } from '../../../src/silver/parquet/values';

describe('dateDays', () => {
  it('counts days from 1970-01-01, leap years and dates before 1970 included', () => {
    expect(['1970-01-01', '1969-12-31', '2000-02-29', '2026-11-21', '0001-01-01'].map((d) => dateDays(d, 'd')))
      .toEqual(['1970-01-01', '1969-12-31', '2000-02-29', '2026-11-21', '0001-01-01'].map((d) => Date.parse(`${d}T00:00:00Z`) / 86_400_000));
  });

  it('refuses text that is not a real calendar date, naming the column', () => {
    for (const bad of ['2026-02-29', '2026-13-01', '2026-1-01', '2026-01-01T00:00:00Z', 'yesterday']) {
      expect(() => dateDays(bad, 'order_date')).toThrow(`parquet: column order_date expects a date YYYY-MM-DD, got ${JSON.stringify(bad)}`);
    }
  });
});

describe('dateText', () => {
  it('is the inverse of dateDays', () => {
    expect([-1, 0, 20_778].map(dateText)).toEqual(['1969-12-31', '1970-01-01', '2026-11-21']);
  });
});

describe('timestampMs', () => {
  it('reads silver\'s own form by hand and other ISO forms with an offset like Date.parse', () => {
    for (const t of ['2026-11-21T10:00:00.123Z', '2024-02-29T23:59:59.999Z', '1969-12-31T23:59:59.999Z', '2026-11-21T10:00:00Z', '2026-11-21T12:00:00.5+02:00']) {
      expect(timestampMs(t, 't')).toBe(Date.parse(t));
    }
  });

  it('refuses a day the month does not have and text without a zone, naming the column', () => {
    for (const bad of ['2026-02-30T00:00:00.000Z', '2026-04-31T00:00:00Z', '2026-11-21T10:00:00', 'now']) {
      expect(() => timestampMs(bad, 'event_time')).toThrow(`parquet: column event_time expects an ISO-8601 timestamp with Z or an offset, got ${JSON.stringify(bad)}`);
    }
  });
});

describe('utf8Compare', () => {
  it('orders strings as their UTF-8 bytes do, where that differs from JS order', () => {
    const words = ['b', 'a', 'ab', '', '\uffff', '😀', '\ue000', 'é'];
    const byBytes = [...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...words].sort(utf8Compare)).toEqual(byBytes);
    expect(byBytes).toEqual(['', 'a', 'ab', 'b', 'é', '\ue000', '\uffff', '😀']);
    expect(utf8Compare('😀', '\uffff')).toBeGreaterThan(0);
    expect('😀' < '\uffff').toBe(true);
  });
});
