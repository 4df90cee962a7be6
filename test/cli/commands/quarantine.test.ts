import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { quarantineCode } from '../../../src/cli/commands/quarantine';
import { UsageError } from '../../../src/cli/args';
import { orderlake } from '../../helpers/cli';
import { dirtyLines } from '../../helpers/dirty-file';
import { tempDirs } from '../../helpers/tmp';

jest.setTimeout(120_000);
const tmp = tempDirs();
const CODES = 'malformed_json, missing_field, invalid_type, unsupported_schema_version, invalid_event_id, invalid_order_id, invalid_status, invalid_region, invalid_currency, invalid_timestamp, future_event_time, stale_event_time, event_before_order, empty_items, invalid_quantity, invalid_price, invalid_amount, test_order, total_mismatch, invalid_email';

describe('quarantineCode', () => {
  it('accepts the codes a quarantined record can list, and absence', () => {
    expect([quarantineCode('invalid_region'), quarantineCode('total_mismatch'), quarantineCode(undefined)]).toEqual(['invalid_region', 'total_mismatch', undefined]);
  });

  it('rejects any other code with the accepted ones', () => {
    expect(() => quarantineCode('bogus')).toThrow(new UsageError(`unknown code "bogus"; codes in quarantine: ${CODES}`));
    expect(() => quarantineCode('duplicate_event')).toThrow(new UsageError(`duplicates are never quarantined (they are dropped and counted: see 'orderlake stats'); codes in quarantine: ${CODES}`));
    expect(() => quarantineCode('quarantine_ratio')).toThrow(new UsageError(`quarantine_ratio stops a whole batch, which stays in bronze (see 'orderlake stats' and 'orderlake replay'); codes in quarantine: ${CODES}`));
  });
});

describe('orderlake quarantine', () => {
  it('fails on a bad --code before reading anything, and says so on stderr when nothing matches', async () => {
    const dir = tmp();
    expect(orderlake(['quarantine', '--lake', path.join(dir, 'typo'), '--code', 'bogus'])).toEqual({ code: 2, stdout: '', stderr: `orderlake quarantine: unknown code "bogus"; codes in quarantine: ${CODES}\n` });
    const input = path.join(dir, 'orders.jsonl');
    await fs.writeFile(input, dirtyLines().join('\n') + '\n');
    const lake = path.join(dir, 'lake');
    expect(orderlake(['run', '-i', input, '-l', lake, '-q']).code).toBe(0);
    // invalid_email only warns: that record went to silver, not to quarantine.
    expect(orderlake(['quarantine', '--lake', lake, '--code', 'invalid_email'])).toEqual({ code: 0, stdout: '', stderr: `no quarantined record with code invalid_email in ${lake}\n` });
  });
});
