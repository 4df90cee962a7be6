import { partitionSources } from '../../src/gold/strategies';

describe('partitionSources', () => {
  const all = ['r1', 'r2', 'r3', 'r4', 'r5'];

  it('keeps the current rows outside what changed when that reads fewer files', () => {
    expect(partitionSources(all, ['r4', 'r5'], ['part-r9.parquet'])).toEqual({ rollups: ['r4', 'r5'], keep: ['part-r9.parquet'] });
  });

  it('reads every range\'s rollups when that is as few files, or there are no current rows', () => {
    expect(partitionSources(all, ['r2', 'r3', 'r4', 'r5'], ['part-r9.parquet'])).toEqual({ rollups: all, keep: [] });
    expect(partitionSources(all, ['r5'], [])).toEqual({ rollups: all, keep: [] });
    expect(partitionSources(['r1'], ['r1'], ['part-r9.parquet'])).toEqual({ rollups: ['r1'], keep: [] });
  });
});
