import { memorySize } from '../../src/util/memory-size';

describe('memorySize', () => {
  it('gives whole MB or GB in the form DuckDB takes', () => {
    expect(memorySize('256MB', 'x')).toBe('256MB');
    expect(memorySize(' 1gb ', 'x')).toBe('1GB');
    expect(memorySize('064mb', 'x')).toBe('64MB');
  });

  it('refuses other forms and sizes under 64MB, naming what held the value', () => {
    expect(() => memorySize('63MB', 'app setting GOLD_MEMORY_LIMIT')).toThrow('expected app setting GOLD_MEMORY_LIMIT to be a whole number of MB or GB, at least 64MB, such as 256MB or 1GB, got "63MB"');
    for (const bad of ['1.5GB', '1024', '1 TB', '', '-1GB', '80%']) expect(() => memorySize(bad, '--memory-limit')).toThrow(`expected --memory-limit to be a whole number of MB or GB, at least 64MB, such as 256MB or 1GB, got ${JSON.stringify(bad)}`);
  });
});
