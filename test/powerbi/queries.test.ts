import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { GOLD_TABLES } from '../../src/gold/tables';

const dir = path.resolve(__dirname, '../../powerbi');

describe('powerbi queries', () => {
  it('has one query per gold table, and nothing else but the parameter', () => {
    expect(readdirSync(dir).sort()).toEqual([...GOLD_TABLES.map((t) => `${t.name}.pq`), 'OrderlakeLakeUrl.pq'].sort());
  });

  it.each(GOLD_TABLES.map((t) => [t.name, t] as const))('%s reads its Delta table and types money as fixed decimal', (name, t) => {
    const m = readFileSync(path.join(dir, `${name}.pq`), 'utf8');
    expect(m).toContain(`AzureStorage.DataLake(OrderlakeLakeUrl & "/gold/${name}", [HierarchicalNavigation = true])`);
    expect(m).toContain('DeltaLake.Table(Source)');
    for (const c of t.columns.filter((x) => x.endsWith('_usd'))) expect(m).toContain(`{"${c}", Currency.Type}`);
  });
});
