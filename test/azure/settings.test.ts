import { readGoldFold, readGoldMemoryLimit, GOLD_FOLD_DEFAULTS } from '../../src/azure/settings';

describe('readGoldFold', () => {
  it('gives the defaults when unset or blank, and whole numbers when set', () => {
    expect(readGoldFold({})).toEqual({ hotDays: 0, coldOrdersPerRun: 5_000_000 });
    expect(readGoldFold({ GOLD_HOT_DAYS: ' ', GOLD_COLD_ORDERS_PER_RUN: '' })).toEqual(GOLD_FOLD_DEFAULTS);
    expect(readGoldFold({ GOLD_HOT_DAYS: '1', GOLD_COLD_ORDERS_PER_RUN: ' 2500000 ' })).toEqual({ hotDays: 1, coldOrdersPerRun: 2_500_000 });
  });

  it('names the setting and the value it cannot take', () => {
    expect(() => readGoldFold({ GOLD_HOT_DAYS: '-1' })).toThrow('expected app setting GOLD_HOT_DAYS to be a whole number of at least 0, got "-1"');
    expect(() => readGoldFold({ GOLD_COLD_ORDERS_PER_RUN: '1e7' })).toThrow('expected app setting GOLD_COLD_ORDERS_PER_RUN to be a whole number of at least 1, got "1e7"');
    expect(() => readGoldFold({ GOLD_COLD_ORDERS_PER_RUN: '0' })).toThrow('expected app setting GOLD_COLD_ORDERS_PER_RUN to be a whole number of at least 1, got "0"');
  });
});

describe('readGoldMemoryLimit', () => {
  it("is gold's default when unset or blank, and the size when set", () => {
    expect(readGoldMemoryLimit({})).toBeUndefined();
    expect(readGoldMemoryLimit({ GOLD_MEMORY_LIMIT: '  ' })).toBeUndefined();
    expect(readGoldMemoryLimit({ GOLD_MEMORY_LIMIT: ' 1gb' })).toBe('1GB');
  });

  it('names the setting and the value it cannot take', () => {
    expect(() => readGoldMemoryLimit({ GOLD_MEMORY_LIMIT: '50%' })).toThrow('expected app setting GOLD_MEMORY_LIMIT to be a whole number of MB or GB, at least 64MB, such as 256MB or 1GB, got "50%"');
  });
});
