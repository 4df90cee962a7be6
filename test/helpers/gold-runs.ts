// Helpers for the gold engine's tests (test/gold/build-gold*.test.ts): the hand-computed dataset
// (test/helpers/gold-dataset.ts) through the local runner, and gold's exports.
import { promises as fs, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runLocal, openLocalLake } from '../../src/local/runner';
import { exportTable } from '../../src/gold/export';
import { GOLD_TABLES } from '../../src/gold/tables';
import { goldLines, GOLD_NOW } from './gold-dataset';

export const goldNow = () => GOLD_NOW;

/** A gold table's rows as its export gives them. */
export async function rows(lakeDir: string, table: string): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  for await (const line of exportTable(openLocalLake(lakeDir).lake, table)) out.push(JSON.parse(line) as Record<string, unknown>);
  return out;
}

/** A gold table's export as text. */
export async function exportText(lakeDir: string, table: string, format: 'jsonl' | 'csv' = 'jsonl'): Promise<string> {
  let s = '';
  for await (const line of exportTable(openLocalLake(lakeDir).lake, table, format)) s += line + '\n';
  return s;
}

/** The hand-computed dataset through bronze and silver only (no gold yet), batches of 5, in a folder from `tmp`. */
export async function silverOnlyLake(tmp: () => string) {
  const dir = tmp();
  const input = path.join(dir, 'in.jsonl');
  await fs.writeFile(input, goldLines().join('\n') + '\n');
  const lake = path.join(dir, 'lake');
  await runLocal({ input, lakeDir: lake, now: goldNow, batchSize: 5, gold: false });
  const { lake: folder, state } = openLocalLake(lake);
  return { lake, folder, state };
}

/**
 * The hand-computed dataset in one run (batches of 5), built once for a test file by beforeAll:
 * `lakeDir` is its lake; the folder is removed after all.
 */
export function oneRunLake(): { readonly lakeDir: string } {
  let dir: string | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'orderlake-gold-'));
    await fs.writeFile(path.join(dir, 'in.jsonl'), goldLines().join('\n') + '\n');
    await runLocal({ input: path.join(dir, 'in.jsonl'), lakeDir: path.join(dir, 'lake'), now: goldNow, batchSize: 5 });
  }, 180_000);
  afterAll(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });
  return {
    get lakeDir() {
      if (!dir) throw new Error('expected the one-run lake to be built by beforeAll');
      return path.join(dir, 'lake');
    },
  };
}

/** Every table's export in `dir` equals the one in `reference` (data_quality_runs aside: a row per run). */
export async function expectSameExports(dir: string, reference: string): Promise<void> {
  for (const t of GOLD_TABLES) {
    if (t.name === 'data_quality_runs') continue;
    expect(`${t.name}\n${await exportText(dir, t.name)}`).toBe(`${t.name}\n${await exportText(reference, t.name)}`);
  }
}
