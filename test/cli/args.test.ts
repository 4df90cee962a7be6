import { calendarDate, UsageError } from '../../src/cli/args';

describe('calendarDate', () => {
  const check = (v: string) => calendarDate({ 'as-of': v }, 'as-of', 'gold');

  it('accepts real calendar dates, leap days included, and absence', () => {
    expect([check('2026-02-28'), check('2024-02-29'), check('2026-12-31'), calendarDate({}, 'as-of', 'gold')]).toEqual(['2026-02-28', '2024-02-29', '2026-12-31', undefined]);
  });

  it('rejects dates that do not exist, saying which values are accepted', () => {
    expect(() => check('2026-02-30')).toThrow(new UsageError('expected --as-of to be a calendar date YYYY-MM-DD, got "2026-02-30": February 2026 has days 01 to 28'));
    expect(() => check('2025-02-29')).toThrow('February 2025 has days 01 to 28');
    expect(() => check('2026-13-45')).toThrow(new UsageError('expected --as-of to be a calendar date YYYY-MM-DD, got "2026-13-45": months are 01 to 12'));
    expect(() => check('2026-04-31')).toThrow('April 2026 has days 01 to 30');
    expect(() => check('2026-1-5')).toThrow(new UsageError("expected --as-of to be a calendar date YYYY-MM-DD, got \"2026-1-5\" (see 'orderlake gold --help')"));
    expect(() => check('2026-01-00')).toThrow('January 2026 has days 01 to 31');
  });
});
