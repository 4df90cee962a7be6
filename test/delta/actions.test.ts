import { parseAction, parseCommit, serializeCommit } from '../../src/delta/actions';
import { DeltaLogError } from '../../src/delta';

const ADD = '{"add":{"path":"a.parquet","partitionValues":{"d":null},"size":10,"modificationTime":5,"dataChange":true,"stats":"{\\"numRecords\\":1}","tags":null}}';

describe('parseCommit', () => {
  it('reads one action per line, skipping blank lines and actions a reader 1 does not use', () => {
    const text = `{"commitInfo":{"timestamp":1}}\n\n${ADD}\n{"cdc":{"path":"c.parquet"}}\n{"remove":{"path":"b.parquet","dataChange":true}}\n{"txn":{"appId":"x","version":3}}\n`;
    expect(parseCommit(text, 'v1')).toEqual([
      { commitInfo: { timestamp: 1 } },
      { add: { path: 'a.parquet', partitionValues: { d: null }, size: 10, modificationTime: 5, dataChange: true, stats: '{"numRecords":1}' } },
      { remove: { path: 'b.parquet', dataChange: true } },
      { txn: { appId: 'x', version: 3 } },
    ]);
  });

  it('says where a line is malformed and what was expected', () => {
    expect(() => parseCommit('{"add":{"path":"a","partitionValues":{},"size":"10","modificationTime":1,"dataChange":true}}', 'f.json')).toThrow(
      new DeltaLogError('f.json line 1 add: expected size to be a number, got "10"'),
    );
    expect(() => parseCommit('{"add":{}, "remove":{}}', 'f.json')).toThrow('f.json line 1: expected exactly one action per line, got ["add","remove"]');
    expect(() => parseCommit('\n{oops', 'f.json')).toThrow('f.json line 2: expected a JSON action, got "{oops"');
    expect(() => parseCommit('{"metaData":{"id":"x","schemaString":"{}","partitionColumns":[],"configuration":{}}}', 'f.json')).toThrow('f.json line 1 metaData: expected format to be {"provider":..,"options":{}}, got undefined');
  });

  it('refuses deletion vectors (a reader 3 feature)', () => {
    expect(() => parseCommit('{"add":{"path":"a","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true,"deletionVector":{"storageType":"u"}}}', 'f')).toThrow('f line 1 add: add a has a deletion vector, a reader version 3 feature this reader does not support');
  });
});

describe('parseAction', () => {
  it('ignores the null columns of a checkpoint row', () => {
    expect(parseAction({ txn: null, add: null, protocol: { minReaderVersion: 1, minWriterVersion: 2 } }, 'row 1')).toEqual({ protocol: { minReaderVersion: 1, minWriterVersion: 2 } });
  });
});

describe('serializeCommit', () => {
  it('writes one JSON action per line with a trailing newline, and parses back', () => {
    const actions = parseCommit(ADD, 'x');
    expect(serializeCommit(actions)).toBe('{"add":{"path":"a.parquet","partitionValues":{"d":null},"size":10,"modificationTime":5,"dataChange":true,"stats":"{\\"numRecords\\":1}"}}\n');
    expect(parseCommit(serializeCommit(actions), 'x')).toEqual(actions);
  });
});
