// Work ranges rewritten together: each rewrite of a group keeps its own rows, as when it ran
// alone, even for rows silver never holds (one event id on two dates: found by a review); an
// order date outside every rewrite's span is an error, never dropped.
import * as path from 'node:path';
import { LocalLake } from '../../src/adapters/local/local-lake';
import { Duck } from '../../src/gold/duck';
import { GoldFiles } from '../../src/gold/io';
import { rewriteRanges } from '../../src/gold/work';
import type { RewritePlan } from '../../src/gold/plan';
import { tempDirs } from '../helpers/tmp';

const tmp = tempDirs();
const event = (id: string, date: string, status: string, rank: number, hour: string) => `SELECT '${id}' AS event_id, 'X' AS order_id, '${status}' AS status, ${rank} AS status_rank,
  TIMESTAMPTZ '${date} ${hour}:00:00+00' AS event_time, TIMESTAMPTZ '${date} 10:00:00+00' AS order_time, DATE '${date}' AS order_date, 2026 AS order_year, ${Number(date.slice(5, 7))} AS order_month,
  'C1' AS customer_id, 'EU' AS region, 1::BIGINT AS item_count, 10.0::DOUBLE AS order_total_usd, false AS is_high_value_order`;
const line = (id: string, date: string) => `SELECT '${id}' AS event_id, 'X' AS order_id, 1 AS line_number, 'P1' AS product_id, 'W' AS product_name, 'Home' AS category, 1::BIGINT AS quantity, 10.0::DOUBLE AS line_total_usd, DATE '${date}' AS order_date`;
const january: RewritePlan = { month: '2026-01', lo: '2026-01-20', hi: '2026-01-31', replaces: [], rebuild: false };
const february: RewritePlan = { month: '2026-02', lo: '2026-02-01', hi: '2026-02-10', replaces: [], rebuild: false };

/** Rewrites the groups in turn over one silver events and lines file; the merged rows of each, in order. */
async function rewrite(groups: RewritePlan[][], events: string, lines: string): Promise<Record<string, unknown[]>> {
  const dir = tmp();
  const duck = await Duck.open({ dbPath: path.join(dir, 'g.duckdb') });
  const out: Record<string, unknown[]> = { orders: [], events: [], lines: [], progress: [] };
  try {
    const files = new GoldFiles(new LocalLake(path.join(dir, 'lake')), path.join(dir, 'scratch'), duck);
    await files.writeParquet(events, 'silver/order_events/a.parquet');
    await files.writeParquet(lines, 'silver/order_lines/a.parquet');
    await duck.run('CREATE OR REPLACE TEMP TABLE customer_deltas (customer_id VARCHAR, d DATE, dn BIGINT, du BIGINT, dc DECIMAL(38, 0), db DOUBLE)');
    const ctx = { files, run: 1, maxOrders: 100, progress: (m: string) => out['progress']!.push(m) };
    for (const group of groups) {
      await rewriteRanges(ctx, group, { events: ['silver/order_events/a.parquet'], lines: ['silver/order_lines/a.parquet'], longestLineBytes: 0 });
      out['orders']!.push(...(await duck.rows(`SELECT order_id, status, CAST(order_date AS VARCHAR) AS d FROM orders_new ORDER BY d`)));
      out['events']!.push(...(await duck.rows(`SELECT event_id, status, CAST(order_date AS VARCHAR) AS d FROM events_new ORDER BY d`)));
      out['lines']!.push(...(await duck.rows(`SELECT event_id, status, CAST(order_date AS VARCHAR) AS d FROM lines_new ORDER BY d`)));
    }
  } finally {
    duck.close();
  }
  return out;
}

describe('rewriteRanges', () => {
  it('keeps each rewrite of a group apart: one event id on two dates gives what two rewrites alone give', async () => {
    const events = `${event('dup', '2026-01-31', 'PLACED', 1, '10')} UNION ALL ${event('dup', '2026-02-01', 'PAID', 2, '12')}`;
    const lines = `${line('dup', '2026-01-31')} UNION ALL ${line('dup', '2026-02-01')}`;
    const alone = await rewrite([[january], [february]], events, lines);
    const together = await rewrite([[january, february]], events, lines);
    const each = [{ status: 'PLACED', d: '2026-01-31' }, { status: 'PAID', d: '2026-02-01' }];
    expect(together.orders).toEqual(each.map((e) => ({ order_id: 'X', ...e })));
    expect(together.events).toEqual(each.map((e) => ({ event_id: 'dup', ...e })));
    expect(together.lines).toEqual(each.map((e) => ({ event_id: 'dup', ...e })));
    expect({ ...together, progress: [] }).toEqual({ ...alone, progress: [] });
    expect(together.progress).toEqual(['gold: 2 work range rewrites in one pass', 'gold: work 2026-01 2026-01-20..2026-01-31 (merged, 1 orders)', 'gold: work 2026-02 2026-02-01..2026-02-10 (merged, 1 orders)']);
  }, 120_000);

  it("fails on an order date outside every rewrite's span instead of dropping it", async () => {
    const dir = tmp();
    const duck = await Duck.open({ dbPath: path.join(dir, 'g.duckdb') });
    try {
      const files = new GoldFiles(new LocalLake(path.join(dir, 'lake')), path.join(dir, 'scratch'), duck);
      await duck.run('CREATE OR REPLACE TEMP TABLE customer_deltas (customer_id VARCHAR, d DATE, dn BIGINT, du BIGINT, dc DECIMAL(38, 0), db DOUBLE)');
      // A replaced range's order state holding a date its rewrite does not span (a damaged manifest).
      const old = { month: '2026-01', lo: '2026-01-20', hi: '2026-01-31', orders: 1, files: { orders: 'gold/_work/orders/old.parquet' } };
      await files.writeParquet(`SELECT 'X' AS order_id, 'C1' AS customer_id, 'EU' AS region, 'PLACED' AS status, 1 AS status_rank, TIMESTAMPTZ '2026-01-05 10:00:00+00' AS event_time,
        TIMESTAMPTZ '2026-01-05 10:00:00+00' AS order_time, DATE '2026-01-05' AS order_date, 2026 AS order_year, 1 AS order_month, TIMESTAMPTZ '2026-01-05 10:00:00+00' AS order_hour,
        1000::DECIMAL(38, 0) AS total_cents, NULL::DOUBLE AS total_big, 1::BIGINT AS item_count, false AS is_high_value, 'e1' AS current_event_id`, old.files.orders, { stats: false });
      const ctx = { files, run: 2, maxOrders: 100, progress: () => undefined };
      await expect(rewriteRanges(ctx, [{ ...january, replaces: [old] }], { events: [], lines: [], longestLineBytes: 0 }))
        .rejects.toThrow("expected order dates within the rewrites' spans 2026-01-20..2026-01-31, got 2026-01-05");
    } finally {
      duck.close();
    }
  }, 120_000);
});
