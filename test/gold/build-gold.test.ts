// The gold engine on the hand-computed dataset: every table's values, the files it writes, and
// what an independent Delta reader reads. Incremental runs: build-gold-incremental.test.ts.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { runLocal, runGold, openLocalLake } from '../../src/local/runner';
import { buildGold, combineSteps, type GoldSummary } from '../../src/gold/build-gold';
import { goldMemoryLimits } from '../helpers/gold-memory';
import { GOLD_TABLES } from '../../src/gold/tables';
import { readDeltaLog, readDeltaRows, folderFiles } from '../helpers/delta-reader';
import { goldLines } from '../helpers/gold-dataset';
import { tempDirs } from '../helpers/tmp';
import { exportText, goldNow, oneRunLake, rows } from '../helpers/gold-runs';

const tmp = tempDirs();
const now = goldNow;
const oneRun = oneRunLake();

describe('buildGold on the hand-computed dataset', () => {
  it('monthly_revenue', async () => {
    expect(await exportText(oneRun.lakeDir, 'monthly_revenue')).toBe([
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
    expect(await rows(oneRun.lakeDir, 'daily_region_metrics')).toEqual([
      { order_date: '2026-01-10', region: 'EUROPE', total_orders: 2, cancelled_orders: 1, returned_orders: 0, units: 3, gross_revenue_usd: 25, net_revenue_usd: 25, avg_order_value_usd: 25, distinct_customers: 1 },
      { order_date: '2026-01-10', region: 'NORTH_AMERICA', total_orders: 1, cancelled_orders: 0, returned_orders: 1, units: 1, gross_revenue_usd: 600, net_revenue_usd: 0, avg_order_value_usd: 600, distinct_customers: 1 },
      { order_date: '2026-02-01', region: 'EUROPE', total_orders: 2, cancelled_orders: 0, returned_orders: 0, units: 4, gross_revenue_usd: 26.2, net_revenue_usd: 26.2, avg_order_value_usd: 13.1, distinct_customers: 2 },
      { order_date: '2026-02-02', region: 'NORTH_AMERICA', total_orders: 2, cancelled_orders: 0, returned_orders: 0, units: 4, gross_revenue_usd: 50, net_revenue_usd: 50, avg_order_value_usd: 25, distinct_customers: 2 },
      { order_date: '2026-03-05', region: 'EUROPE', total_orders: 1, cancelled_orders: 1, returned_orders: 0, units: 0, gross_revenue_usd: 0, net_revenue_usd: 0, avg_order_value_usd: null, distinct_customers: 0 },
    ]);
  });

  it('category_sales', async () => {
    expect(await rows(oneRun.lakeDir, 'category_sales')).toEqual([
      { order_year: 2026, order_month: 1, category: 'Books', orders: 1, units: 1, revenue_usd: 5, returned_units: 0 },
      { order_year: 2026, order_month: 1, category: 'Home', orders: 2, units: 3, revenue_usd: 620, returned_units: 1 },
      { order_year: 2026, order_month: 2, category: 'Books', orders: 1, units: 3, revenue_usd: 16.2, returned_units: 0 },
      { order_year: 2026, order_month: 2, category: 'Home', orders: 2, units: 3, revenue_usd: 30, returned_units: 0 },
      { order_year: 2026, order_month: 2, category: 'Toys', orders: 1, units: 2, revenue_usd: 30, returned_units: 0 },
    ]);
  });

  it('product_sales: smallest name, ranks with ties by revenue then product_id', async () => {
    expect(await rows(oneRun.lakeDir, 'product_sales')).toEqual([
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
    expect(await rows(oneRun.lakeDir, 'customer_spend')).toEqual([
      { customer_id: 'CUST-1', orders: 2, units: 4, gross_spend_usd: 625, avg_order_value_usd: 312.5, first_order_date: '2026-01-10', last_order_date: '2026-01-10', rank_by_spend: 1 },
      { customer_id: 'CUST-4', orders: 2, units: 3, gross_spend_usd: 30, avg_order_value_usd: 15, first_order_date: '2026-02-01', last_order_date: '2026-02-02', rank_by_spend: 2 },
      { customer_id: 'CUST-5', orders: 1, units: 2, gross_spend_usd: 30, avg_order_value_usd: 30, first_order_date: '2026-02-02', last_order_date: '2026-02-02', rank_by_spend: 3 },
      { customer_id: 'CUST-3', orders: 1, units: 3, gross_spend_usd: 16.2, avg_order_value_usd: 16.2, first_order_date: '2026-02-01', last_order_date: '2026-02-01', rank_by_spend: 4 },
    ]);
  });

  it('rfm_segments as of the latest counting order date', async () => {
    // N = 4, as of 2026-02-02. recency [23, 1, 0, 0], frequency [2, 1, 2, 1], monetary [625, 16.20, 30, 30]
    expect(await rows(oneRun.lakeDir, 'rfm_segments')).toEqual([
      { customer_id: 'CUST-1', as_of_date: '2026-02-02', recency_days: 23, frequency: 2, monetary_usd: 625, r_score: 1, f_score: 3, m_score: 4, rfm_score: '134', segment: 'At Risk' },
      { customer_id: 'CUST-3', as_of_date: '2026-02-02', recency_days: 1, frequency: 1, monetary_usd: 16.2, r_score: 2, f_score: 1, m_score: 1, rfm_score: '211', segment: 'Hibernating' },
      { customer_id: 'CUST-4', as_of_date: '2026-02-02', recency_days: 0, frequency: 2, monetary_usd: 30, r_score: 3, f_score: 3, m_score: 2, rfm_score: '332', segment: 'Needs Attention' },
      { customer_id: 'CUST-5', as_of_date: '2026-02-02', recency_days: 0, frequency: 1, monetary_usd: 30, r_score: 3, f_score: 1, m_score: 2, rfm_score: '312', segment: 'Needs Attention' },
    ]);
  });

  it('hourly_sales', async () => {
    expect(await rows(oneRun.lakeDir, 'hourly_sales')).toEqual([
      { order_hour: '2026-01-10T10:00:00.000Z', region: 'EUROPE', orders: 1, gross_revenue_usd: 25, order_date: '2026-01-10' },
      { order_hour: '2026-01-10T11:00:00.000Z', region: 'NORTH_AMERICA', orders: 1, gross_revenue_usd: 600, order_date: '2026-01-10' },
      { order_hour: '2026-02-01T09:00:00.000Z', region: 'EUROPE', orders: 2, gross_revenue_usd: 26.2, order_date: '2026-02-01' },
      { order_hour: '2026-02-02T12:00:00.000Z', region: 'NORTH_AMERICA', orders: 2, gross_revenue_usd: 50, order_date: '2026-02-02' },
    ]);
  });

  it('order_status_history: SCD2 with collapsed repeats, out-of-order and late events in place', async () => {
    const h = (order: string, status: string, from: string, to: string | null, customer: string, date: string) =>
      ({ order_id: order, status, valid_from: from, valid_to: to, is_current: to === null, customer_id: customer, order_date: date });
    expect(await rows(oneRun.lakeDir, 'order_status_history')).toEqual([
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
    expect(await rows(oneRun.lakeDir, 'data_quality')).toEqual([
      { ingest_date: '2026-03-10', code: 'duplicate_event', action: 'drop', records: 1 },
      { ingest_date: '2026-03-10', code: 'malformed_json', action: 'quarantine', records: 1 },
      { ingest_date: '2026-03-10', code: 'test_order', action: 'drop', records: 1 },
    ]);
    const runs = await rows(oneRun.lakeDir, 'data_quality_runs');
    expect(runs.map(({ run_at: _, batches: __, ...r }) => r)).toEqual([{ run: 1, received: 24, written: 21, quarantined: 1, dropped: 1, duplicates: 1, warned: 0, malformed: 1, replayed_batches: 0 }]);
  });

  it('rfm_segments with --as-of leaves later orders out', async () => {
    const dir = tmp();
    await fs.cp(oneRun.lakeDir, dir, { recursive: true });
    await runGold(dir, { asOf: '2026-01-31', now });
    expect(await rows(dir, 'rfm_segments')).toEqual([
      { customer_id: 'CUST-1', as_of_date: '2026-01-31', recency_days: 21, frequency: 2, monetary_usd: 625, r_score: 1, f_score: 1, m_score: 1, rfm_score: '111', segment: 'Hibernating' },
    ]);
  });

  it('prints CSV with a header, empty cells for nulls', async () => {
    expect((await exportText(oneRun.lakeDir, 'monthly_revenue', 'csv')).split('\n').slice(0, 1).concat((await exportText(oneRun.lakeDir, 'monthly_revenue', 'csv')).split('\n').slice(3, 4))).toEqual([
      'order_year,order_month,total_orders,gross_revenue_usd,net_revenue_usd,units,avg_order_value_usd,cancelled_orders,returned_orders,return_rate_pct,cancellation_rate_pct,high_value_orders',
      '2026,3,1,0.00,0.00,0,,1,0,0.00,100.00,0',
    ]);
  });

  it('does nothing when silver has not changed', async () => {
    const dir = tmp();
    await fs.cp(oneRun.lakeDir, dir, { recursive: true });
    const s = await runGold(dir, { now });
    expect(s).toEqual({ run: null, newBatches: 0, changedDates: 0, tables: [], asOf: null, latestCommitAt: expect.stringMatching(/^2026-03-10T/), filesRead: 0, bytesRead: 0, ordersRewritten: 0, datesWaiting: 0, steps: 1, more: false });
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
    await fs.cp(oneRun.lakeDir, dir, { recursive: true });
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

describe('buildGold memory limit', () => {
  it("sets DuckDB's buffer memory to the one given, 256MB without one", async () => {
    const dir = tmp();
    await fs.cp(oneRun.lakeDir, dir, { recursive: true });
    const limits = await goldMemoryLimits(async () => {
      await runGold(dir, { now, asOf: '2026-03-01', memoryLimit: '128MB' });
      await runGold(dir, { now, asOf: '2026-03-02' });
    });
    expect(limits).toEqual(['122.0 MiB', '244.1 MiB']);
  });
});

describe('gold from an older lake', () => {
  it('rebuilds the work data and every table whole on its first run, with the same exports', async () => {
    const dir = tmp();
    await fs.cp(oneRun.lakeDir, dir, { recursive: true });
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
    const { lake } = openLocalLake(oneRun.lakeDir);
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
        const exported = (await exportText(oneRun.lakeDir, t.name)).split('\n').filter(Boolean);
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
    await fs.cp(oneRun.lakeDir, dir, { recursive: true });
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

