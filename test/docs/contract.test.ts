// docs/contract.md is the field-level reference: it must keep up with the code it describes.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ALL_CODES, RECORD_RULES, BATCH_RULES } from '../../src/silver/rules';
import { GOLD_TABLES } from '../../src/gold/tables';
import { RATES_TO_USD, REGIONS, STATUSES } from '../../src/contract/reference';
import { KNOWN_FIELDS } from '../../src/silver/schema';

const doc = readFileSync(path.resolve(__dirname, '../../docs/contract.md'), 'utf8');

/** The text of a `### name` section, up to the next heading. */
function section(name: string): string {
  const start = doc.indexOf(`### ${name}\n`);
  if (start < 0) return '';
  const next = doc.slice(start + 4).search(/\n#{2,3} /);
  return next < 0 ? doc.slice(start) : doc.slice(start, start + 4 + next);
}

describe('docs/contract.md', () => {
  it('lists every rule code with its action, in the rules table', () => {
    const rows = new Map([...doc.matchAll(/^\| `([a-z_]+)` \| (quarantine|drop|warn|fail) \|/gm)].map((m) => [m[1]!, m[2]!]));
    expect([...rows.keys()].sort()).toEqual([...ALL_CODES].sort());
    for (const r of [...RECORD_RULES, ...BATCH_RULES]) expect([r.code, rows.get(r.code)]).toEqual([r.code, r.action]);
    expect(rows.get('duplicate_event')).toBe('drop');
  });

  it('describes every gold table and every column it exports', () => {
    const missing: string[] = [];
    for (const t of GOLD_TABLES) {
      const text = section(t.name.startsWith('data_quality') ? 'data_quality and data_quality_runs' : t.name);
      if (!text) missing.push(t.name);
      for (const c of t.columns) if (!text.includes(`\`${c}\``)) missing.push(`${t.name}.${c}`);
    }
    expect(missing).toEqual([]);
  });

  it('names every event field, status, region and currency', () => {
    const names = [...KNOWN_FIELDS.event, ...[...KNOWN_FIELDS.customer].map((f) => `customer.${f}`), ...STATUSES, ...REGIONS, ...Object.keys(RATES_TO_USD)];
    expect(names.filter((n) => !doc.includes(n))).toEqual([]);
    expect([...KNOWN_FIELDS.item].filter((f) => !doc.includes(f))).toEqual([]);
  });
});
