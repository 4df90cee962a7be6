// The yardstick for figure 2: the gold tables computed by a minimal, hand-written DuckDB
// script from the same silver, in one pass, straight to Parquet: no work data kept, no
// incremental bookkeeping, no Delta log. It reuses the table SQL (the same formulas), so
// the comparison measures the engine's overhead, not different queries.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Duck, lit, litList, sqlFile } from '../src/gold/duck';
import { GOLD_TABLES } from '../src/gold/tables';
import { EVENT_COLUMNS, LINE_COLUMNS, ORDER_COLUMNS, emptyOf } from '../src/gold/work-schema';

export async function handwrittenGold(lakeDir: string, outDir: string, tables: readonly string[] = GOLD_TABLES.filter((t) => t.scope !== 'dq' && t.scope !== 'runs').map((t) => t.name)): Promise<number> {
  const list = async (dir: string): Promise<string[]> => {
    const out: string[] = [];
    const walk = async (d: string) => {
      for (const e of await fs.readdir(d, { withFileTypes: true }).catch(() => [])) {
        const p = path.join(d, e.name);
        if (e.isDirectory() && !e.name.startsWith('_')) await walk(p);
        else if (e.name.endsWith('.parquet')) out.push(p);
      }
    };
    await walk(dir);
    return out;
  };
  const events = await list(path.join(lakeDir, 'silver', 'order_events'));
  const lines = await list(path.join(lakeDir, 'silver', 'order_lines'));
  await fs.mkdir(outDir, { recursive: true });
  const t0 = Date.now();
  const duck = await Duck.open();
  try {
    await duck.run(`CREATE TEMP TABLE new_events AS SELECT event_id, order_id, status, status_rank, CAST(event_time AS TIMESTAMPTZ) AS event_time, CAST(order_time AS TIMESTAMPTZ) AS order_time,
      order_date, order_year, order_month, customer_id, region, item_count, cents_of(order_total_usd) AS total_cents, big_cents_of(order_total_usd) AS total_big, is_high_value_order AS is_high_value
      FROM read_parquet(${litList(events)})`);
    await duck.run(`CREATE TEMP TABLE new_lines AS SELECT event_id, order_id, line_number, product_id, product_name, category, quantity, CAST(round(line_total_usd * 100) AS BIGINT) AS line_cents
      FROM read_parquet(${litList(lines)})`);
    // The same formulas as the engine (sql/), in one pass: no state to merge with, no ranges, no Delta log.
    await duck.run(`CREATE TEMP VIEW base_orders AS ${emptyOf(ORDER_COLUMNS)}`);
    await duck.run(`CREATE TEMP VIEW base_lines AS ${emptyOf(LINE_COLUMNS)}`);
    await duck.run(`CREATE TEMP VIEW base_events AS ${emptyOf(EVENT_COLUMNS)}`);
    await duck.run(`CREATE TEMP VIEW candidates AS ${await sqlFile('_candidates')}`);
    await duck.run(`CREATE TEMP TABLE orders_new AS ${await sqlFile('_merge_orders')}`);
    await duck.run(`CREATE TEMP TABLE lines_new AS ${await sqlFile('_merge_lines')}`);
    await duck.run(`CREATE TEMP TABLE events_new AS ${await sqlFile('_merge_events')}`);
    await duck.run('CREATE TEMP VIEW orders AS SELECT * FROM orders_new');
    await duck.run('CREATE TEMP VIEW lines AS SELECT * FROM lines_new');
    await duck.run('CREATE TEMP VIEW events AS SELECT * FROM events_new');
    for (const kind of ['region', 'hour', 'category', 'product']) await duck.run(`CREATE TEMP TABLE ${kind} AS ${await sqlFile(`_rollup_${kind}`)}`);
    await duck.run(`CREATE TEMP VIEW history AS ${await sqlFile('_work_history')}`);
    await duck.run(`CREATE TEMP TABLE customers AS SELECT customer_id, count(*) AS orders, sum(item_count) AS units, sum(total_cents) AS cents, sum(total_big) AS big,
      min(order_date) AS first_order_date, max(order_date) AS last_order_date FROM orders WHERE status <> 'CANCELLED' GROUP BY customer_id`);
    await duck.run(`CREATE TEMP VIEW rfm_base AS ${await sqlFile('_rfm_base_customers')}`);
    await duck.run(`SET VARIABLE as_of = (SELECT max(last_order_date) FROM customers)`);
    for (const name of tables) {
      const t = GOLD_TABLES.find((x) => x.name === name)!;
      const target = path.join(outDir, name);
      const partition = t.partitionBy.length ? `, PARTITION_BY (${t.partitionBy.join(', ')}), OVERWRITE true` : '';
      await duck.run(`COPY (${await sqlFile(name)}) TO ${lit(t.partitionBy.length ? target : `${target}.parquet`)} (FORMAT parquet, PARQUET_VERSION V1${partition})`);
    }
  } finally {
    duck.close();
  }
  return (Date.now() - t0) / 1000;
}
