import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { orderlake } from '../helpers/cli';
import { dirtyLines, DIRTY_EXPECTED } from '../helpers/dirty-file';
import { tempDirs } from '../helpers/tmp';

const tmp = tempDirs();

describe('orderlake (end to end)', () => {
  it('runs a file with every rule code, then stats and quarantine report it exactly', async () => {
    const dir = tmp();
    const input = path.join(dir, 'orders.jsonl');
    const lake = path.join(dir, 'lake');
    await fs.writeFile(input, dirtyLines().join('\n') + '\n');
    const run = orderlake(['run', '--input', input, '--lake', lake, '--quiet']);
    expect(run.stderr).toBe('');
    expect([run.code, run.stdout]).toEqual([0, `read 23 new events into ${lake}: 4 to silver, 17 quarantined, 1 dropped, 1 duplicates (2 with warnings)\ngold run 1: 1 order date(s) changed, 10 table(s) updated in ${lake}/gold\n`]);
    // The four silver events are four orders of 2026-03-04 (one with a warning still counts).
    const monthly = orderlake(['export', 'monthly_revenue', '--lake', lake]);
    expect(monthly.code).toBe(0);
    expect(JSON.parse(monthly.stdout)).toMatchObject({ order_year: 2026, order_month: 3, total_orders: 4 });
    expect(orderlake(['export', 'nope', '--lake', lake]).stderr).toBe('orderlake export: unknown table "nope"; tables: monthly_revenue, daily_region_metrics, category_sales, product_sales, customer_spend, rfm_segments, hourly_sales, order_status_history, data_quality, data_quality_runs\n');

    const stats = JSON.parse(orderlake(['stats', '--lake', lake, '--json']).stdout);
    expect(stats).toEqual({ ...DIRTY_EXPECTED, batches: stats.batches, failed_batches: 0, pending_batches: 0 });
    expect(stats.received).toBe(stats.written + stats.quarantined + stats.dropped + stats.duplicates);

    const q = orderlake(['quarantine', '--lake', lake]).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(q.length).toBe(17);
    const region = q.find((r) => r.codes.includes('invalid_region'));
    expect(region.errors).toEqual([{ code: 'invalid_region', message: 'region "ATLANTIS" is not one of NORTH_AMERICA, SOUTH_AMERICA, EUROPE, ASIA_PACIFIC, MIDDLE_EAST_AFRICA' }]);
    expect(region.body).toBe(dirtyLines()[10]);
    expect(typeof region.partition).toBe('string');
    expect(typeof region.sequence_number).toBe('number');
    const onlyType = orderlake(['quarantine', '--lake', lake, '--code', 'invalid_type']).stdout.trim().split('\n');
    expect(onlyType.map((l) => JSON.parse(l).codes)).toEqual([['invalid_type']]);

    // Running again on the same input changes nothing; appended lines are processed alone.
    const silverBefore = await listTree(path.join(lake, 'silver'));
    expect(orderlake(['run', '--input', input, '--lake', lake, '--json']).stdout).toContain('"read":0,');
    expect(await listTree(path.join(lake, 'silver'))).toEqual(silverBefore);
    await fs.appendFile(input, dirtyLines()[1] + '\n'); // a resend of event 2
    const again = JSON.parse(orderlake(['run', '--input', input, '--lake', lake, '--json', '--quiet']).stdout);
    expect([again.read, again.duplicates, again.written]).toEqual([1, 1, 0]);
  });

  it('sets aside a batch that trips quarantine_ratio, exits 3, and says why', async () => {
    const dir = tmp();
    const input = path.join(dir, 'bad.jsonl');
    // One order id: one partition, one batch of 120 records, all malformed.
    await fs.writeFile(input, Array.from({ length: 120 }, (_, i) => `{"order_id":"ORD-999999", "n": ${i}, oops`).join('\n'));
    const run = orderlake(['run', '--input', input, '--lake', path.join(dir, 'lake'), '--quiet']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^warning: batch \S+ stopped by rule quarantine_ratio: quarantine_ratio: 120 of 120 records \(100\.0%\) were quarantined/);
    const stats = JSON.parse(orderlake(['stats', '--lake', path.join(dir, 'lake'), '--json']).stdout);
    expect([stats.received, stats.failed_batches]).toEqual([0, 1]);
  });

  it('produces the same bytes for the same seed and end, and says what Event Hubs needs', async () => {
    const dir = tmp();
    const a = path.join(dir, 'a.jsonl');
    const b = path.join(dir, 'b.jsonl');
    for (const f of [a, b]) expect(orderlake(['produce', '--to', 'file', f, '--events', '300', '--seed', '9', '--end', '2026-06-01', '-q']).code).toBe(0);
    const bytes = await fs.readFile(a, 'utf8');
    expect(bytes.trim().split('\n').length).toBe(300);
    expect(await fs.readFile(b, 'utf8')).toBe(bytes);
    const env = { EVENTHUB_FULLY_QUALIFIED_NAMESPACE: '', EVENTHUB_NAME: '', EVENTHUB_CONNECTION_STRING: '' };
    expect(orderlake(['produce', '--to', 'eventhubs'], { env })).toEqual({
      code: 2, stdout: '',
      stderr: 'orderlake produce: expected an Event Hubs namespace and hub: --namespace <ns>.servicebus.windows.net --hub <name> (or EVENTHUB_FULLY_QUALIFIED_NAMESPACE and EVENTHUB_NAME), or --connection-string for the emulator\n',
    });
  });

  it('prints help for the tool and each command', () => {
    const top = orderlake(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^orderlake: /);
    for (const c of ['demo', 'run', 'gold', 'export', 'replay', 'report', 'stats', 'quarantine', 'validate', 'produce']) {
      const h = orderlake([c, '--help']);
      expect([h.code, h.stdout.split('\n')[0]!.startsWith(`orderlake ${c}: `)]).toEqual([0, true]);
      expect(h.stdout).toContain(c === 'produce' ? '--seed <n>' : c === 'validate' ? '--ingested-at <time>' : '--lake <dir');
    }
  });

  it('fails with one clear line and a non-zero exit on bad arguments and unreadable input', () => {
    expect(orderlake(['nope'])).toEqual({ code: 2, stdout: '', stderr: 'orderlake: unknown command "nope"; commands: demo, run, gold, export, replay, report, stats, quarantine, validate, optimize, vacuum, upgrade, produce, poison-replay (see \'orderlake --help\')\n' });
    expect(orderlake(['run'])).toEqual({ code: 2, stdout: '', stderr: "orderlake run: missing --input (see 'orderlake run --help')\n" });
    expect(orderlake(['run', '-i', 'x', '--partitions', 'four'])).toEqual({ code: 2, stdout: '', stderr: 'orderlake run: expected --partitions to be a positive integer, got "four" (see \'orderlake run --help\')\n' });
    expect(orderlake(['run', '--bogus'])).toEqual({ code: 2, stdout: '', stderr: "orderlake run: Unknown option '--bogus' (see 'orderlake run --help')\n" });
    const dir = tmp();
    expect(orderlake(['run', '-i', path.join(dir, 'missing.jsonl'), '-l', path.join(dir, 'lake')])).toEqual({ code: 1, stdout: '', stderr: `orderlake run: cannot read input ${path.join(dir, 'missing.jsonl')}: no such file or folder\n` });
  });
});

async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await fs.readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(`${path.relative(dir, p)} ${(await fs.readFile(p)).length}`);
    }
  };
  await walk(dir);
  return out.sort();
}
