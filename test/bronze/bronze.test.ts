import { batchIdOf, bronzePathOf, serialiseBronze, parseBronze, assertPartitionId } from '../../src/bronze/bronze';
import { sourceEvent } from '../helpers/events';

const batch = {
  partition: '3',
  events: [sourceEvent('{"a":1}', 41, '3'), { ...sourceEvent(undefined, 42, '3'), bodyBase64: '/wA=' }, sourceEvent('line "with" quotes\\', 43, '3')],
};

describe('batchIdOf', () => {
  it('names a batch by partition, first and last sequence', () => expect(batchIdOf(batch)).toBe('p3-000000000041-000000000043'));
  it('rejects an empty batch', () => expect(() => batchIdOf({ partition: '3', events: [] })).toThrow('expected a batch with at least one event from partition 3, got none'));
});

describe('bronzePathOf', () => {
  it('puts the batch under the enqueued date of its first event and its partition', () => {
    expect(bronzePathOf(batch)).toBe('bronze/ingest_date=2026-03-05/partition=3/p3-000000000041-000000000043.jsonl');
  });
});

describe('assertPartitionId', () => {
  it('refuses partition ids that could escape a path', () => {
    expect(() => assertPartitionId('../x')).toThrow('expected a partition id of letters, digits, \'-\' or \'_\', got "../x"');
  });
});

describe('serialiseBronze', () => {
  it('writes one JSON line per event with its position and raw body', () => {
    expect(serialiseBronze(batch).toString('utf8').split('\n')[0]).toBe('{"partition":"3","offset":"4100","sequence_number":41,"enqueued_time":"2026-03-05T12:00:00.000Z","body":"{\\"a\\":1}"}');
  });
});

describe('parseBronze', () => {
  it('round-trips every body exactly, including bytes that are not UTF-8', () => {
    expect(parseBronze(serialiseBronze(batch).toString('utf8'), 'f')).toEqual(batch);
  });
  it('says which file and line is broken', () => {
    expect(() => parseBronze('{"partition":"1"}\n', 'bronze/x.jsonl')).toThrow('bronze/x.jsonl line 1: expected partition, sequence_number and enqueued_time, got {"partition":"1"}');
  });
});
