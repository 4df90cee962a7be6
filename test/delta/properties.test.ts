import { parseInterval, tableProperties } from '../../src/delta';

describe('parseInterval', () => {
  it('reads "interval <n> <unit>" from nanoseconds to weeks', () => {
    expect(['interval 30 days', 'interval 1 week', 'interval 12 hours', 'interval 1 day', 'interval 90 seconds', 'interval 5 milliseconds'].map((v) => parseInterval(v))).toEqual([
      2_592_000_000, 604_800_000, 43_200_000, 86_400_000, 90_000, 5,
    ]);
  });

  it('refuses months, missing prefixes and unknown units', () => {
    for (const v of ['interval 1 month', '30 days', 'interval -1 days', 'interval 1 fortnight']) {
      expect(() => parseInterval(v, 'delta.logRetentionDuration')).toThrow(`delta.logRetentionDuration: expected "interval <n> <unit>" with a unit from nanosecond to week (e.g. "interval 7 days"), got ${JSON.stringify(v)}`);
    }
  });
});

describe('tableProperties', () => {
  it('gives the defaults of Spark and delta-rs', () => {
    expect(tableProperties({})).toEqual({
      checkpointInterval: 10,
      logRetentionMs: 30 * 86_400_000,
      deletedFileRetentionMs: 7 * 86_400_000,
      enableExpiredLogCleanup: true,
      setTransactionRetentionMs: undefined,
      dataSkippingNumIndexedCols: 32,
      dataSkippingStatsColumns: undefined,
      checkpointWriteStatsAsJson: true,
      appendOnly: false,
    });
  });

  it('reads the table configuration', () => {
    const p = tableProperties({
      'delta.checkpointInterval': '100',
      'delta.logRetentionDuration': 'interval 2 days',
      'delta.deletedFileRetentionDuration': 'interval 1 hour',
      'delta.enableExpiredLogCleanup': 'false',
      'delta.setTransactionRetentionDuration': 'interval 7 days',
      'delta.dataSkippingNumIndexedCols': '-1',
      'delta.dataSkippingStatsColumns': 'a, `b`',
      'delta.appendOnly': 'TRUE',
    });
    expect([p.checkpointInterval, p.logRetentionMs, p.deletedFileRetentionMs, p.enableExpiredLogCleanup, p.setTransactionRetentionMs, p.dataSkippingNumIndexedCols, p.dataSkippingStatsColumns, p.appendOnly]).toEqual([
      100, 172_800_000, 3_600_000, false, 604_800_000, -1, ['a', 'b'], true,
    ]);
  });

  it('says which property is malformed', () => {
    expect(() => tableProperties({ 'delta.checkpointInterval': '0' })).toThrow('delta.checkpointInterval: expected a positive integer, got "0"');
    expect(() => tableProperties({ 'delta.appendOnly': 'yes' })).toThrow('delta.appendOnly: expected "true" or "false", got "yes"');
    expect(() => tableProperties({ 'delta.dataSkippingNumIndexedCols': '-2' })).toThrow('delta.dataSkippingNumIndexedCols: expected an integer >= -1, got "-2"');
  });
});
