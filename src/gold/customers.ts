// The per-customer state behind customer_spend and rfm_segments: counting orders, units and
// money, and first and last order dates, kept up to date from what each run's rewrites change
// (customer_deltas), never by reading every order. Sums take the deltas as they are. The first
// and last dates need more: an order that stops counting (a cancellation) can take a
// customer's first date away, and the next one must be known. Each customer keeps its K
// earliest and K latest order dates with their counts: removing one leaves the rest exact, so
// only a customer who loses all K at once is recomputed from the order state (rare).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { jsonObjectSizeOption, lit, litList } from './duck';
import { CUSTOMER_COLUMNS, ORDER_COLUMNS, emptyOf } from './work-schema';
import { WORK_ROOT } from './state';
import type { GoldFiles } from './io';
import type { WorkRange } from './ranges';

/** How many earliest and latest dates a customer keeps. */
export const K = 4;

/** A customer's dates with counting orders: the K earliest (f) and K latest (l), or all of them (all). */
export interface DateSets {
  f: Array<[string, number]>;
  l: Array<[string, number]>;
  all: boolean;
}

/**
 * The customer's date sets after changes in the number of counting orders per date. 'recompute'
 * when a set emptied while the customer still has counting orders (its next date is unknown).
 */
export function applyDateDeltas(sets: DateSets, deltas: ReadonlyMap<string, number>, ordersAfter: number): DateSets | 'recompute' {
  if (ordersAfter <= 0) return { f: [], l: [], all: true };
  if (sets.all) {
    const every = new Map(sets.f);
    for (const [d, n] of deltas) every.set(d, (every.get(d) ?? 0) + n);
    const kept = [...every].filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b));
    return kept.length <= K ? { f: kept, l: kept, all: true } : { f: kept.slice(0, K), l: kept.slice(-K), all: false };
  }
  // Every date below the largest kept earliest date is in f (and above the smallest latest date in l):
  // a date there that was not kept had no orders, so a delta there is a new date.
  const update = (kept: Array<[string, number]>, isInside: (d: string) => boolean, keepEarliest: boolean) => {
    const m = new Map(kept);
    for (const [d, n] of deltas) {
      if (m.has(d)) m.set(d, m.get(d)! + n);
      else if (n > 0 && isInside(d)) m.set(d, n);
    }
    const sorted = [...m].filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b));
    return keepEarliest ? sorted.slice(0, K) : sorted.slice(-K);
  };
  const maxF = sets.f[sets.f.length - 1]?.[0];
  const minL = sets.l[0]?.[0];
  const f = update(sets.f, (d) => maxF !== undefined && d < maxF, true);
  const l = update(sets.l, (d) => minL !== undefined && d > minL, false);
  if (!f.length || !l.length) return 'recompute';
  return { f, l, all: false };
}

/** The date sets of a customer from all its dates with counting orders. */
export function dateSetsOf(dates: ReadonlyArray<[string, number]>): DateSets {
  const kept = dates.filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b));
  return kept.length <= K ? { f: kept, l: kept, all: true } : { f: kept.slice(0, K), l: kept.slice(-K), all: false };
}

/** The view `all_orders` over the order state of every range. */
async function allOrdersView(files: GoldFiles, ranges: readonly WorkRange[]): Promise<void> {
  await files.parquetView('all_orders', ranges.map((r) => r.files['orders']).filter((f): f is string => f !== undefined), emptyOf(ORDER_COLUMNS));
}

/**
 * Replaces the run's `customer_deltas` with every counting order of every range: with no old
 * state given to updateCustomers, the per-customer state is then built again from scratch (a
 * repair, when the deltas that kept it may have counted orders twice).
 */
export async function deltasFromEveryOrder(files: GoldFiles, ranges: readonly WorkRange[]): Promise<void> {
  await allOrdersView(files, ranges);
  await files.duck.run('DELETE FROM customer_deltas');
  await files.duck.run(`INSERT INTO customer_deltas SELECT customer_id, order_date AS d, count(*) AS dn, sum(item_count) AS du, sum(total_cents) AS dc, sum(total_big) AS db
    FROM all_orders WHERE status <> 'CANCELLED' GROUP BY customer_id, order_date`);
}

/**
 * Writes the new per-customer state from the old one (`customersFile`) and the run's
 * `customer_deltas` table; creates the view `customers` over it. Returns the new file, or the
 * old one when no customer changed.
 */
export async function updateCustomers(files: GoldFiles, customersFile: string | null, ranges: readonly WorkRange[], run: number, scratch: string): Promise<string | null> {
  const duck = files.duck;
  await files.parquetView('customers_old', customersFile ? [customersFile] : [], emptyOf(CUSTOMER_COLUMNS));
  const [changed] = await duck.rows('SELECT count(*)::BIGINT AS n FROM customer_deltas');
  if (!Number(changed?.['n'] ?? 0)) {
    await duck.run('CREATE OR REPLACE TEMP VIEW customers AS SELECT * FROM customers_old');
    return customersFile;
  }
  await duck.run(`CREATE OR REPLACE TEMP TABLE customer_totals AS
    SELECT customer_id, sum(dn) AS dn, sum(du) AS du, sum(dc) AS dc, sum(db) AS db FROM customer_deltas GROUP BY customer_id`);
  const touched = await duck.rows(`SELECT t.customer_id, coalesce(o.orders, 0) + t.dn AS orders_after, o.dates,
      (SELECT list(struct_pack(d := strftime(d.d, '%Y-%m-%d'), n := d.dn)) FROM customer_deltas d WHERE d.customer_id = t.customer_id) AS deltas
    FROM customer_totals t LEFT JOIN customers_old o USING (customer_id)`);
  const updated: Array<{ customer_id: string; dates: DateSets }> = [];
  const recompute: string[] = [];
  for (const row of touched) {
    const id = String(row['customer_id']);
    const before: DateSets = row['dates'] ? (JSON.parse(String(row['dates'])) as DateSets) : { f: [], l: [], all: true };
    const deltas = new Map<string, number>();
    for (const d of (row['deltas'] as Array<{ d: string; n: number | bigint }> | null) ?? []) deltas.set(d.d, (deltas.get(d.d) ?? 0) + Number(d.n));
    const after = applyDateDeltas(before, deltas, Number(row['orders_after']));
    if (after === 'recompute') recompute.push(id);
    else updated.push({ customer_id: id, dates: after });
  }
  if (recompute.length) {
    // Rare: a customer lost every kept earliest (or latest) date. Its dates come from the order state.
    await allOrdersView(files, ranges);
    const found = new Map<string, Array<[string, number]>>(recompute.map((id) => [id, []]));
    for (const r of await duck.rows(`SELECT customer_id, strftime(order_date, '%Y-%m-%d') AS d, count(*)::BIGINT AS n FROM all_orders
        WHERE status <> 'CANCELLED' AND customer_id IN (SELECT unnest(${litList(recompute)})) GROUP BY customer_id, order_date`)) {
      found.get(String(r['customer_id']))!.push([String(r['d']), Number(r['n'])]);
    }
    for (const [id, dates] of found) updated.push({ customer_id: id, dates: dateSetsOf(dates) });
  }
  const setsFile = path.join(scratch, `customer-dates-${randomUUID()}.jsonl`);
  const lines = updated.map((u) => JSON.stringify({ customer_id: u.customer_id, dates: JSON.stringify(u.dates), first_order_date: u.dates.f[0]?.[0] ?? null, last_order_date: u.dates.l[u.dates.l.length - 1]?.[0] ?? null }));
  await fs.writeFile(setsFile, lines.join('\n') + '\n');
  // A customer id may be megabytes long (the contract sets no limit): DuckDB is told the longest line.
  const longest = lines.reduce((m, l) => Math.max(m, Buffer.byteLength(l)), 0);
  await duck.run(`CREATE OR REPLACE TEMP TABLE customer_sets AS SELECT * FROM read_json(${lit(setsFile)}, format = 'newline_delimited',
    columns = {customer_id: 'VARCHAR', dates: 'VARCHAR', first_order_date: 'DATE', last_order_date: 'DATE'}${jsonObjectSizeOption(longest)})`);
  await fs.rm(setsFile, { force: true });
  const next = `${WORK_ROOT}/customers/customers-r${run}.parquet`;
  const written = await files.writeParquet(`
    SELECT customer_id,
      (coalesce(o.orders, 0) + coalesce(t.dn, 0))::BIGINT AS orders,
      (coalesce(o.units, 0) + coalesce(t.du, 0))::BIGINT AS units,
      CAST(coalesce(o.cents, 0) + coalesce(t.dc, 0) AS DECIMAL(38, 0)) AS cents,
      -- Big cents that cancel out leave no big part: the customer's money is exact cents again.
      nullif(coalesce(o.big, 0) + coalesce(t.db, 0), 0) AS big,
      coalesce(s.first_order_date, o.first_order_date) AS first_order_date,
      coalesce(s.last_order_date, o.last_order_date) AS last_order_date,
      coalesce(s.dates, o.dates) AS dates
    FROM customers_old o FULL OUTER JOIN customer_totals t USING (customer_id) LEFT JOIN customer_sets s USING (customer_id)
    WHERE coalesce(o.orders, 0) + coalesce(t.dn, 0) > 0
    ORDER BY customer_id`, next, { stats: false });
  await files.parquetView('customers', written ? [next] : [], emptyOf(CUSTOMER_COLUMNS));
  return written ? next : null;
}
