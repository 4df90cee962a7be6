// One hostile record must never stop the pipeline (issue: "one record stops the local
// pipeline for good", "one record freezes gold for good"): each case below made every later
// `run` exit 1 before contract v1.1 was implemented. Through the built CLI, as a user runs it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { orderlake } from '../helpers/cli';
import { tempDirs } from '../helpers/tmp';
import { query } from '../helpers/parquet';

jest.setTimeout(180_000);
const tmp = tempDirs();

/** The issue's reproduction event, with raw JSON text for city and total_amount. */
function ev(id: number, city: string, total: string, extra = ''): string {
  return `{"event_id":"00000000-0000-4000-8000-${String(id).padStart(12, '0')}","order_id":"ORD-${123456 + id}","status":"PLACED","event_time":"2026-11-20T10:00:00Z","order_time":"2026-11-20T10:00:00Z","customer":{"id":"C${id}"},"region":"EUROPE","currency":"EUR","city":${city},"items":[{"product_id":"P1","product_name":"W","category":"T","quantity":1,"unit_price":10}],"total_amount":${total}${extra}}`;
}

async function runLines(lines: string[]) {
  const dir = tmp();
  const input = path.join(dir, 'in.jsonl');
  await fs.writeFile(input, lines.join('\n') + '\n');
  const lake = path.join(dir, 'lake');
  const run = orderlake(['run', '--input', input, '--lake', lake, '--quiet', '--json']);
  return { lake, run, again: () => orderlake(['run', '--input', input, '--lake', lake, '--quiet', '--json']) };
}

const exportRows = (lake: string, table: string) => orderlake(['export', table, '--lake', lake]).stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('hostile records through run and gold', () => {
  it.each([
    ['a 400-digit decimal string total', ev(1, '"Paris"', `"${'9'.repeat(400)}"`), 'invalid_type'],
    ['a 10,000-deep array as city', ev(2, '['.repeat(10_000) + ']'.repeat(10_000), '10'), 'invalid_type'],
    ['an unpaired surrogate escape in city', ev(3, '"Par\\ud800is"', '10'), 'malformed_json'],
    ['a huge decimal shipping_cost', ev(4, '"Paris"', '10', `,"shipping_cost":"${'9'.repeat(400)}.5"`), 'invalid_type'],
  ])('%s is quarantined with its code, the run exits 0 and a rerun too', async (_name, line, code) => {
    const clean = ev(100, '"Lyon"', '10');
    const { lake, run, again } = await runLines([line, clean]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ read: 2, written: 1, quarantined: 1 });
    expect(again().code).toBe(0);
    const q = orderlake(['quarantine', '--lake', lake]).stdout.trim().split('\n').map((l) => JSON.parse(l) as { codes: string[]; errors: Array<{ message: string }> });
    expect(q.map((r) => r.codes)).toEqual([[code]]);
    expect(q[0]!.errors[0]!.message.length).toBeLessThan(400);
    // Silver holds the clean event, readable by any Parquet reader.
    const silverFiles = (await fs.readdir(path.join(lake, 'silver/order_events'))).filter((f) => f.endsWith('.parquet')).map((f) => path.join(lake, 'silver/order_events', f));
    expect((await query(`SELECT event_id FROM read_parquet([${silverFiles.map((f) => `'${f}'`).join(', ')}])`)).map((r) => r['event_id'])).toEqual(['00000000-0000-4000-8000-000000000100']);
  });

  it('a total of 1e20 goes to silver with its warning, and gold sums it exactly (no BIGINT overflow)', async () => {
    const { lake, run } = await runLines([ev(1, '"Paris"', '1e20'), ev(2, '"Paris"', '10')]);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(JSON.parse(run.stdout)).toMatchObject({ written: 2, warned: 1, codes: { total_mismatch: 1 } });
    // 1e20 EUR x 1.08 + 10 EUR x 1.08 = 108000000000000000000 + 10.80 USD, to the cent.
    expect(exportRows(lake, 'monthly_revenue')).toEqual([expect.objectContaining({ order_year: 2026, order_month: 11, total_orders: 2 })]);
    expect(orderlake(['export', 'monthly_revenue', '--lake', lake]).stdout).toContain('"gross_revenue_usd":108000000000000000010.80,');
    expect(orderlake(['export', 'customer_spend', '--lake', lake]).stdout.split('\n')[0]).toContain('"gross_spend_usd":108000000000000000000.00,');
  });

  it('amounts from 1e12 USD are summed as the decimals they were written as, not their binary expansions', async () => {
    const usd = ',"currency":"USD"'; // a repeated key: the last one counts
    const { lake, run } = await runLines([ev(1, '"Paris"', '3999999999999999', usd), ev(2, '"Paris"', '123456789012345.67', usd)]);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(orderlake(['export', 'monthly_revenue', '--lake', lake]).stdout).toContain('"gross_revenue_usd":4123456789012344.67,');
    expect(orderlake(['export', 'customer_spend', '--lake', lake]).stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { gross_spend_usd: unknown }).gross_spend_usd)).toEqual([3999999999999999, 123456789012345.67]);
  });

  it('the largest doubles do not freeze gold: beyond decimal(38,2) a sum is null, never an error', async () => {
    const max = String(Number.MAX_VALUE);
    const { lake, run, again } = await runLines([ev(1, '"Paris"', max), ev(2, '"Paris"', max), ev(3, '"Paris"', '10')]);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(again().code).toBe(0);
    const monthly = exportRows(lake, 'monthly_revenue');
    expect(monthly).toEqual([expect.objectContaining({ total_orders: 3, gross_revenue_usd: null, high_value_orders: 2 })]);
    // Other tables of the same orders still build; a customer with a normal order is exact.
    expect(exportRows(lake, 'customer_spend').find((r) => r['customer_id'] === 'C3')).toMatchObject({ gross_spend_usd: 10.8 });
  });

  it('an extra field of 20 MB goes to silver in _rescued and gold still builds', async () => {
    const big = 'x'.repeat(20 << 20);
    const { lake, run } = await runLines([ev(1, '"Paris"', '10', `,"note":"${big}"`), ev(2, '"Lyon"', '10')]);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(JSON.parse(run.stdout)).toMatchObject({ written: 2, quarantined: 0 });
    expect(exportRows(lake, 'monthly_revenue')).toEqual([expect.objectContaining({ total_orders: 2, gross_revenue_usd: 21.6 })]);
  });
});
