// `orderlake validate <file>`: each line's codes and a summary, no lake needed; exit 1 when a
// line would be quarantined. Run as a user runs it: the built CLI as a child process.
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CLI, orderlake } from '../../helpers/cli';
import { orderEvent, uuid } from '../../helpers/events';
import { tempDirs } from '../../helpers/tmp';

jest.setTimeout(120_000);
const tmp = tempDirs();
const AT = ['--ingested-at', '2026-03-05T12:00:00Z'];
const ev = (n: number, over: Record<string, unknown> = {}) => JSON.stringify(orderEvent({ event_id: uuid(n), order_id: `ORD-${100000 + n}`, ...over }));

async function file(lines: string[]): Promise<string> {
  const f = path.join(tmp(), 'orders.jsonl');
  await fs.writeFile(f, lines.join('\n') + '\n');
  return f;
}

describe('orderlake validate', () => {
  it("prints each line's codes with the rule's message and a summary, and exits 1 when a line would be quarantined", async () => {
    const f = await file([ev(1), '', ev(1), ev(2, { region: 'ATLANTIS', total_amount: 1 }), ev(3, { customer: { id: 'TEST-3' } }), '"not an object"']);
    const r = orderlake(['validate', f, ...AT, '-q']);
    expect(r).toEqual({
      code: 1,
      stderr: '',
      stdout: [
        'line 3: duplicate (dropped and counted, not quarantined)',
        `  duplicate_event: event_id ${uuid(1)} was first seen on line 1; a duplicate is dropped and counted, not quarantined`,
        'line 4: quarantined',
        '  invalid_region: region "ATLANTIS" is not one of NORTH_AMERICA, SOUTH_AMERICA, EUROPE, ASIA_PACIFIC, MIDDLE_EAST_AFRICA',
        '  total_mismatch: total_amount 1 differs from the computed total 143.98 (lines + shipping_cost - discount) by more than 0.01',
        'line 5: dropped',
        '  test_order: customer.id "TEST-3" is internal test traffic',
        'line 6: quarantined',
        '  malformed_json: body is JSON string, not an object: "\\"not an object\\""',
        `${f}: 5 events (1 blank line(s) skipped)`,
        '  ok                   1  would go to silver',
        '  warned               0  would go to silver, with their codes in dq_warnings',
        '  quarantined          2  would go to quarantine (1 malformed JSON)',
        '  dropped              1  would be dropped and counted (test traffic)',
        '  duplicates           1  repeat an event_id seen earlier in the file: dropped and counted, not quarantined',
        'by code:',
        '  duplicate_event                      1',
        '  invalid_region                       1',
        '  malformed_json                       1',
        '  test_order                           1',
        '  total_mismatch                       1',
        '2 of 5 events would be quarantined',
        '',
      ].join('\n'),
    });
  });

  it('exits 0 when nothing would be quarantined (warnings, drops and duplicates are not quarantine)', async () => {
    const f = await file([ev(1), ev(1), ev(2, { customer: { id: 'C-2', email: 'nope' } }), ev(3, { customer: { id: 'TEST-3' } })]);
    const r = orderlake(['validate', f, ...AT, '-q']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(-2)).toEqual(['no event would be quarantined', '']);
  });

  it('reads a file as a run does: a byte order mark at its start is not part of the first body', async () => {
    const f = path.join(tmp(), 'bom.jsonl');
    await fs.writeFile(f, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${ev(1)}\n${ev(2)}\n`)]));
    const r = orderlake(['validate', f, ...AT, '-q']);
    expect({ code: r.code, last: r.stdout.split('\n').slice(-2) }).toEqual({ code: 0, last: ['no event would be quarantined', ''] });
  });

  it('--json: one JSON line per finding, then the summary; reads standard input with -', async () => {
    const input = [ev(1), ev(2, { status: 'LOST' }), ev(1)].join('\n');
    const r = spawnSync(process.execPath, [CLI, 'validate', '-', '--json', ...AT, '-q'], { input, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { line: 2, outcome: 'quarantine', codes: ['invalid_status'], errors: [{ code: 'invalid_status', message: 'status "LOST" is not one of PLACED, PAID, SHIPPED, DELIVERED, CANCELLED, RETURNED' }] },
      { line: 3, outcome: 'duplicate', codes: ['duplicate_event'], first_line: 1, errors: [{ code: 'duplicate_event', message: `event_id ${uuid(1)} was first seen on line 1; a duplicate is dropped and counted, not quarantined` }] },
      { summary: { file: '-', events: 3, ok: 1, warned: 0, quarantined: 1, dropped: 0, duplicates: 1, malformed: 0, blank_lines: 0, codes: { duplicate_event: 1, invalid_status: 1 } } },
    ]);
  });

  it('notes when the file, taken as one batch, would trip quarantine_ratio', async () => {
    const f = await file(Array.from({ length: 100 }, (_, i) => ev(i + 1, { status: i < 51 ? 'LOST' : 'PAID' })));
    const r = orderlake(['validate', f, ...AT, '-q']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('note: taken as one batch, this file would stop at the fail rule quarantine_ratio: 51 of 100 records (51.0%) were quarantined; the limit is 50% of a batch of at least 100 records; a run applies it to each batch (one partition, up to --batch-size events)\n51 of 100 events would be quarantined\n');
  });

  it('says plainly what is wrong with its arguments', async () => {
    const dir = tmp();
    expect(orderlake(['validate'])).toEqual({ code: 2, stdout: '', stderr: "orderlake validate: missing the file to check (or - for standard input) (see 'orderlake validate --help')\n" });
    expect(orderlake(['validate', path.join(dir, 'none.jsonl')])).toEqual({ code: 1, stdout: '', stderr: `orderlake validate: cannot open ${path.join(dir, 'none.jsonl')}: no such file or folder\n` });
    expect(orderlake(['validate', dir])).toEqual({ code: 2, stdout: '', stderr: `orderlake validate: ${dir} is a folder: validate takes one file (or - for standard input)\n` });
    expect(orderlake(['validate', 'x', '--ingested-at', 'yesterday'])).toEqual({ code: 2, stdout: '', stderr: 'orderlake validate: expected --ingested-at to be an ISO-8601 timestamp, got "yesterday"\n' });
  });
});
