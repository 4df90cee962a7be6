import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { runLocal, runGold, openLocalLake } from '../../src/local/runner';
import { exportTable } from '../../src/gold/export';
import { buildGold, combineSteps, type GoldSummary } from '../../src/gold/build-gold';
import { GOLD_TABLES } from '../../src/gold/tables';
import { readManifest, writeManifest } from '../../src/gold/state';
import { readDeltaLog, readDeltaRows, folderFiles } from '../helpers/delta-reader';
import { goldLines, GOLD_NOW } from '../helpers/gold-dataset';
import { tempDirs } from '../helpers/tmp';
import { generateEvents, DEFAULT_STREAM } from '../../producer/generator';
import type { CommitLog } from '../../src/pipeline/ports';

const tmp = tempDirs();
const now = () => GOLD_NOW;

async function rows(lakeDir: string, table: string): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  for await (const line of exportTable(openLocalLake(lakeDir).lake, table)) out.push(JSON.parse(line) as Record<string, unknown>);
  return out;
}

async function exportText(lakeDir: string, table: string, format: 'jsonl' | 'csv' = 'jsonl'): Promise<string> {
  let s = '';
  for await (const line of exportTable(openLocalLake(lakeDir).lake, table, format)) s += line + '\n';
  return s;
}

/** The hand-computed dataset through bronze and silver only (no gold yet), batches of 5. */
async function silverOnlyLake() {
  const dir = tmp();
  const input = path.join(dir, 'in.jsonl');
  await fs.writeFile(input, goldLines().join('\n') + '\n');
  const lake = path.join(dir, 'lake');
  await runLocal({ input, lakeDir: lake, now, batchSize: 5, gold: false });
  const { lake: folder, state } = openLocalLake(lake);
  return { lake, folder, state };
}

/** Every table's export equals the one gold run over the dataset (data_quality_runs aside: a row per run). */
async function expectExportsOfOneRun(dir: string): Promise<void> {
  for (const t of GOLD_TABLES) {
    if (t.name === 'data_quality_runs') continue;
    expect(`${t.name}\n${await exportText(dir, t.name)}`).toBe(`${t.name}\n${await exportText(lakeDir, t.name)}`);
  }
}

let lakeDir: string;
let sharedDir: string;
afterAll(async () => {
  await fs.rm(sharedDir, { recursive: true, force: true });
});
beforeAll(async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = (sharedDir = mkdtempSync(path.join(tmpdir(), 'orderlake-gold-')));
  lakeDir = path.join(dir, 'lake');
  await fs.writeFile(path.join(dir, 'in.jsonl'), goldLines().join('\n') + '\n');
  await runLocal({ input: path.join(dir, 'in.jsonl'), lakeDir, now, batchSize: 5 });
}, 180_000);

describe('buildGold on the hand-computed dataset', () => {
  it('monthly_revenue', async () => {
    expect(await exportText(lakeDir, 'monthly_revenue')).toBe([
      // Jan: O1 25.00 + O3 600.00 count (O2 cancelled); net excludes returned O3; 625.00 / 2 orders
      '{"order_year":2026,"order_month":1,"total_orders":3,"gross_revenue_usd":625.00,"net_revenue_usd":25.00,"units":4,"avg_order_value_usd":312.50,"cancelled_orders":1,"returned_orders":1,"return_rate_pct":33.33,"cancellation_rate_pct":33.33,"high_value_orders":1}',
      // Feb: 16.20 + 10.00 + 20.00 + 30.00 = 76.20 over 4 orders
      '{"order_year":2026,"order_month":2,"total_orders":4,"gross_revenue_usd":76.20,"net_revenue_usd":76.20,"units":8,"avg_order_value_usd":19.05,"cancelled_orders":0,"returned_orders":0,"return_rate_pct":0.00,"cancellation_rate_pct":0.00,"high_value_orders":0}',
      // Mar: one cancelled order: no order counts, so the average is a ratio over zero (null)
      '{"order_year":2026,"order_month":3,"total_orders":1,"gross_revenue_usd":0.00,"net_revenue_usd":0.00,"units":0,"avg_order_value_usd":null,"cancelled_orders":1,"returned_orders":0,"return_rate_pct":0.00,"cancellation_rate_pct":100.00,"high_value_orders":0}',
      '',
    ].join('\n'));
  });

  it('daily_region_metrics', async () => {
    expect(await rows(lakeDir, 'daily_region_metrics')).toEqual([
      { order_date: '2026-01-10', region: 'EUROPE', total_orders: 2, cancelled_orders: 1, returned_orders: 0, units: 3, gross_revenue_usd: 25, net_revenue_usd: 25, avg_order_value_usd: 25, distinct_customers: 1 },
      { order_date: '2026-01-10', region: 'NORTH_AMERICA', total_orders: 1, cancelled_orders: 0, returned_orders: 1, units: 1, gross_revenue_usd: 600, net_revenue_usd: 0, avg_order_value_usd: 600, distinct_customers: 1 },
      { order_date: '2026-02-01', region: 'EUROPE', total_orders: 2, cancelled_orders: 0, returned_orders: 0, units: 4, gross_revenue_usd: 26.2, net_revenue_usd: 26.2, avg_order_value_usd: 13.1, distinct_customers: 2 },
      { order_date: '2026-02-02', region: 'NORTH_AMERICA', total_orders: 2, cancelled_orders: 0, returned_orders: 0, units: 4, gross_revenue_usd: 50, net_revenue_usd: 50, avg_order_value_usd: 25, distinct_customers: 2 },
      { order_date: '2026-03-05', region: 'EUROPE', total_orders: 1, cancelled_orders: 1, returned_orders: 0, units: 0, gross_revenue_usd: 0, net_revenue_usd: 0, avg_order_value_usd: null, distinct_customers: 0 },
    ]);
  });

  it('category_sales', async () => {
    expect(await rows(lakeDir, 'category_sales')).toEqual([
      { order_year: 2026, order_month: 1, category: 'Books', orders: 1, units: 1, revenue_usd: 5, returned_units: 0 },
      { order_year: 2026, order_month: 1, category: 'Home', orders: 2, units: 3, revenue_usd: 620, returned_units: 1 },
      { order_year: 2026, order_month: 2, category: 'Books', orders: 1, units: 3, revenue_usd: 16.2, returned_units: 0 },
      { order_year: 2026, order_month: 2, category: 'Home', orders: 2, units: 3, revenue_usd: 30, returned_units: 0 },
      { order_year: 2026, order_month: 2, category: 'Toys', orders: 1, units: 2, revenue_usd: 30, returned_units: 0 },
    ]);
  });

  it('product_sales: smallest name, ranks with ties by revenue then product_id', async () => {
    expect(await rows(lakeDir, 'product_sales')).toEqual([
      { order_year: 2026, order_month: 1, product_id: 'P1', product_name: 'Widget B', category: 'Home', orders: 1, units: 2, revenue_usd: 20, rank_by_units: 1 },
      { order_year: 2026, order_month: 1, product_id: 'P3', product_name: 'Laptop', category: 'Home', orders: 1, units: 1, revenue_usd: 600, rank_by_units: 2 },
      { order_year: 2026, order_month: 1, product_id: 'P2', product_name: 'Book', category: 'Books', orders: 1, units: 1, revenue_usd: 5, rank_by_units: 3 },
      { order_year: 2026, order_month: 2, product_id: 'P1', product_name: 'Widget A', category: 'Home', orders: 2, units: 3, revenue_usd: 30, rank_by_units: 1 },
      { order_year: 2026, order_month: 2, product_id: 'P2', product_name: 'Book', category: 'Books', orders: 1, units: 3, revenue_usd: 16.2, rank_by_units: 2 },
      { order_year: 2026, order_month: 2, product_id: 'P4', product_name: 'Kite', category: 'Toys', orders: 1, units: 1, revenue_usd: 15, rank_by_units: 3 },
      { order_year: 2026, order_month: 2, product_id: 'P5', product_name: 'Yo-yo', category: 'Toys', orders: 1, units: 1, revenue_usd: 15, rank_by_units: 4 },
    ]);
  });

  it('customer_spend: customers with an order that counts, ties by customer_id', async () => {
    expect(await rows(lakeDir, 'customer_spend')).toEqual([
      { customer_id: 'CUST-1', orders: 2, units: 4, gross_spend_usd: 625, avg_order_value_usd: 312.5, first_order_date: '2026-01-10', last_order_date: '2026-01-10', rank_by_spend: 1 },
      { customer_id: 'CUST-4', orders: 2, units: 3, gross_spend_usd: 30, avg_order_value_usd: 15, first_order_date: '2026-02-01', last_order_date: '2026-02-02', rank_by_spend: 2 },
      { customer_id: 'CUST-5', orders: 1, units: 2, gross_spend_usd: 30, avg_order_value_usd: 30, first_order_date: '2026-02-02', last_order_date: '2026-02-02', rank_by_spend: 3 },
      { customer_id: 'CUST-3', orders: 1, units: 3, gross_spend_usd: 16.2, avg_order_value_usd: 16.2, first_order_date: '2026-02-01', last_order_date: '2026-02-01', rank_by_spend: 4 },
    ]);
  });

  it('rfm_segments as of the latest counting order date', async () => {
    // N = 4, as of 2026-02-02. recency [23, 1, 0, 0], frequency [2, 1, 2, 1], monetary [625, 16.20, 30, 30]
    expect(await rows(lakeDir, 'rfm_segments')).toEqual([
      { customer_id: 'CUST-1', as_of_date: '2026-02-02', recency_days: 23, frequency: 2, monetary_usd: 625, r_score: 1, f_score: 3, m_score: 4, rfm_score: '134', segment: 'At Risk' },
      { customer_id: 'CUST-3', as_of_date: '2026-02-02', recency_days: 1, frequency: 1, monetary_usd: 16.2, r_score: 2, f_score: 1, m_score: 1, rfm_score: '211', segment: 'Hibernating' },
      { customer_id: 'CUST-4', as_of_date: '2026-02-02', recency_days: 0, frequency: 2, monetary_usd: 30, r_score: 3, f_score: 3, m_score: 2, rfm_score: '332', segment: 'Needs Attention' },
      { customer_id: 'CUST-5', as_of_date: '2026-02-02', recency_days: 0, frequency: 1, monetary_usd: 30, r_score: 3, f_score: 1, m_score: 2, rfm_score: '312', segment: 'Needs Attention' },
    ]);
  });

  it('hourly_sales', async () => {
    expect(await rows(lakeDir, 'hourly_sales')).toEqual([
      { order_hour: '2026-01-10T10:00:00.000Z', region: 'EUROPE', orders: 1, gross_revenue_usd: 25, order_date: '2026-01-10' },
      { order_hour: '2026-01-10T11:00:00.000Z', region: 'NORTH_AMERICA', orders: 1, gross_revenue_usd: 600, order_date: '2026-01-10' },
      { order_hour: '2026-02-01T09:00:00.000Z', region: 'EUROPE', orders: 2, gross_revenue_usd: 26.2, order_date: '2026-02-01' },
      { order_hour: '2026-02-02T12:00:00.000Z', region: 'NORTH_AMERICA', orders: 2, gross_revenue_usd: 50, order_date: '2026-02-02' },
    ]);
  });

  it('order_status_history: SCD2 with collapsed repeats, out-of-order and late events in place', async () => {
    const h = (order: string, status: string, from: string, to: string | null, customer: string, date: string) =>
      ({ order_id: order, status, valid_from: from, valid_to: to, is_current: to === null, customer_id: customer, order_date: date });
    expect(await rows(lakeDir, 'order_status_history')).toEqual([
      h('ORD-000001', 'PLACED', '2026-01-10T10:15:00.000Z', '2026-01-10T10:20:00.000Z', 'CUST-1', '2026-01-10'),
      h('ORD-000001', 'PAID', '2026-01-10T10:20:00.000Z', '2026-01-11T08:00:00.000Z', 'CUST-1', '2026-01-10'),
      h('ORD-000001', 'SHIPPED', '2026-01-11T08:00:00.000Z', '2026-01-13T15:00:00.000Z', 'CUST-1', '2026-01-10'),
      h('ORD-000001', 'DELIVERED', '2026-01-13T15:00:00.000Z', null, 'CUST-1', '2026-01-10'),
      h('ORD-000002', 'PLACED', '2026-01-10T10:45:00.000Z', '2026-01-10T11:00:00.000Z', 'CUST-2', '2026-01-10'),
      h('ORD-000002', 'CANCELLED', '2026-01-10T11:00:00.000Z', null, 'CUST-2', '2026-01-10'),
      h('ORD-000003', 'PLACED', '2026-01-10T11:05:00.000Z', '2026-01-10T11:06:00.000Z', 'CUST-1', '2026-01-10'),
      h('ORD-000003', 'PAID', '2026-01-10T11:06:00.000Z', '2026-01-15T10:00:00.000Z', 'CUST-1', '2026-01-10'),
      h('ORD-000003', 'DELIVERED', '2026-01-15T10:00:00.000Z', '2026-01-20T10:00:00.000Z', 'CUST-1', '2026-01-10'),
      h('ORD-000003', 'RETURNED', '2026-01-20T10:00:00.000Z', null, 'CUST-1', '2026-01-10'),
      h('ORD-000004', 'PLACED', '2026-02-01T09:00:00.000Z', '2026-02-01T09:10:00.000Z', 'CUST-3', '2026-02-01'),
      h('ORD-000004', 'PAID', '2026-02-01T09:10:00.000Z', null, 'CUST-3', '2026-02-01'),
      h('ORD-000005', 'PLACED', '2026-02-01T09:30:00.000Z', '2026-02-03T10:00:00.000Z', 'CUST-4', '2026-02-01'),
      h('ORD-000005', 'SHIPPED', '2026-02-03T10:00:00.000Z', '2026-02-05T10:00:00.000Z', 'CUST-4', '2026-02-01'),
      h('ORD-000005', 'DELIVERED', '2026-02-05T10:00:00.000Z', null, 'CUST-4', '2026-02-01'),
      h('ORD-000006', 'PLACED', '2026-02-02T12:00:00.000Z', '2026-02-02T12:00:00.000Z', 'CUST-4', '2026-02-02'),
      h('ORD-000006', 'PAID', '2026-02-02T12:00:00.000Z', null, 'CUST-4', '2026-02-02'),
      h('ORD-000007', 'PLACED', '2026-02-02T12:30:00.000Z', null, 'CUST-5', '2026-02-02'),
      h('ORD-000008', 'PLACED', '2026-03-05T08:00:00.000Z', '2026-03-05T09:00:00.000Z', 'CUST-6', '2026-03-05'),
      h('ORD-000008', 'CANCELLED', '2026-03-05T09:00:00.000Z', null, 'CUST-6', '2026-03-05'),
    ]);
  });

  it('data_quality and its per-run counts', async () => {
    expect(await rows(lakeDir, 'data_quality')).toEqual([
      { ingest_date: '2026-03-10', code: 'duplicate_event', action: 'drop', records: 1 },
      { ingest_date: '2026-03-10', code: 'malformed_json', action: 'quarantine', records: 1 },
      { ingest_date: '2026-03-10', code: 'test_order', action: 'drop', records: 1 },
    ]);
    const runs = await rows(lakeDir, 'data_quality_runs');
    expect(runs.map(({ run_at: _, batches: __, ...r }) => r)).toEqual([{ run: 1, received: 24, written: 21, quarantined: 1, dropped: 1, duplicates: 1, warned: 0, malformed: 1, replayed_batches: 0 }]);
  });

  it('rfm_segments with --as-of leaves later orders out', async () => {
    const dir = tmp();
    await fs.cp(lakeDir, dir, { recursive: true });
    await runGold(dir, { asOf: '2026-01-31', now });
    expect(await rows(dir, 'rfm_segments')).toEqual([
      { customer_id: 'CUST-1', as_of_date: '2026-01-31', recency_days: 21, frequency: 2, monetary_usd: 625, r_score: 1, f_score: 1, m_score: 1, rfm_score: '111', segment: 'Hibernating' },
    ]);
  });

  it('prints CSV with a header, empty cells for nulls', async () => {
    expect((await exportText(lakeDir, 'monthly_revenue', 'csv')).split('\n').slice(0, 1).concat((await exportText(lakeDir, 'monthly_revenue', 'csv')).split('\n').slice(3, 4))).toEqual([
      'order_year,order_month,total_orders,gross_revenue_usd,net_revenue_usd,units,avg_order_value_usd,cancelled_orders,returned_orders,return_rate_pct,cancellation_rate_pct,high_value_orders',
      '2026,3,1,0.00,0.00,0,,1,0,0.00,100.00,0',
    ]);
  });

  it('does nothing when silver has not changed', async () => {
    const dir = tmp();
    await fs.cp(lakeDir, dir, { recursive: true });
    const s = await runGold(dir, { now });
    expect(s).toEqual({ run: null, newBatches: 0, changedDates: 0, tables: [], asOf: null, latestCommitAt: expect.stringMatching(/^2026-03-10T/), filesRead: 0, bytesRead: 0, ordersRewritten: 0, datesWaiting: 0, steps: 1, more: false });
  });
});

describe('buildGold incrementally', () => {
  it('gives byte-for-byte the same exports for the input in two halves as in one run', async () => {
    const dir = tmp();
    const lines = goldLines();
    const input = path.join(dir, 'in.jsonl');
    await fs.writeFile(input, lines.slice(0, 12).join('\n') + '\n');
    const two = path.join(dir, 'two');
    await runLocal({ input, lakeDir: two, now, batchSize: 5 });
    await fs.appendFile(input, lines.slice(12).join('\n') + '\n');
    const second = await runLocal({ input, lakeDir: two, now, batchSize: 5 });
    // The second half touched February and March only: January's partitions were not rewritten.
    expect(second.gold?.changedDates).toBe(3); // 2026-02-01, 2026-02-02, 2026-03-05
    // A run rewrites the ranges of those dates whole: here one range a month, February's and March's.
    const ranges = (await readManifest(openLocalLake(two).lake))!.ranges;
    expect(ranges.map((r) => r.month)).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(second.gold?.ordersRewritten).toBe(ranges[1]!.orders + ranges[2]!.orders);
    for (const t of GOLD_TABLES) {
      if (t.name === 'data_quality_runs') continue; // a log of runs: two runs here, one there
      expect(`${t.name}\n${await exportText(two, t.name)}`).toBe(`${t.name}\n${await exportText(lakeDir, t.name)}`);
    }
  });

  it('takes a backlog in steps of at most maxCommitsPerStep commits, with the same exports as one step', async () => {
    const { lake, folder, state } = await silverOnlyLake();
    const batches = (await state.commits.since(undefined)).commits.length;
    expect(batches).toBeGreaterThan(3);
    // Past its deadline, a run takes one step and leaves the rest for the next run.
    const progress: string[] = [];
    const deps = { lake: folder, commits: state.commits, documents: state.documents, now, maxCommitsPerStep: 2, onProgress: (m: string) => progress.push(m) };
    const first = await buildGold(deps, { deadline: Date.now() });
    expect([first.steps, first.newBatches, first.more]).toEqual([1, 2, true]);
    const rest = await buildGold(deps);
    expect([rest.steps, rest.newBatches, rest.more]).toEqual([Math.ceil((batches - 2) / 2), batches - 2, false]);
    expect(rest.run).toBe(1 + rest.steps);
    expect(progress.filter((m) => m.startsWith('gold: step '))).toHaveLength(rest.steps - 1);
    await expectExportsOfOneRun(lake); // data_quality_runs aside: one row a step
    const runs = await rows(lake, 'data_quality_runs');
    expect(runs.map((r) => Number(r['batches']))).toEqual([2, ...Array.from({ length: rest.steps }, (_, i) => Math.min(2, batches - 2 - 2 * i))]);
  });

  it('with a fold policy, applies hot dates at once, folds cold ones later, oldest first, and ends with the exports of one run', async () => {
    const { lake, folder, state } = await silverOnlyLake();
    const batches = (await state.commits.since(undefined)).commits.length;
    // March is hot (from 2026-03-01, 9 days before now); every date its own range; one cold date a run.
    const deps = { lake: folder, commits: state.commits, documents: state.documents, now, maxCommitsPerStep: 2, limits: { maxOrders: 1, minOrders: 0 }, fold: { hotDays: 9, coldOrdersPerRun: 1 } };
    const taken = await buildGold(deps);
    expect([taken.newBatches, taken.more]).toEqual([batches, false]);
    const waiting = (await readManifest(folder))!.deferred ?? [];
    expect(taken.datesWaiting).toBe(waiting.length);
    // The first step (a first build) took its dates at once; later steps deferred the cold dates they touched.
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.every((d) => d.date < '2026-03-01')).toBe(true);
    // The hot order (O8, placed 2026-03-05) is in gold as in one run; some cold change is not yet.
    const o8 = async (dir: string) => (await rows(dir, 'order_status_history')).filter((r) => r['order_id'] === 'ORD-000008');
    expect(await o8(lake)).toEqual(await o8(lakeDir));
    expect((await o8(lake)).length).toBeGreaterThan(0);
    expect(await exportText(lake, 'order_status_history')).not.toBe(await exportText(lakeDir, 'order_status_history'));
    let runs = 0;
    const folded: string[][] = [];
    for (let left = waiting.length; left > 0; runs++) {
      const s = await buildGold(deps);
      expect([s.newBatches, s.run]).toEqual([0, taken.run! + runs + 1]); // not idle while dates wait
      const now = ((await readManifest(folder))!.deferred ?? []).map((d) => d.date);
      folded.push(waiting.map((d) => d.date).filter((d) => !now.includes(d) && !folded.flat().includes(d)));
      expect(now.length).toBeLessThan(left);
      left = now.length;
    }
    // One date a run, the oldest deferral first.
    expect(folded).toEqual([...waiting].sort((a, b) => a.since - b.since || a.date.localeCompare(b.date)).map((d) => [d.date]));
    expect((await buildGold(deps)).run).toBeNull(); // idle once nothing waits
    await expectExportsOfOneRun(lake);
  });

  it('gives the exports of one run when a step reaches ranges of a month that an untouched range separates', async () => {
    // A generated month in batches of 40, taken in one batch a step, in ranges of at most 30
    // orders: a batch's events reach dates all over the month, so non-adjacent ranges at once.
    const dir = tmp();
    const input = path.join(dir, 'in.jsonl');
    await fs.writeFile(input, [...generateEvents({ ...DEFAULT_STREAM, seed: 3, events: 1200, days: 25, end: new Date('2026-05-28T00:00:00Z') })].join('\n') + '\n');
    const june = () => new Date('2026-06-01T00:00:00Z');
    const whole = path.join(dir, 'whole');
    await runLocal({ input, lakeDir: whole, now: june, batchSize: 40 });
    const stepped = path.join(dir, 'stepped');
    await runLocal({ input, lakeDir: stepped, now: june, batchSize: 40, gold: false });
    const { lake: folder, state } = openLocalLake(stepped);
    const s = await buildGold({ lake: folder, commits: state.commits, documents: state.documents, now: june, maxCommitsPerStep: 1, limits: { maxOrders: 30, minOrders: 0 } });
    expect(s.steps).toBeGreaterThan(10);
    const ranges = (await readManifest(folder))!.ranges;
    expect(ranges.filter((r) => r.month === '2026-05').length).toBeGreaterThan(5);
    // No two ranges claim the same date.
    for (const [i, r] of ranges.entries()) expect(ranges.filter((o, j) => j !== i && o.lo <= r.hi && r.lo <= o.hi)).toEqual([]);
    for (const t of GOLD_TABLES) {
      if (t.name === 'data_quality_runs') continue;
      expect(`${t.name}\n${await exportText(stepped, t.name)}`).toBe(`${t.name}\n${await exportText(whole, t.name)}`);
    }
  });

  it('repairs a manifest whose ranges overlap: the month rebuilt from silver, the customer state from every order', async () => {
    const { lake, folder, state } = await silverOnlyLake();
    const deps = { lake: folder, commits: state.commits, documents: state.documents, now, limits: { maxOrders: 1, minOrders: 0 } };
    await buildGold(deps);
    // What the old planner could leave: a second range over 2026-02-01's dates, with the same files (its orders counted twice).
    const m = (await readManifest(folder))!;
    const feb1 = m.ranges.find((r) => r.lo <= '2026-02-01' && '2026-02-01' <= r.hi)!;
    await writeManifest(folder, { ...m, ranges: [...m.ranges, { ...feb1, files: { ...feb1.files }, lo: '2026-02-01', hi: '2026-02-01' }] });
    // A run with no new commit repairs it: February rebuilt from silver, and the customers from every order.
    const s = await buildGold(deps);
    expect([s.newBatches, s.run]).toEqual([0, m.runs + 1]);
    const after = (await readManifest(folder))!.ranges.filter((r) => r.month === '2026-02');
    expect(after.filter((r) => r.lo <= '2026-02-01' && '2026-02-01' <= r.hi)).toHaveLength(1);
    await expectExportsOfOneRun(lake);
  });

  it('writes one file per month partition for the rollup tables however many ranges a month has, one per range for order_status_history', async () => {
    const { lake, folder, state } = await silverOnlyLake();
    // Ranges of one order at most: every date is a range of its own.
    await buildGold({ lake: folder, commits: state.commits, documents: state.documents, now, limits: { maxOrders: 1, minOrders: 0 } });
    const ranges = (await readManifest(folder))!.ranges;
    const liveByMonth = async (table: string) => {
      const count: Record<string, number> = {};
      for (const f of (await readDeltaLog(folderFiles(path.join(lake, 'gold', table)))).files) {
        const key = `${f.partitionValues['order_year']}-${f.partitionValues['order_month']}`;
        count[key] = (count[key] ?? 0) + 1;
      }
      return count;
    };
    const rangesByMonth: Record<string, number> = {};
    for (const r of ranges) rangesByMonth[`${Number(r.month.slice(0, 4))}-${Number(r.month.slice(5, 7))}`] = (rangesByMonth[`${Number(r.month.slice(0, 4))}-${Number(r.month.slice(5, 7))}`] ?? 0) + 1;
    expect(Math.max(...Object.values(rangesByMonth))).toBeGreaterThan(1);
    const months = Object.fromEntries(Object.keys(rangesByMonth).map((m) => [m, 1]));
    expect(await liveByMonth('daily_region_metrics')).toEqual(months);
    expect(await liveByMonth('hourly_sales')).toEqual({ '2026-1': 1, '2026-2': 1 }); // March's one order was cancelled: no hourly rows, no file
    expect(await liveByMonth('order_status_history')).toEqual(rangesByMonth);
    await expectExportsOfOneRun(lake);
  });

  it('leaves a batch committed while it runs to the next run, whole: never planned without its rows', async () => {
    const dir = tmp();
    const lines = goldLines();
    const input = path.join(dir, 'in.jsonl');
    await fs.writeFile(input, lines.slice(0, 12).join('\n') + '\n');
    const lake = path.join(dir, 'lake');
    await runLocal({ input, lakeDir: lake, now, batchSize: 5, gold: false });
    await fs.appendFile(input, lines.slice(12).join('\n') + '\n');
    // Silver instances commit the rest while gold runs: right after gold first reads the commit log.
    const { lake: folder, state } = openLocalLake(lake);
    let concurrent: Promise<unknown> | undefined;
    const log = state.commits;
    const commits: CommitLog = {
      head: (p) => log.head(p), commit: (c, h) => log.commit(c, h), heads: () => log.heads(), all: () => log.all(),
      since: async (cursor, limit) => {
        const r = await log.since(cursor, limit);
        concurrent ??= runLocal({ input, lakeDir: lake, now, batchSize: 5, gold: false });
        await concurrent;
        return r;
      },
    };
    const first = await buildGold({ lake: folder, commits, documents: state.documents, now });
    const second = await buildGold({ lake: folder, commits: state.commits, documents: state.documents, now });
    expect([first.newBatches > 0, second.newBatches > 0]).toEqual([true, true]);
    for (const t of GOLD_TABLES) {
      if (t.name === 'data_quality_runs') continue;
      expect(`${t.name}\n${await exportText(lake, t.name)}`).toBe(`${t.name}\n${await exportText(lakeDir, t.name)}`);
    }
    const silver = await readDeltaRows(folderFiles(path.join(lake, 'silver', 'order_events')));
    expect(silver.length).toBe((await rows(lakeDir, 'data_quality_runs')).reduce((n, r) => n + Number(r['written']), 0));
  });

  it('rewrites only the work range and the partitions a late event touches, keeping the replaced files for readers', async () => {
    const dir = tmp();
    await fs.cp(lakeDir, dir, { recursive: true });
    const late = JSON.stringify({
      event_id: '00000000-0000-4000-8000-999999999999', order_id: 'ORD-000004', status: 'CANCELLED', event_time: '2026-02-06T00:00:00Z',
      order_time: '2026-02-01T09:00:00Z', customer: { id: 'CUST-3' }, region: 'EUROPE', currency: 'EUR',
      items: [{ product_id: 'P2', product_name: 'Book', category: 'Books', quantity: 3, unit_price: 5 }], total_amount: 15,
    });
    await fs.writeFile(path.join(dir, 'late.jsonl'), late + '\n');
    const { lake } = openLocalLake(dir);
    const manifestBefore = (await readManifest(lake))!;
    const january = (table: string) => fs.readdir(path.join(dir, 'gold', table, 'order_year=2026', 'order_month=1'));
    const before = { history: await january('order_status_history'), hourly: await january('hourly_sales'), region: await january('daily_region_metrics') };
    const r = await runLocal({ input: path.join(dir, 'late.jsonl'), lakeDir: dir, now });
    expect(r.gold?.changedDates).toBe(1);
    // One range per month in this small lake: only February's is rewritten, January's files stay as they were.
    const manifestAfter = (await readManifest(lake))!;
    expect(manifestAfter.ranges.map((x) => [x.month, x.lo, x.hi])).toEqual(manifestBefore.ranges.map((x) => [x.month, x.lo, x.hi]));
    expect(manifestAfter.ranges.filter((x) => x.month !== '2026-02')).toEqual(manifestBefore.ranges.filter((x) => x.month !== '2026-02'));
    expect({ history: await january('order_status_history'), hourly: await january('hourly_sales'), region: await january('daily_region_metrics') }).toEqual(before);
    for (const table of ['order_status_history', 'daily_region_metrics', 'hourly_sales']) {
      expect(r.gold!.tables.find((t) => t.name === table)).toMatchObject({ partitions: 1, files: 1 });
    }
    // The files February's commit replaced are still there (a reader of the previous version keeps reading).
    const feb = await fs.readdir(path.join(dir, 'gold', 'order_status_history', 'order_year=2026', 'order_month=2'));
    expect(feb.length).toBe(2);
    expect((await rows(dir, 'monthly_revenue'))[1]).toMatchObject({ order_month: 2, total_orders: 4, cancelled_orders: 1, gross_revenue_usd: 60 });
    // The cancellation took CUST-3's only counting order: the customer state forgets them.
    expect((await rows(dir, 'customer_spend')).find((c) => c['customer_id'] === 'CUST-3')).toBeUndefined();
    // Incremental equals whole: every export equals one run over all the events.
    const whole = path.join(tmp(), 'whole');
    await fs.writeFile(path.join(path.dirname(whole), 'all.jsonl'), [...goldLines(), late].join('\n') + '\n');
    await runLocal({ input: path.join(path.dirname(whole), 'all.jsonl'), lakeDir: whole, now, batchSize: 5 });
    for (const t of GOLD_TABLES) {
      if (t.name === 'data_quality_runs') continue;
      expect(`${t.name}\n${await exportText(dir, t.name)}`).toBe(`${t.name}\n${await exportText(whole, t.name)}`);
    }
  });
});

describe('combineSteps', () => {
  it('sums the counts of two steps, keeps the later state and each table\'s latest commit', () => {
    const step = (over: Partial<GoldSummary>): GoldSummary => ({ run: null, newBatches: 0, changedDates: 0, tables: [], asOf: null, latestCommitAt: null, filesRead: 0, bytesRead: 0, ordersRewritten: 0, datesWaiting: 0, steps: 1, more: false, ...over });
    const a = step({ run: 3, newBatches: 2000, changedDates: 5, tables: [{ name: 'hourly_sales', version: 7, partitions: 2, files: 2 }, { name: 'data_quality', version: 3, partitions: 1, files: 1 }], latestCommitAt: '2026-03-01T00:00:00Z', filesRead: 10, bytesRead: 100, ordersRewritten: 120, datesWaiting: 3, more: true });
    const b = step({ run: 4, newBatches: 15, changedDates: 2, tables: [{ name: 'hourly_sales', version: 8, partitions: 1, files: 1 }], asOf: '2026-03-02', filesRead: 1, bytesRead: 5, ordersRewritten: 30, datesWaiting: 1 });
    expect(combineSteps(a, b)).toEqual({
      run: 4, newBatches: 2015, changedDates: 7, asOf: '2026-03-02', latestCommitAt: '2026-03-01T00:00:00Z', filesRead: 11, bytesRead: 105, ordersRewritten: 150, datesWaiting: 1, steps: 2, more: false,
      tables: [{ name: 'hourly_sales', version: 8, partitions: 1, files: 1 }, { name: 'data_quality', version: 3, partitions: 1, files: 1 }],
    });
    // An idle last step keeps the run number and what still waits.
    expect([combineSteps(b, step({})).run, combineSteps(b, step({})).datesWaiting]).toEqual([4, 1]);
  });
});

describe('buildGold scratch folder', () => {
  it("sweeps what a killed run left (a half-written DuckDB file, spill files) and leaves nothing behind", async () => {
    const dir = tmp();
    await fs.cp(lakeDir, dir, { recursive: true });
    const scratch = openLocalLake(dir).state.goldScratch;
    expect(scratch).toBe(path.join(dir, '_state', 'gold-scratch'));
    await fs.mkdir(path.join(scratch, 'duckdb-spill'), { recursive: true });
    await fs.writeFile(path.join(scratch, 'gold.duckdb'), 'not a database: the run was killed while writing it');
    await fs.writeFile(path.join(scratch, 'duckdb-spill', 'duckdb_temp_storage-0.tmp'), Buffer.alloc(4096));
    const s = await runGold(dir, { now, asOf: '2026-03-01' }); // a new as-of date makes a run
    expect(s.run).toBe(2);
    expect(s.tables.map((t) => t.name)).toEqual(['rfm_segments']);
    await expect(fs.stat(scratch)).rejects.toMatchObject({ code: 'ENOENT' });
    // Killed after its last commit, before removing its scratch: the next run has nothing to do, and still sweeps it.
    await fs.mkdir(scratch);
    expect((await runGold(dir, { now, asOf: '2026-03-01' })).run).toBeNull();
    await expect(fs.stat(scratch)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('gold from an older lake', () => {
  it('rebuilds the work data and every table whole on its first run, with the same exports', async () => {
    const dir = tmp();
    await fs.cp(lakeDir, dir, { recursive: true });
    const expected = new Map<string, string>();
    for (const t of GOLD_TABLES) if (t.name !== 'data_quality_runs') expected.set(t.name, await exportText(dir, t.name));
    // A lake of the previous version has no gold manifest (and other file layouts).
    const { lake } = openLocalLake(dir);
    await lake.deleteFile('gold/_work/manifest.json');
    const s = await runGold(dir, { now });
    expect(s.run).toBe(2);
    expect(s.tables.length).toBe(GOLD_TABLES.length);
    for (const [name, text] of expected) expect(`${name}\n${await exportText(dir, name)}`).toBe(`${name}\n${text}`);
  });
});

describe('gold files', () => {
  it('are the files the Delta log lists (replaced ones stay until vacuum), V1 pages with plain or dictionary encodings, with stats, and read back equal to the export', async () => {
    const { Duck, litList } = await import('../../src/gold/duck');
    const { readSnapshot } = await import('../../src/delta');
    const { lake } = openLocalLake(lakeDir);
    const duck = await Duck.open();
    try {
      for (const t of GOLD_TABLES) {
        const snap = await readSnapshot(lake, `gold/${t.name}`);
        const listed = [...snap.files.values()].map((f) => `gold/${t.name}/${f.key}`).sort();
        const onDisk = (await lake.list(`gold/${t.name}`)).filter((p) => !p.includes('/_delta_log/'));
        // One run: nothing replaced yet, so the folder holds exactly the snapshot.
        expect(onDisk).toEqual(listed);
        for (const f of snap.files.values()) expect(f.stats).toMatchObject({ numRecords: expect.any(Number), nullCount: expect.any(Object) });
        const files = listed.map((p) => lake.localPath(p));
        const enc = await duck.rows(`SELECT DISTINCT unnest(string_split(encodings, ',')) AS e FROM parquet_metadata(${litList(files)})`);
        for (const r of enc) expect(['PLAIN', 'PLAIN_DICTIONARY', 'RLE_DICTIONARY', 'RLE', 'BIT_PACKED']).toContain(String(r['e']).trim());
        // Every column, partition columns included, is inside the files.
        const cols = (await duck.columns(`read_parquet(${litList(files)}, hive_partitioning = false)`)).map((c) => c.name);
        for (const c of [...t.columns, ...t.partitionBy]) expect(cols).toContain(c);
        const n = await duck.rows(`SELECT count(*) AS n FROM read_parquet(${litList(files)}, hive_partitioning = false)`);
        const exported = (await exportText(lakeDir, t.name)).split('\n').filter(Boolean);
        expect(Number(n[0]!['n'])).toBe(exported.length);
        expect(snap.files.size ? [...snap.files.values()].reduce((s, f) => s + Number(f.stats?.numRecords ?? 0), 0) : 0).toBe(exported.length);
      }
      // One value read straight from Parquet, not through export: January's gross revenue.
      const snap = await readSnapshot(lake, 'gold/monthly_revenue');
      const files = [...snap.files.values()].map((f) => lake.localPath(`gold/monthly_revenue/${f.key}`));
      const jan = await duck.rows(`SELECT CAST(gross_revenue_usd AS VARCHAR) AS g FROM read_parquet(${litList(files)}) WHERE order_month = 1`);
      expect(jan).toEqual([{ g: '625.00' }]);
    } finally {
      duck.close();
    }
  });

  it('are never half-published: a reader through the Delta log sees the old or the new table at every step', async () => {
    const dir = tmp();
    await fs.cp(lakeDir, dir, { recursive: true });
    const { lake, state } = openLocalLake(dir);
    const oldExport = await exportText(dir, 'monthly_revenue');
    // New silver: a late cancellation of O7, so February changes.
    const late = JSON.stringify({
      event_id: '00000000-0000-4000-8000-888888888888', order_id: 'ORD-000007', status: 'CANCELLED', event_time: '2026-02-03T00:00:00Z',
      order_time: '2026-02-02T12:30:00Z', customer: { id: 'CUST-5' }, region: 'NORTH_AMERICA', currency: 'USD',
      items: [{ product_id: 'P4', product_name: 'Kite', category: 'Toys', quantity: 1, unit_price: 30 }], total_amount: 30,
    });
    await fs.writeFile(path.join(dir, 'late.jsonl'), late + '\n');
    await runLocal({ input: path.join(dir, 'late.jsonl'), lakeDir: dir, now, gold: false });
    const seen = new Set<string>();
    const observe = async () => seen.add(await exportText(dir, 'monthly_revenue'));
    const watched = {
      writeFile: async (p: string, d: string | Uint8Array) => { await observe(); await lake.writeFile(p, d); await observe(); },
      writeFileIfAbsent: async (p: string, d: string | Uint8Array) => { await observe(); const r = await lake.writeFileIfAbsent(p, d); await observe(); return r; },
      deleteFile: async (p: string) => { await observe(); await lake.deleteFile(p); await observe(); },
      readFile: (p: string) => lake.readFile(p),
      list: (p: string) => lake.list(p),
      localPath: (p: string) => lake.localPath(p),
      sweepTemporary: (d: Date) => lake.sweepTemporary(d),
    };
    await buildGold({ lake: watched, commits: state.commits, documents: state.documents, now });
    const newExport = await exportText(dir, 'monthly_revenue');
    expect(newExport).not.toBe(oldExport);
    expect([...seen].sort()).toEqual([oldExport, newExport].sort());
  });
});

describe('gold tables to any Delta reader', () => {
  it('are read from a Parquet checkpoint after ten versions, with the export\'s rows, by an independent reader sharing no code with src/delta', async () => {
    const dir = tmp();
    const lakeDir = path.join(dir, 'lake');
    const lines = goldLines();
    // One run per slice of the input: each run with new batches commits every table, so after
    // eleven runs every table has version 10 and its checkpoint.
    const input = path.join(dir, 'in.jsonl');
    await fs.writeFile(input, '');
    for (let i = 0; i < 11; i++) {
      await fs.appendFile(input, lines.slice(i * 2, i === 10 ? undefined : i * 2 + 2).join('\n') + '\n');
      await runLocal({ input, lakeDir, now, batchSize: 5 });
    }
    for (const t of GOLD_TABLES) {
      const files = folderFiles(path.join(lakeDir, 'gold', t.name));
      const log = await readDeltaLog(files);
      expect([t.name, log.checkpoint !== null && log.checkpoint >= 10]).toEqual([t.name, true]);
      expect(log.configuration).toMatchObject({ 'delta.checkpointInterval': '10', 'delta.deletedFileRetentionDuration': 'interval 7 days' });
      expect([t.name, (await readDeltaRows(files, log)).length]).toEqual([t.name, (await rows(lakeDir, t.name)).length]);
    }
  });
});

