import { landingLines } from '../../src/adapters/local/landing-lines';
import { validateLines, type Finding } from '../../src/cli/validate-events';
import { dirtyLines, DIRTY_EXPECTED } from '../helpers/dirty-file';
import { orderEvent, uuid } from '../helpers/events';

async function* once(text: string) {
  yield Buffer.from(text);
}

async function validate(text: string, ingestedAt = '2026-03-05T12:00:00.000Z') {
  const findings: Finding[] = [];
  const summary = await validateLines(landingLines(once(text)), { file: 'f.jsonl', ingestedAt, onFinding: (f) => findings.push(f) });
  return { findings, summary };
}

describe('validateLines', () => {
  it('counts a file exactly as a run counts it into a lake', async () => {
    const { summary, findings } = await validate(dirtyLines().join('\n') + '\n');
    const { blank, ...counts } = summary;
    expect(blank).toBe(0);
    expect(counts).toEqual(DIRTY_EXPECTED);
    // Every line but the two clean ones has a finding; each names its line.
    expect(findings.map((f) => [f.line, f.outcome, f.codes.join(',')])).toEqual([
      [3, 'duplicate', 'duplicate_event'],
      [4, 'quarantine', 'malformed_json'],
      [5, 'quarantine', 'missing_field'],
      [6, 'quarantine', 'invalid_type'],
      [7, 'quarantine', 'unsupported_schema_version'],
      [8, 'quarantine', 'invalid_event_id'],
      [9, 'quarantine', 'invalid_order_id'],
      [10, 'quarantine', 'invalid_status'],
      [11, 'quarantine', 'invalid_region'],
      [12, 'quarantine', 'invalid_currency'],
      [13, 'quarantine', 'invalid_timestamp'],
      [14, 'quarantine', 'future_event_time'],
      [15, 'quarantine', 'stale_event_time'],
      [16, 'quarantine', 'event_before_order'],
      [17, 'quarantine', 'empty_items'],
      [18, 'quarantine', 'invalid_quantity'],
      [19, 'quarantine', 'invalid_price'],
      [20, 'quarantine', 'invalid_amount'],
      [21, 'drop', 'test_order'],
      [22, 'warn', 'total_mismatch'],
      [23, 'warn', 'invalid_email'],
    ]);
  });

  it("gives each code the rule's own message, for warnings and drops too, and names a duplicate's first line", async () => {
    const { findings } = await validate(dirtyLines().join('\n') + '\n');
    const at = (line: number) => findings.find((f) => f.line === line)!;
    expect(at(3)).toEqual({
      line: 3, outcome: 'duplicate', codes: ['duplicate_event'], first_line: 1,
      errors: [{ code: 'duplicate_event', message: `event_id ${uuid(1)} was first seen on line 1; a duplicate is dropped and counted, not quarantined` }],
    });
    expect(at(11).errors).toEqual([{ code: 'invalid_region', message: 'region "ATLANTIS" is not one of NORTH_AMERICA, SOUTH_AMERICA, EUROPE, ASIA_PACIFIC, MIDDLE_EAST_AFRICA' }]);
    expect(at(21).errors).toEqual([{ code: 'test_order', message: 'customer.id "TEST-20" is internal test traffic' }]);
    expect(at(23).errors).toEqual([{ code: 'invalid_email', message: 'customer.email "nope" is not of the form x@y.z' }]);
  });

  it('compares event times with the ingestion time it is given', async () => {
    const line = JSON.stringify(orderEvent({ event_time: '2026-03-05T12:10:00Z' }));
    expect((await validate(line, '2026-03-05T12:00:00.000Z')).summary.quarantined).toBe(1);
    expect((await validate(line, '2026-03-05T12:06:00.000Z')).summary.quarantined).toBe(0);
  });

  it('takes event ids case-insensitively, as the ledger does, and never calls a quarantined repeat a duplicate', async () => {
    const a = JSON.stringify(orderEvent({ event_id: uuid(7).toUpperCase() }));
    const b = JSON.stringify(orderEvent({ event_id: uuid(7) }));
    const bad = JSON.stringify(orderEvent({ event_id: uuid(7), region: 'MARS' }));
    const { summary, findings } = await validate([a, '', b, bad].join('\n'));
    expect([summary.received, summary.written, summary.duplicates, summary.quarantined, summary.blank]).toEqual([3, 1, 1, 1, 1]);
    expect(findings.map((f) => [f.line, f.outcome, f.first_line])).toEqual([[3, 'duplicate', 1], [4, 'quarantine', undefined]]);
  });
});
