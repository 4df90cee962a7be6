// `orderlake report`: one self-contained HTML page (inline CSS and SVG, no script, a CSP that
// forbids any request) with the KPIs, charts and data quality of a lake, from its gold tables
// (read through their exports only) and the pipeline's counts.
import { exportTable } from '../gold/export';
import { statsOf, latestCommittedAt } from '../pipeline/stats';
import { ratioRound2 } from '../util/decimal';
import type { CommitLog, DocumentStore, Lake } from '../pipeline/ports';
import { barChart, hbarChart, lineChart, smallMultiples, stackedBar, esc, PALETTE, type Point } from './svg';
import { codeRows, qualityTable, type DataQualityRow } from './quality-table';
import { renderPage } from './page';

type Row = Record<string, string | number | boolean | null>;

/** A gold table's rows as its export prints them, or null when the table does not exist yet. */
async function goldRows(lake: Lake, table: string): Promise<Row[] | null> {
  const out: Row[] = [];
  try {
    for await (const line of exportTable(lake, table)) out.push(JSON.parse(line) as Row);
  } catch (e) {
    // The export's own message for a lake whose gold has never been built; anything else is a real failure.
    if (e instanceof Error && /does not exist yet/.test(e.message)) return null;
    throw e;
  }
  return out;
}

const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const cents = (v: unknown) => Math.round(num(v) * 100);
const usd = (c: number) => `$${(c / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const pct = (x: number | null) => (x === null ? '–' : `${x.toFixed(2)}%`);
const count = (n: number) => n.toLocaleString('en-US');
const SEGMENTS = ['Champions', 'Loyal', 'New', 'At Risk', 'Hibernating', 'Needs Attention'];
/** Daily charts show this many of the latest order dates. */
export const DAILY_DATES = 90;

export interface ReportInput {
  lake: Lake;
  commits: CommitLog;
  documents: DocumentStore;
  title?: string;
  now?: Date;
}

export interface ReportData {
  kpis: { grossCents: number; orders: number; aovCents: number | null; returnRatePct: number | null; cancellationRatePct: number | null };
  monthly: Row[];
  /** Why the page has no data to chart, or null when it has some. */
  empty: 'no-records' | 'no-gold' | 'no-orders' | null;
  html: string;
}

/** A product's label: its name and its id, always both. */
export function productLabel(name: string, id: string): string {
  return `${name} (${id})`;
}

/** "2026-06": every month on every axis carries its year. */
export function monthLabel(year: unknown, month: unknown): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}

export async function buildReport(input: ReportInput): Promise<ReportData> {
  const { lake } = input;
  const now = input.now ?? new Date();
  const [monthlyOrNull, daily, products, categories, rfm, dq] = await Promise.all([
    goldRows(lake, 'monthly_revenue'), goldRows(lake, 'daily_region_metrics'), goldRows(lake, 'product_sales'),
    goldRows(lake, 'category_sales'), goldRows(lake, 'rfm_segments'), goldRows(lake, 'data_quality'),
  ]);
  const monthly = monthlyOrNull ?? [];
  const heads = await input.commits.heads();
  const stats = statsOf(heads);
  const gold = await input.documents.get<{ runs: number; at?: string }>('gold-state');
  const lastCommit = latestCommittedAt(heads);

  // Why a chart is empty: the table is missing (gold never built) or has no rows.
  const emptyWhy = (table: string, rows: Row[] | null) => (rows === null ? `gold table ${table} does not exist yet` : `${table} has no rows`);
  const empty: ReportData['empty'] = !stats.received && monthlyOrNull === null ? 'no-records'
    : monthlyOrNull === null ? 'no-gold' : monthly.length ? null : 'no-orders';

  // KPIs over all months, in cents so that sums stay exact.
  const grossCents = monthly.reduce((s, r) => s + cents(r['gross_revenue_usd']), 0);
  const orders = monthly.reduce((s, r) => s + num(r['total_orders']), 0);
  const cancelled = monthly.reduce((s, r) => s + num(r['cancelled_orders']), 0);
  const returned = monthly.reduce((s, r) => s + num(r['returned_orders']), 0);
  const counting = orders - cancelled;
  const kpis = {
    grossCents,
    orders,
    aovCents: counting ? Math.round(grossCents / counting) : null,
    returnRatePct: ratioRound2(100 * returned, orders),
    cancellationRatePct: ratioRound2(100 * cancelled, orders),
  };

  const months = monthly.map((r) => monthLabel(r['order_year'], r['order_month']));
  const monthlyRevenue: Point[] = monthly.map((r, i) => ({ label: months[i]!, value: num(r['gross_revenue_usd']) }));
  const monthlyOrders: Point[] = monthly.map((r, i) => ({ label: months[i]!, value: num(r['total_orders']) }));
  // A month without orders has no rate (null): a gap in the line, not a 0.
  const rate = (v: unknown) => (typeof v === 'number' ? v : null);

  // Daily revenue by region: the latest order dates; a region without orders on a date made $0.
  const dailyRows = daily ?? [];
  const dates = [...new Set(dailyRows.map((r) => String(r['order_date'])))].sort().slice(-DAILY_DATES);
  const regions = [...new Set(dailyRows.map((r) => String(r['region'])))].sort();
  const byKey = new Map(dailyRows.map((r) => [`${r['order_date']}|${r['region']}`, num(r['gross_revenue_usd'])]));
  const regionSeries = regions.map((region) => ({ name: region, values: dates.map((d) => byKey.get(`${d}|${region}`) ?? 0) }));

  // Top products and categories over all months (revenue summed in cents).
  const productTotals = new Map<string, { name: string; cents: number }>();
  for (const r of products ?? []) {
    const id = String(r['product_id']);
    const cur = productTotals.get(id) ?? { name: String(r['product_name']), cents: 0 };
    cur.cents += cents(r['revenue_usd']);
    if (String(r['product_name']) < cur.name) cur.name = String(r['product_name']);
    productTotals.set(id, cur);
  }
  const topProducts: Point[] = [...productTotals.entries()].sort((a, b) => b[1].cents - a[1].cents || a[0].localeCompare(b[0])).slice(0, 10).map(([id, p]) => ({ label: productLabel(p.name, id), value: p.cents / 100 }));
  const categoryTotals = new Map<string, number>();
  for (const r of categories ?? []) categoryTotals.set(String(r['category']), (categoryTotals.get(String(r['category'])) ?? 0) + cents(r['revenue_usd']));
  const topCategories: Point[] = [...categoryTotals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c, v]) => ({ label: c, value: v / 100 }));

  const segmentCounts: Point[] = rfm?.length ? SEGMENTS.map((s) => ({ label: s, value: rfm.filter((r) => r['segment'] === s).length })) : [];
  const asOf = rfm?.[0]?.['as_of_date'] ?? null;

  // Data quality: the flow of every received record, and records by rule code.
  const flow: Point[] = [
    { label: 'silver', value: stats.written },
    { label: 'quarantine', value: stats.quarantined },
    { label: 'dropped', value: stats.dropped },
    { label: 'duplicates', value: stats.duplicates },
  ];
  const dqRows: DataQualityRow[] = (dq ?? []).map((r) => ({ ingest_date: String(r['ingest_date']), code: String(r['code']), action: String(r['action']), records: num(r['records']) }));
  const codes = codeRows(stats.codes, dqRows);

  const lagS = gold?.at && lastCommit ? Math.max(0, (Date.parse(lastCommit) - Date.parse(gold.at)) / 1000) : null;
  const noOrders = !monthly.length;
  const kpi = (id: string, label: string, text: string, value: number | null) =>
    `<div class="kpi" data-testid="kpi-${id}" data-value="${value ?? ''}"><div class="kpi-label">${label}</div><div class="kpi-value">${text}</div></div>`;
  const kpiHtml = `<div class="kpis">
${kpi('revenue', 'Gross revenue (USD)', noOrders ? '–' : usd(kpis.grossCents), noOrders ? null : kpis.grossCents / 100)}
${kpi('orders', 'Orders', count(kpis.orders), kpis.orders)}
${kpi('aov', 'Average order value', kpis.aovCents === null ? '–' : usd(kpis.aovCents), kpis.aovCents === null ? null : kpis.aovCents / 100)}
${kpi('return-rate', 'Return rate', pct(kpis.returnRatePct), kpis.returnRatePct)}
${kpi('cancellation-rate', 'Cancellation rate', pct(kpis.cancellationRatePct), kpis.cancellationRatePct)}
</div>`;
  const freshness = `<dl class="fresh" data-testid="freshness">
<dt>Last gold run</dt><dd data-testid="gold-last-run">${gold?.at ? `${esc(gold.at)} (run ${gold.runs})` : 'never'}</dd>
<dt>Last silver batch</dt><dd>${lastCommit ? esc(lastCommit) : 'none'}</dd>
<dt>Gold behind silver</dt><dd data-testid="gold-lag" data-value="${lagS ?? ''}">${lagS === null ? '–' : lagS === 0 ? 'up to date' : `${lagS.toFixed(0)} s`}</dd>
</dl>`;
  const title = input.title ?? 'orderlake';
  const html = renderPage({
    title,
    subtitle: `Generated ${now.toISOString()} from the gold tables of the lake.`,
    emptyNoteHtml: emptyNote(empty, stats.received, stats.written),
    sections: [
      { title: 'Key figures', body: kpiHtml, wide: true, id: 'key-figures' },
      { title: 'Gross revenue by month (USD)', body: barChart('monthly-revenue', monthlyRevenue, { color: PALETTE[0], empty: emptyWhy('monthly_revenue', monthlyOrNull) }) },
      { title: 'Orders by month', body: barChart('monthly-orders', monthlyOrders, { color: PALETTE[5], empty: emptyWhy('monthly_revenue', monthlyOrNull) }) },
      { title: 'Return and cancellation rates by month', wide: true, body: lineChart('monthly-rates', months, [
        { name: 'return rate', values: monthly.map((r) => rate(r['return_rate_pct'])) },
        { name: 'cancellation rate', values: monthly.map((r) => rate(r['cancellation_rate_pct'])) },
      ], { height: 200, suffix: '%', empty: emptyWhy('monthly_revenue', monthlyOrNull) }) },
      { title: `Daily gross revenue by region (USD, ${dates.length ? `last ${dates.length} order dates, ` : ''}same scale)`, wide: true,
        body: smallMultiples('daily-region', dates, regionSeries, { empty: emptyWhy('daily_region_metrics', daily) }) },
      { title: 'Top products by revenue (USD)', body: hbarChart('top-products', topProducts, { color: PALETTE[1], empty: emptyWhy('product_sales', products) }) },
      { title: 'Categories by revenue (USD)', body: hbarChart('top-categories', topCategories, { color: PALETTE[2], empty: emptyWhy('category_sales', categories) }) },
      { title: 'Customer segments (RFM)', ...(asOf ? { titleNote: `as of ${String(asOf)}` } : {}), body: hbarChart('rfm-segments', segmentCounts, { color: PALETTE[4], empty: emptyWhy('rfm_segments', rfm) }) },
      { title: 'Gold freshness', body: freshness },
      { title: `Data quality: where every received record went (${count(stats.received)} received)`, wide: true,
        body: `${stackedBar('dq-flow', flow, { empty: 'no record has been received' })}
<p class="muted">received = silver + quarantine + dropped + duplicates; ${count(stats.warned)} silver records carry warnings, ${count(stats.malformed)} quarantined records are not JSON.</p>` },
      { title: 'Records by rule code: quarantined, dropped, or kept with a warning', wide: true, id: 'dq-codes',
        body: `${qualityTable('dq-by-code', codes)}
<p class="muted">total: every committed batch, as <code>orderlake stats</code> counts it (a record counts under each code it failed); by ingest date: the latest dates of the gold data_quality table.</p>` },
    ],
    footer: 'orderlake: monthly_revenue, daily_region_metrics, product_sales, category_sales, rfm_segments and data_quality gold tables (Delta Lake). This page makes no network request.',
  });
  return { kpis, monthly, empty, html };
}

/** The page's note when there is nothing to chart: what is missing and what to run. */
function emptyNote(empty: ReportData['empty'], received: number, written: number): string | undefined {
  switch (empty) {
    case 'no-records':
      return 'This lake has received no records and has no gold tables. Load orders with <code>orderlake run --input &lt;file or folder&gt; --lake &lt;dir&gt;</code> (or <code>npm start</code> for a demo lake), then write the report again.';
    case 'no-gold':
      return `${count(received)} records received, but the gold tables have not been built yet: run <code>orderlake gold --lake &lt;dir&gt;</code>, then write the report again.`;
    case 'no-orders':
      return written
        ? `The gold tables hold no orders yet, though ${count(written)} records are in silver: gold is behind; run <code>orderlake gold --lake &lt;dir&gt;</code>.`
        : `The gold tables hold no orders: none of the ${count(received)} records received reached silver (see data quality below).`;
    default:
      return undefined;
  }
}

