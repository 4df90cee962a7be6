import { deltaField } from '../../../src/silver/parquet/schema';

describe('deltaField', () => {
  it('maps scalar, list of text and list of records columns to nullable Delta fields', () => {
    expect(deltaField({ name: 'ts', type: 'timestamp', get: () => null })).toEqual({ name: 'ts', type: 'timestamp', nullable: true, metadata: {} });
    expect(deltaField({ name: 'tags', type: 'list<string>', get: () => null }).type).toEqual({ type: 'array', elementType: 'string', containsNull: true });
    expect(deltaField({ name: 'e', type: 'list<record>', fields: ['a'], get: () => null }).type).toEqual({
      type: 'array', containsNull: true, elementType: { type: 'struct', fields: [{ name: 'a', type: 'string', nullable: true, metadata: {} }] },
    });
  });
});
