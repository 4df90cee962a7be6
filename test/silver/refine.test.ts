import { decide, checkBatch, resolveDuplicates, countDecisions, dataQualityRows, addCounts, emptyCounts, type Decision } from '../../src/silver/refine';
import { RECORD_RULES } from '../../src/silver/rules';
import { orderEvent, sourceEvent, uuid } from '../helpers/events';

const BRONZE = 'bronze/ingest_date=2026-03-05/partition=0/p0-000000000000-000000000009.jsonl';

describe('decide', () => {
  it('enriches a valid event into a silver row and its lines', () => {
    const d = decide(sourceEvent(orderEvent({ event_id: '3F1C2A9E-1B2C-4D5E-8F90-123456789ABC', order_time: '2026-03-01T00:30:00+01:00', customer: { id: ' C-7 ', email: ' Jane@Example.COM ' }, coupon: 'X' }), 7), BRONZE);
    if (d.kind !== 'silver') throw new Error(`expected silver, got ${d.kind}`);
    expect(d.row).toEqual({
      event_id: '3f1c2a9e-1b2c-4d5e-8f90-123456789abc',
      order_id: 'ORD-00012345',
      schema_version: 1,
      status: 'PAID',
      status_rank: 2,
      event_time: '2026-03-04T10:11:12.123Z',
      order_time: '2026-02-28T23:30:00.000Z',
      order_date: '2026-02-28',
      order_year: 2026,
      order_month: 2,
      order_dayofweek: 6,
      customer_id: 'C-7',
      // sha256("jane@example.com")
      customer_email_sha256: '8c87b489ce35cf2e2f39f80e282cb2e804932a56a213983eeeb428407d43b52d',
      region: 'EUROPE',
      country: 'Germany',
      city: 'Berlin',
      channel: 'web',
      payment_method: 'card',
      currency: 'EUR',
      item_count: 3,
      line_count: 2,
      shipping_cost: 5,
      discount: 1,
      total_amount: 143.98,
      order_total_usd: 155.5, // 143.98 x 1.08 = 155.4984
      is_high_value_order: false,
      dq_warnings: [],
      _rescued: '{"coupon":"X"}',
      ingestion_time: '2026-03-05T12:00:00.000Z',
      source_partition: '0',
      source_offset: '700',
      source_sequence_number: 7,
      bronze_file: BRONZE,
    });
    expect(d.lines.map((l) => [l.line_number, l.product_id, l.quantity, l.unit_price, l.line_total_usd, l.order_date])).toEqual([
      [1, 'P-1001', 2, 19.99, 43.18, '2026-02-28'], // 39.98 x 1.08 = 43.1784
      [2, 'P-1002', 1, 100, 108, '2026-02-28'],
    ]);
    expect(JSON.stringify(d.row)).not.toMatch(/Jane|jane/);
  });

  it('marks high value at 500 USD and lists warnings in dq_warnings', () => {
    const d = decide(sourceEvent(orderEvent({ currency: 'USD', items: [{ product_id: 'P', product_name: 'N', category: 'C', quantity: 1, unit_price: 500 }], shipping_cost: 0, discount: 0, total_amount: 500, customer: { id: 'C', email: 'bad' } })), BRONZE);
    expect(d.kind === 'silver' && [d.row.order_total_usd, d.row.is_high_value_order, d.row.dq_warnings, d.row.customer_email_sha256]).toEqual([500, true, ['invalid_email'], '2f05d4b689d270cafb02285f35f44866f7dc8a2d368a3f9d1124373eeab31fb1']); // present, so hashed: sha256("bad")
  });

  it('quarantines with every code, a message each, the raw body and the source position', () => {
    const body = JSON.stringify(orderEvent({ region: 'MARS', currency: 'XYZ' }));
    const d = decide(sourceEvent(body, 3, '2'), BRONZE);
    expect(d).toEqual({
      kind: 'quarantine',
      position: '2:3',
      codes: ['invalid_region', 'invalid_currency'],
      eventId: '3f1c2a9e-1b2c-4d5e-8f90-123456789abc',
      record: {
        codes: ['invalid_region', 'invalid_currency'],
        errors: [
          { code: 'invalid_region', message: 'region "MARS" is not one of NORTH_AMERICA, SOUTH_AMERICA, EUROPE, ASIA_PACIFIC, MIDDLE_EAST_AFRICA' },
          { code: 'invalid_currency', message: 'currency "XYZ" has no rate (known: USD, EUR, GBP, JPY, CAD, AUD, INR, BRL)' },
        ],
        event_id: '3f1c2a9e-1b2c-4d5e-8f90-123456789abc',
        order_id: 'ORD-00012345',
        ingest_date: '2026-03-05',
        ingestion_time: '2026-03-05T12:00:00.000Z',
        partition: '2',
        offset: '300',
        sequence_number: 3,
        bronze_file: BRONZE,
        body,
      },
    });
  });

  it('drops test traffic (strongest action wins over warn)', () => {
    expect(decide(sourceEvent(orderEvent({ customer: { id: 'TEST-1', email: 'x' } })), BRONZE)).toEqual({ kind: 'drop', position: '0:0', codes: ['test_order', 'invalid_email'], ingestDate: '2026-03-05', eventId: '3f1c2a9e-1b2c-4d5e-8f90-123456789abc' });
  });

  it('quarantine wins over drop', () => {
    expect(decide(sourceEvent(orderEvent({ customer: { id: 'TEST-1' }, region: 'X' })), BRONZE).kind).toBe('quarantine');
  });

  it('quarantines a record it fails to decide as processing_error with the error, instead of throwing', () => {
    const broken = [...RECORD_RULES, { code: 'boom', action: 'warn' as const, when: 'never', check: () => { throw new Error('rule bug'); } }];
    const d = decide(sourceEvent(orderEvent(), 3), BRONZE, broken);
    if (d.kind !== 'quarantine') throw new Error(`expected quarantine, got ${d.kind}`);
    expect([d.codes, d.record.errors, d.record.event_id, d.record.sequence_number, d.record.body]).toEqual([
      ['processing_error'],
      [{ code: 'processing_error', message: 'the pipeline could not process this record ("rule bug"); it is kept here with its body for a replay once fixed' }],
      '3f1c2a9e-1b2c-4d5e-8f90-123456789abc', 3, JSON.stringify(orderEvent()),
    ]);
    expect(dataQualityRows([d])).toEqual([{ ingest_date: '2026-03-05', code: 'processing_error', action: 'quarantine', records: 1 }]);
  });
});

function decisions(n: number, bad: number): Decision[] {
  const out: Decision[] = [];
  for (let i = 0; i < n; i++) out.push(decide(sourceEvent(i < bad ? 'x' : orderEvent({ event_id: uuid(i) }), i), BRONZE));
  return out;
}

describe('checkBatch', () => {
  it('fails a batch of 100 with 51 quarantined, passes 50', () => {
    expect(checkBatch(decisions(100, 51))?.code).toBe('quarantine_ratio');
    expect(checkBatch(decisions(100, 50))).toBeUndefined();
    expect(checkBatch(decisions(99, 99))).toBeUndefined();
  });
});

describe('resolveDuplicates', () => {
  it('keeps the owner and turns other positions of the same id into duplicates', () => {
    const a = decide(sourceEvent(orderEvent(), 1), BRONZE);
    const b = decide(sourceEvent(orderEvent(), 2), BRONZE);
    const owners = new Map([['3f1c2a9e-1b2c-4d5e-8f90-123456789abc', '0:1']]);
    const [ra, rb] = resolveDuplicates([a, b], owners);
    expect(ra).toBe(a);
    expect(rb).toEqual({ kind: 'duplicate', position: '0:2', eventId: '3f1c2a9e-1b2c-4d5e-8f90-123456789abc', ownedBy: '0:1', codes: ['duplicate_event'], ingestDate: '2026-03-05' });
  });
  it('refuses to guess when the ledger has no answer', () => {
    expect(() => resolveDuplicates([decide(sourceEvent(orderEvent(), 1), BRONZE)], new Map())).toThrow('dedup ledger gave no owner for event_id 3f1c2a9e-1b2c-4d5e-8f90-123456789abc at 0:1');
  });
});

describe('countDecisions', () => {
  it('counts every outcome once so that received = written + quarantined + dropped + duplicates', () => {
    const list = [
      decide(sourceEvent(orderEvent({ event_id: uuid(1) }), 0), BRONZE),
      decide(sourceEvent(orderEvent({ event_id: uuid(2), total_amount: 1 }), 1), BRONZE),
      decide(sourceEvent('x', 2), BRONZE),
      decide(sourceEvent(orderEvent({ region: 'X' }), 3), BRONZE),
      decide(sourceEvent(orderEvent({ customer: { id: 'TEST-1' } }), 4), BRONZE),
      decide(sourceEvent(orderEvent({ event_id: uuid(1), total_amount: 1 }), 5), BRONZE),
    ];
    const final = resolveDuplicates(list, new Map([[uuid(1), '0:0'], [uuid(2), '0:1']]));
    const c = countDecisions(final);
    expect(c).toEqual({
      received: 6, written: 2, quarantined: 2, dropped: 1, duplicates: 1, warned: 1, malformed: 1,
      codes: { total_mismatch: 1, malformed_json: 1, invalid_region: 1, test_order: 1, duplicate_event: 1 },
    });
    expect(c.received).toBe(c.written + c.quarantined + c.dropped + c.duplicates);
    expect(dataQualityRows(final)).toEqual([
      { ingest_date: '2026-03-05', code: 'total_mismatch', action: 'warn', records: 1 },
      { ingest_date: '2026-03-05', code: 'malformed_json', action: 'quarantine', records: 1 },
      { ingest_date: '2026-03-05', code: 'invalid_region', action: 'quarantine', records: 1 },
      { ingest_date: '2026-03-05', code: 'test_order', action: 'drop', records: 1 },
      { ingest_date: '2026-03-05', code: 'duplicate_event', action: 'drop', records: 1 },
    ]);
  });
});

describe('addCounts', () => {
  it('adds counts and codes', () => {
    const a = { ...emptyCounts(), received: 2, written: 2, codes: { x: 1 } };
    expect(addCounts(a, { ...emptyCounts(), received: 1, quarantined: 1, codes: { x: 2, y: 1 } })).toEqual({ ...emptyCounts(), received: 3, written: 2, quarantined: 1, codes: { x: 3, y: 1 } });
  });
});
