import { escapePartitionValue, partitionFolder, serializePartitionValue } from '../../src/delta';

describe('serializePartitionValue', () => {
  it('writes each type as PROTOCOL.md §Partition Value Serialization says', () => {
    expect([
      serializePartitionValue('string', 'EU-West'),
      serializePartitionValue('long', 9_007_199_254_740_993n),
      serializePartitionValue('integer', -4),
      serializePartitionValue('double', 2.5),
      serializePartitionValue('boolean', false),
      serializePartitionValue('date', '2026-01-05'),
      serializePartitionValue('date', new Date('2026-01-05T23:30:00Z')),
      serializePartitionValue('timestamp', new Date('2026-01-05T10:00:00.123Z')),
      serializePartitionValue('timestamp', 1_767_607_200_123_456n),
      serializePartitionValue('timestamp', -1n),
      serializePartitionValue('decimal(10,2)', '12.30'),
      serializePartitionValue('string', null),
    ]).toEqual(['EU-West', '9007199254740993', '-4', '2.5', 'false', '2026-01-05', '2026-01-05', '2026-01-05T10:00:00.123000Z', '2026-01-05T10:00:00.123456Z', '1969-12-31T23:59:59.999999Z', '12.30', null]);
  });

  it('refuses values that are not of the type, and the empty string (the log reads it as null)', () => {
    expect(() => serializePartitionValue('string', '')).toThrow('expected a non-empty string partition value (the log reads "" as null); pass null for a null value');
    expect(() => serializePartitionValue('integer', 1.5)).toThrow('expected an integer for a integer partition value, got "1.5"');
    expect(() => serializePartitionValue('date', '5/1/2026')).toThrow('expected a date partition value, got "5/1/2026"');
    expect(() => serializePartitionValue({ type: 'array', elementType: 'string', containsNull: true }, ['a'])).toThrow('expected a primitive partition column type');
  });
});

describe('escapePartitionValue', () => {
  it('escapes the Hive set as %XX and leaves the rest', () => {
    expect(escapePartitionValue('a:b/c=d%e f#é\u0001')).toBe('a%3Ab%2Fc%3Dd%25e f%23é%01');
  });
});

describe('partitionFolder', () => {
  it('builds col=value folders, with the Hive default for null', () => {
    expect(partitionFolder(['region', 'order_date'], { order_date: '2026-01-05', region: null })).toBe('region=__HIVE_DEFAULT_PARTITION__/order_date=2026-01-05');
    expect(partitionFolder([], {})).toBe('');
    expect(() => partitionFolder(['d'], {})).toThrow('expected a value for partition column d, got keys []');
  });
});
