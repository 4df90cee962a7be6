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
    expect(parseBronze(serialiseBronze(batch), 'f')).toEqual(batch);
  });
  it('says which file and line is broken', () => {
    expect(() => parseBronze(Buffer.from('{"partition":"1"}\n'), 'bronze/x.jsonl')).toThrow('bronze/x.jsonl line 1: expected partition, sequence_number and enqueued_time, got {"partition":"1"}');
    expect(() => parseBronze(Buffer.from(`${serialiseBronze(batch).toString('utf8')}\nnot json\n`), 'bronze/y.jsonl')).toThrow('bronze/y.jsonl line 5: expected a bronze JSON record, got not json');
  });
  it('reads a batch of more text than one string can hold (2^29 - 24 characters), a line at a time', () => {
    // Six bodies of 96 million characters: 576 million in all. Read back whole, the file failed
    // with "Cannot create a string longer than 0x1fffffe8 characters" and stopped the lake.
    const big = 'x'.repeat(96_000_000);
    const bytes = serialiseBronze({ partition: '3', events: [41, 42, 43, 44, 45, 46].map((seq) => sourceEvent(big, seq, '3')) });
    expect(bytes.length).toBeGreaterThan(0x1fffffe8);
    const back = parseBronze(bytes, 'f');
    expect(back.events.map((e) => [e.sequenceNumber, e.body?.length, e.body === big])).toEqual([41, 42, 43, 44, 45, 46].map((seq) => [seq, 96_000_000, true]));
  }, 60_000);
});
