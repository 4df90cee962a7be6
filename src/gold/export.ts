// `orderlake export`: a gold table as JSON lines or CSV, read through its Delta log (the
// committed snapshot, never a half-written file). Dates YYYY-MM-DD, timestamps ISO-8601
// UTC with milliseconds and Z, money and rates with 2 decimals, counts as integers.
import { Duck, litList } from './duck';
import { tryReadSnapshot } from '../delta';
import { goldTable } from './tables';
import { GOLD_ROOT } from './build-gold';
import type { Lake } from '../pipeline/ports';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type ExportFormat = 'jsonl' | 'csv';

/** How a column is printed: as a JSON number/boolean (raw) or a JSON string. */
function printExpr(name: string, type: string): { sql: string; raw: boolean } {
  const t = type.toUpperCase();
  if (t === 'DATE') return { sql: `strftime(${name}, '%Y-%m-%d')`, raw: false };
  if (t.startsWith('TIMESTAMP')) return { sql: `strftime(${name}, '%Y-%m-%dT%H:%M:%S.%gZ')`, raw: false };
  if (t === 'VARCHAR') return { sql: name, raw: false };
  // DECIMAL prints with its scale (12.30), integers and booleans as they are.
  return { sql: `CAST(${name} AS VARCHAR)`, raw: true };
}

/**
 * A CSV cell. Text that a spreadsheet would run as a formula (it starts with =, +, -, @, a tab
 * or a carriage return: a product name like `=HYPERLINK(...)`) gets a leading single quote, as
 * OWASP's CSV injection advice says; numbers are never text here, so -12.50 stays a number.
 */
export function csvField(v: string | null, text: boolean): string {
  if (v === null) return '';
  const safe = text && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Lines of the export, header first for CSV. */
export async function* exportTable(lake: Lake, name: string, format: ExportFormat = 'jsonl'): AsyncGenerator<string> {
  const table = goldTable(name);
  const root = `${GOLD_ROOT}/${table.name}`;
  const snap = await tryReadSnapshot(lake, root);
  if (!snap) throw new Error(`gold table ${name} does not exist yet in this lake; run 'orderlake gold' (or 'orderlake run') first`);
  const paths = [...snap.files.values()].map((f) => `${root}/${f.key}`).sort();
  const tmp = lake.localPath ? undefined : await fs.mkdtemp(path.join(os.tmpdir(), 'orderlake-export-'));
  const duck = await Duck.open();
  try {
    const local = await Promise.all(paths.map(async (p) => {
      if (lake.localPath) return lake.localPath(p);
      const target = path.join(tmp!, ...p.split('/'));
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, await lake.readFile(p));
      return target;
    }));
    if (format === 'csv') yield table.columns.join(',');
    if (!local.length) return;
    await duck.run(`CREATE TEMP VIEW t AS SELECT * FROM read_parquet(${litList(local)}, hive_partitioning = false)`);
    const types = new Map((await duck.columns('t')).map((c) => [c.name, c.type]));
    const printed = table.columns.map((c) => ({ name: c, ...printExpr(c, types.get(c) ?? 'VARCHAR') }));
    const rows = await duck.rows(`SELECT ${printed.map((p, i) => `${p.sql} AS c${i}`).join(', ')} FROM t ORDER BY ${table.orderBy.join(', ')}`);
    for (const row of rows) {
      const values = printed.map((_, i) => row[`c${i}`] as string | null);
      if (format === 'csv') yield values.map((v, i) => csvField(v, !printed[i]!.raw)).join(',');
      else yield `{${printed.map((p, i) => `${JSON.stringify(p.name)}:${values[i] === null ? 'null' : p.raw ? values[i] : JSON.stringify(values[i])}`).join(',')}}`;
    }
  } finally {
    duck.close();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  }
}
