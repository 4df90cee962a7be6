// `orderlake report`: one self-contained HTML page (inline CSS and SVG, no script, a CSP that
// forbids any request) with the KPIs, charts and data quality of a lake, from its gold tables.
import { exportTable } from '../gold/export';
import { readSnapshot } from '../gold/delta';
import { GOLD_ROOT } from '../gold/build-gold';
import { statsOf, latestCommittedAt } from '../pipeline/stats';
import { ratioRound2 } from '../util/decimal';
import type { CommitLog, DocumentStore, Lake } from '../pipeline/ports';
import { barChart, hbarChart, lineChart, stackedBar, esc, PALETTE, type Point } from './svg';

type Row = Record<string, string | number | boolean | null>;

async function rows(lake: Lake, table: string): Promise<Row[]> {
  if ((await readSnapshot(lake, `${GOLD_ROOT}/${table}`)).version < 0) return [];
  const out: Row[] = [];
  for await (const line of exportTable(lake, table)) out.push(JSON.parse(line) as Row);
  return out;
}

const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const cents = (v: unknown) => Math.round(num(v) * 100);
const usd = (c: number) => `$${(c / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const pct = (x: number | null) => (x === null ? '–' : `${x.toFixed(2)}%`);
const SEGMENTS = ['Champions', 'Loyal', 'New', 'At Risk', 'Hibernating', 'Needs Attention'];

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
  html: string;
}

export async function buildReport(input: ReportInput): Promise<ReportData> {
  const { lake } = input;
  const now = input.now ?? new Date();
  const [monthly, daily, products, categories, rfm, dq] = await Promise.all([
    rows(lake, 'monthly_revenue'), rows(lake, 'daily_region_metrics'), rows(lake, 'product_sales'),
    rows(lake, 'category_sales'), rows(lake, 'rfm_segments'), rows(lake, 'data_quality'),
  ]);
  const heads = await input.commits.heads();
  const stats = statsOf(heads);
  const gold = await input.documents.get<{ runs: number; at?: string }>('gold-state');
  const lastCommit = latestCommittedAt(heads);

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

  const monthLabel = (r: Row) => `${r['order_year']}-${String(r['order_month']).padStart(2, '0')}`;
  const monthlyRevenue: Point[] = monthly.map((r) => ({ label: monthLabel(r), value: num(r['gross_revenue_usd']) }));
  const monthlyOrders: Point[] = monthly.map((r) => ({ label: monthLabel(r), value: num(r['total_orders']) }));
  const monthlyRates = monthly.map((r) => ({ label: monthLabel(r), ret: r['return_rate_pct'] as number | null, can: r['cancellation_rate_pct'] as number | null }));

  // Daily revenue by region: the last 90 order dates.
  const dates = [...new Set(daily.map((r) => String(r['order_date'])))].sort().slice(-90);
  const regions = [...new Set(daily.map((r) => String(r['region'])))].sort();
  const byKey = new Map(daily.map((r) => [`${r['order_date']}|${r['region']}`, num(r['gross_revenue_usd'])]));
  const regionSeries = regions.map((region) => ({ name: region, values: dates.map((d) => byKey.get(`${d}|${region}`) ?? 0) }));

  // Top products and categories over all months (revenue summed in cents).
  const productTotals = new Map<string, { name: string; cents: number }>();
  for (const r of products) {
    const id = String(r['product_id']);
    const cur = productTotals.get(id) ?? { name: String(r['product_name']), cents: 0 };
    cur.cents += cents(r['revenue_usd']);
    if (String(r['product_name']) < cur.name) cur.name = String(r['product_name']);
    productTotals.set(id, cur);
  }
  const topProducts: Point[] = [...productTotals.entries()].sort((a, b) => b[1].cents - a[1].cents || a[0].localeCompare(b[0])).slice(0, 10).map(([id, p]) => ({ label: `${p.name} (${id})`, value: p.cents / 100 }));
  const categoryTotals = new Map<string, number>();
  for (const r of categories) categoryTotals.set(String(r['category']), (categoryTotals.get(String(r['category'])) ?? 0) + cents(r['revenue_usd']));
  const topCategories: Point[] = [...categoryTotals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c, v]) => ({ label: c, value: v / 100 }));

  const segmentCounts: Point[] = SEGMENTS.map((s) => ({ label: s, value: rfm.filter((r) => r['segment'] === s).length }));
  const asOf = rfm[0]?.['as_of_date'] ?? null;

  // Data quality: the flow of every received record, and quarantine by code per ingest date.
  const flow: Point[] = [
    { label: 'silver', value: stats.written },
    { label: 'quarantine', value: stats.quarantined },
    { label: 'dropped', value: stats.dropped },
    { label: 'duplicates', value: stats.duplicates },
  ];
  const quarantineRows = dq.filter((r) => r['action'] === 'quarantine');
  const ingestDates = [...new Set(quarantineRows.map((r) => String(r['ingest_date'])))].sort().slice(-14);
  const codes = [...new Set(quarantineRows.map((r) => String(r['code'])))].sort();
  const dqCell = new Map(quarantineRows.map((r) => [`${r['ingest_date']}|${r['code']}`, num(r['records'])]));
  const dqMax = Math.max(1, ...dqCell.values());
  const dqTable = `<table class="dq" data-testid="dq-by-code"><thead><tr><th>code</th>${ingestDates.map((d) => `<th>${esc(d.slice(5))}</th>`).join('')}</tr></thead><tbody>${codes
    .map((c) => `<tr><th>${esc(c)}</th>${ingestDates.map((d) => {
      const v = dqCell.get(`${d}|${c}`) ?? 0;
      return `<td data-code="${esc(c)}" data-date="${esc(d)}" data-value="${v}" style="background:rgba(220,38,38,${(0.08 + (0.6 * v) / dqMax).toFixed(2)})">${v || ''}</td>`;
    }).join('')}</tr>`)
    .join('')}</tbody></table>`;

  const lagS = gold?.at && lastCommit ? Math.max(0, (Date.parse(lastCommit) - Date.parse(gold.at)) / 1000) : null;
  const kpi = (id: string, label: string, text: string, value: number | null) =>
    `<div class="kpi" data-testid="kpi-${id}" data-value="${value ?? ''}"><div class="kpi-label">${label}</div><div class="kpi-value">${text}</div></div>`;
  const title = input.title ?? 'orderlake';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} report</title>
<style>
body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f8fafc;color:#0f172a}
header{background:#0f172a;color:#f8fafc;padding:16px 24px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;color:#cbd5e1}
main{max-width:1200px;margin:0 auto;padding:16px 24px;display:grid;grid-template-columns:1fr 1fr;gap:16px}
section{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:12px 16px}section.wide{grid-column:1/-1}
h2{font-size:15px;margin:0 0 8px}.kpis{display:grid;grid-template-columns:repeat(5,1fr);gap:12px}
.kpi{background:#f1f5f9;border-radius:6px;padding:10px}.kpi-label{color:#475569;font-size:12px}.kpi-value{font-size:22px;font-weight:600}
.chart{display:block}.grid{stroke:#e2e8f0}.tick{font-size:10px;fill:#475569}.val{font-size:9px;fill:#0f172a}
table.dq{border-collapse:collapse;font-size:11px}table.dq th,table.dq td{padding:2px 6px;border:1px solid #f1f5f9;text-align:right}table.dq th{text-align:left;font-weight:500}
.muted{color:#64748b}footer{max-width:1200px;margin:0 auto;padding:0 24px 24px;color:#64748b;font-size:12px}
</style></head><body>
<header><h1>${esc(title)}: orders report</h1><p>Generated ${esc(now.toISOString())} from the gold tables of the lake.</p></header>
<main>
<section class="wide"><h2>Key figures</h2><div class="kpis">
${kpi('revenue', 'Gross revenue (USD)', usd(kpis.grossCents), kpis.grossCents / 100)}
${kpi('orders', 'Orders', kpis.orders.toLocaleString('en-US'), kpis.orders)}
${kpi('aov', 'Average order value', kpis.aovCents === null ? '–' : usd(kpis.aovCents), kpis.aovCents === null ? null : kpis.aovCents / 100)}
${kpi('return-rate', 'Return rate', pct(kpis.returnRatePct), kpis.returnRatePct)}
${kpi('cancellation-rate', 'Cancellation rate', pct(kpis.cancellationRatePct), kpis.cancellationRatePct)}
</div></section>
<section><h2>Gross revenue by month (USD)</h2>${barChart('monthly-revenue', monthlyRevenue, { color: PALETTE[0] })}</section>
<section><h2>Orders by month</h2>${barChart('monthly-orders', monthlyOrders, { color: PALETTE[5] })}</section>
<section class="wide"><h2>Return and cancellation rates by month</h2>${lineChart('monthly-rates', monthlyRates.map((r) => r.label), [
    { name: 'return rate %', values: monthlyRates.map((r) => r.ret ?? 0) },
    { name: 'cancellation rate %', values: monthlyRates.map((r) => r.can ?? 0) },
  ], { height: 200, width: 1180 })}</section>
<section class="wide"><h2>Daily gross revenue by region (USD, last ${dates.length} order dates)</h2>${lineChart('daily-region', dates, regionSeries, { width: 1180, height: 280 })}</section>
<section><h2>Top products by revenue (USD)</h2>${hbarChart('top-products', topProducts, { color: PALETTE[1] })}</section>
<section><h2>Categories by revenue (USD)</h2>${hbarChart('top-categories', topCategories, { color: PALETTE[2] })}</section>
<section><h2>Customer segments (RFM${asOf ? `, as of ${esc(String(asOf))}` : ''})</h2>${barChart('rfm-segments', segmentCounts, { color: PALETTE[4] })}</section>
<section><h2>Gold freshness</h2><dl data-testid="freshness">
<dt>Last gold run</dt><dd data-testid="gold-last-run">${gold?.at ? `${esc(gold.at)} (run ${gold.runs})` : 'never'}</dd>
<dt>Last silver batch</dt><dd>${lastCommit ? esc(lastCommit) : 'none'}</dd>
<dt>Gold behind silver</dt><dd data-testid="gold-lag" data-value="${lagS ?? ''}">${lagS === null ? '–' : lagS === 0 ? 'up to date' : `${lagS.toFixed(0)} s`}</dd>
</dl></section>
<section class="wide"><h2>Data quality: where every received record went (${stats.received.toLocaleString('en-US')} received)</h2>${stackedBar('dq-flow', flow, { width: 1180 })}
<p class="muted">received = silver + quarantine + dropped + duplicates; ${stats.warned.toLocaleString('en-US')} silver records carry warnings, ${stats.malformed.toLocaleString('en-US')} quarantined records are not JSON.</p></section>
<section class="wide"><h2>Quarantined records by rule code and ingest date</h2>${codes.length ? dqTable : '<p class="muted">No quarantined records.</p>'}</section>
</main>
<footer>orderlake: monthly_revenue, daily_region_metrics, product_sales, category_sales, rfm_segments and data_quality gold tables (Delta Lake). This page makes no network request.</footer>
</body></html>
`;
  return { kpis, monthly, html };
}
