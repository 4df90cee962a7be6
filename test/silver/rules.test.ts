import { RECORD_RULES, BATCH_RULES, ALL_CODES } from '../../src/silver/rules';
import { decide } from '../../src/silver/refine';
import { orderEvent, sourceEvent, INGESTED_AT } from '../helpers/events';

/** Codes a body fails, in rule order. */
function codesOf(body: string | Record<string, unknown>, enqueued = INGESTED_AT): string[] {
  return decide(sourceEvent(body, 0, '0', enqueued), 'bronze/x.jsonl').codes;
}
function messageOf(body: string | Record<string, unknown>, code: string): string | undefined {
  const d = decide(sourceEvent(body), 'bronze/x.jsonl');
  return d.kind === 'quarantine' ? d.record.errors.find((e) => e.code === code)?.message : undefined;
}
const items = (over: Record<string, unknown>) => [{ product_id: 'P-1', product_name: 'W', category: 'Home', quantity: 1, unit_price: 10, ...over }];

describe('RECORD_RULES', () => {
  it('lists every record code of the contract once, with its action', () => {
    expect(RECORD_RULES.map((r) => [r.code, r.action])).toEqual([
      ['malformed_json', 'quarantine'], ['missing_field', 'quarantine'], ['invalid_type', 'quarantine'],
      ['unsupported_schema_version', 'quarantine'], ['invalid_event_id', 'quarantine'], ['invalid_order_id', 'quarantine'],
      ['invalid_status', 'quarantine'], ['invalid_region', 'quarantine'], ['invalid_currency', 'quarantine'],
      ['invalid_timestamp', 'quarantine'], ['future_event_time', 'quarantine'], ['stale_event_time', 'quarantine'],
      ['event_before_order', 'quarantine'], ['empty_items', 'quarantine'], ['invalid_quantity', 'quarantine'],
      ['invalid_price', 'quarantine'], ['invalid_amount', 'quarantine'], ['test_order', 'drop'],
      ['total_mismatch', 'warn'], ['invalid_email', 'warn'],
    ]);
  });

  it('passes the valid base event with no code', () => {
    expect(codesOf(orderEvent())).toEqual([]);
  });

  // One failing and one passing variant per code; the failing one fails only that code.
  const cases: Array<[string, Record<string, unknown> | string, Record<string, unknown>]> = [
    ['malformed_json', '{"event_id": "abc"', orderEvent()],
    ['malformed_json', '[1,2,3]', orderEvent()],
    ['missing_field', orderEvent({ order_id: '  ' }), orderEvent({ order_id: ' ORD-00012345 ' })],
    ['missing_field', orderEvent({ customer: { name: 'x' } }), orderEvent({ customer: { id: 'C-1' } })],
    ['missing_field', orderEvent({ total_amount: null }), orderEvent({ total_amount: '143.98' })],
    ['missing_field', orderEvent({ items: [{ product_id: 'P-1', product_name: 'W', category: 'Home', quantity: 1 }], total_amount: 10 }), orderEvent({ items: items({}), total_amount: 14 })],
    ['invalid_type', orderEvent({ items: items({ quantity: 'two' }), total_amount: 14 }), orderEvent({ items: items({ quantity: '1' }), total_amount: 14 })],
    ['invalid_type', orderEvent({ items: 'P-1 x2' }), orderEvent()],
    ['invalid_type', orderEvent({ total_amount: true }), orderEvent({ total_amount: 143.98 })],
    ['invalid_type', orderEvent({ status: 2 }), orderEvent({ status: 'paid' })],
    ['unsupported_schema_version', orderEvent({ schema_version: 2 }), orderEvent({ schema_version: '1' })],
    ['invalid_event_id', orderEvent({ event_id: 'evt-123' }), orderEvent({ event_id: '3F1C2A9E-1B2C-4D5E-8F90-123456789ABC' })],
    ['invalid_order_id', orderEvent({ order_id: 'ORD-12345' }), orderEvent({ order_id: 'ORD-123456789012' })],
    ['invalid_order_id', orderEvent({ order_id: 'ORD-1234567890123' }), orderEvent({ order_id: 'ORD-123456' })],
    ['invalid_status', orderEvent({ status: 'LOST' }), orderEvent({ status: ' delivered ' })],
    ['invalid_region', orderEvent({ region: 'MARS' }), orderEvent({ region: 'North-America' })],
    ['invalid_currency', orderEvent({ currency: 'CHF' }), orderEvent({ currency: ' gbp' })],
    ['invalid_timestamp', orderEvent({ event_time: '2026-03-04T10:11:12' }), orderEvent({ event_time: '2026-03-04T11:11:12+01:00' })],
    ['invalid_timestamp', orderEvent({ order_time: 'last tuesday' }), orderEvent({ order_time: '2026-03-04T10:01:12.5Z' })],
    ['future_event_time', orderEvent({ event_time: '2026-03-05T12:05:00.001Z' }), orderEvent({ event_time: '2026-03-05T12:05:00Z' })],
    ['stale_event_time', orderEvent({ event_time: '2019-12-31T23:59:59Z', order_time: '2019-12-31T23:00:00Z' }), orderEvent({ event_time: '2020-01-01T00:00:00Z', order_time: '2020-01-01T00:00:00Z' })],
    ['event_before_order', orderEvent({ event_time: '2026-03-04T10:00:11.999Z' }), orderEvent({ event_time: '2026-03-04T10:00:12Z' })],
    ['empty_items', orderEvent({ items: [], total_amount: 4 }), orderEvent()],
    ['invalid_quantity', orderEvent({ items: items({ quantity: 2.5 }), total_amount: 29 }), orderEvent({ items: items({ quantity: 1000 }), total_amount: 10004 })],
    ['invalid_quantity', orderEvent({ items: items({ quantity: 0 }), total_amount: 4 }), orderEvent({ items: items({ quantity: '3' }), total_amount: 34 })],
    ['invalid_price', orderEvent({ items: items({ unit_price: 0 }), total_amount: 4 }), orderEvent({ items: items({ unit_price: 100000 }), total_amount: 100004 })],
    ['invalid_amount', orderEvent({ discount: -1, total_amount: 145.98 }), orderEvent({ discount: 0, total_amount: 144.98 })],
    ['invalid_amount', orderEvent({ total_amount: -5 }), orderEvent({ total_amount: '143.98' })],
    ['test_order', orderEvent({ customer: { id: 'TEST-42' } }), orderEvent({ customer: { id: 'CUST-TEST-42' } })],
    ['total_mismatch', orderEvent({ total_amount: 144 }), orderEvent({ total_amount: 143.99 })],
    ['invalid_email', orderEvent({ customer: { id: 'C-1', email: 'jane.example.com' } }), orderEvent({ customer: { id: 'C-1', email: ' Jane@Example.COM ' } })],
  ];

  it.each(cases)('%s: fails the bad event and passes the good one', (code, bad, good) => {
    expect(codesOf(bad)).toContain(code);
    expect(codesOf(good)).not.toContain(code);
  });

  it('gives each failing case exactly the expected codes', () => {
    expect(codesOf('{"event_id": "abc"')).toEqual(['malformed_json']);
    expect(codesOf(orderEvent({ status: 'LOST', region: 'MARS', discount: -1, total_amount: 145.98 }))).toEqual(['invalid_status', 'invalid_region', 'invalid_amount']);
    expect(codesOf(orderEvent({ items: items({ quantity: 'two' }), total_amount: 14 }))).toEqual(['invalid_type']);
    expect(codesOf(orderEvent({ customer: { id: 'TEST-42' }, total_amount: 1 }))).toEqual(['test_order', 'total_mismatch']);
  });

  it('names the field and the value in each message', () => {
    expect(messageOf(orderEvent({ items: items({ quantity: 'two' }), total_amount: 14 }), 'invalid_type')).toBe('items[0].quantity has "two", which is not a number or a decimal string');
    expect(messageOf(orderEvent({ customer: { name: 'x' } }), 'missing_field')).toBe('customer.id is absent');
    expect(messageOf(orderEvent({ total_amount: null }), 'missing_field')).toBe('total_amount is null');
    expect(messageOf(orderEvent({ region: 'MARS' }), 'invalid_region')).toBe('region "MARS" is not one of NORTH_AMERICA, SOUTH_AMERICA, EUROPE, ASIA_PACIFIC, MIDDLE_EAST_AFRICA');
    expect(messageOf(orderEvent({ items: [...items({ quantity: 0 }), ...items({ quantity: 1001 })], total_amount: 4 }), 'invalid_quantity')).toBe('items[0].quantity 0 is not an integer in 1..1000; items[1].quantity 1001 is not an integer in 1..1000');
    expect(messageOf('nope', 'malformed_json')).toBe('body is not valid JSON (Unexpected token \'o\', "nope" is not valid JSON): "nope"');
    // V8 quotes the body raw in its message: a terminal printing it would clear the screen.
    expect(messageOf('\u001b[2J\u001b[41mX', 'malformed_json')).toBe('body is not valid JSON (Unexpected token \'\\u001b\', "\\u001b[2J\\u001b[41mX" is not valid JSON): "\\u001b[2J\\u001b[41mX"');
  });

  it('treats a body that is not UTF-8 as malformed_json', () => {
    const d = decide({ ...sourceEvent(undefined), bodyBase64: '/w==' }, 'bronze/x.jsonl');
    expect(d.kind).toBe('quarantine');
    expect(d.kind === 'quarantine' && [d.record.codes, d.record.body, d.record.body_base64]).toEqual([['malformed_json'], null, '/w==']);
  });

  it('quotes the value as sent, not as normalised, in code messages', () => {
    expect(messageOf(orderEvent({ status: 'lost' }), 'invalid_status')).toBe('status "lost" is not one of PLACED, PAID, SHIPPED, DELIVERED, CANCELLED, RETURNED');
    expect(messageOf(orderEvent({ region: 'north_ america' }), 'invalid_region')).toBe('region "north_ america" is not one of NORTH_AMERICA, SOUTH_AMERICA, EUROPE, ASIA_PACIFIC, MIDDLE_EAST_AFRICA');
    expect(messageOf(orderEvent({ currency: ' xyz ' }), 'invalid_currency')).toMatch(/^currency " xyz " has no rate \(known: /);
  });

  it('lists total_mismatch with empty_items when shipping_cost - discount is not the total, and never computes with an amount that failed its type', () => {
    expect(codesOf(orderEvent({ items: [], total_amount: 10 }))).toEqual(['empty_items', 'total_mismatch']);
    expect(codesOf(orderEvent({ items: [], total_amount: 4 }))).toEqual(['empty_items']);
    expect(codesOf(orderEvent({ shipping_cost: 'five' }))).toEqual(['invalid_type']);
    expect(codesOf(orderEvent({ discount: [1] }))).toEqual(['invalid_type']);
  });

  it('takes an order time a long fraction below 2020 as stale, and its date as the one written', () => {
    expect(codesOf(orderEvent({ order_time: '2019-12-31T23:59:59.999999999999Z', event_time: '2020-01-01T00:00:30Z' }))).toEqual(['stale_event_time']);
    const d = decide(sourceEvent(orderEvent({ order_time: '2026-03-03T23:59:59.999999999999Z', event_time: '2026-03-04T10:11:12Z' })), 'bronze/x.jsonl');
    expect(d.kind === 'silver' && [d.row.order_date, d.row.order_dayofweek]).toEqual(['2026-03-03', 2]);
  });

  it('casts numbers written as huge exponents to invalid_type, not to Infinity', () => {
    const body = JSON.stringify(orderEvent({ total_amount: 0 })).replace('"total_amount":0', '"total_amount":1e309');
    expect(codesOf(body)).toEqual(['invalid_type']);
    expect(messageOf(body, 'invalid_type')).toBe('total_amount has Infinity, which is not a number or a decimal string');
  });
});

describe('contract v1.1 clarifications (section 6)', () => {
  const withRaw = (field: string, rawJson: string) => JSON.stringify(orderEvent({ [field]: 0 })).replace(`"${field}":0`, `"${field}":${rawJson}`);
  const nines = '9'.repeat(400);

  it.each([
    ['total_amount', `"${nines}"`], ['total_amount', '1e999999'], ['shipping_cost', `"${nines}.5"`], ['discount', '"-1e400"'.replace('e400', nines)],
    ['total_amount', '"NaN"'], ['total_amount', '"Infinity"'], ['schema_version', `"${nines}"`],
  ])('a number that is not a finite double is invalid_type: %s = %s', (field, raw) => {
    expect(codesOf(withRaw(field, raw))).toContain('invalid_type');
  });

  it('keeps any finite value, however large, with its total_mismatch warning', () => {
    const d = decide(sourceEvent(orderEvent({ total_amount: 1e17 })), 'bronze/x.jsonl');
    expect(d.kind === 'silver' && [d.codes, d.row.total_amount, d.row.order_total_usd]).toEqual([['total_mismatch'], 1e17, 1.08e17]);
    const max = decide(sourceEvent(orderEvent({ total_amount: Number.MAX_VALUE, currency: 'GBP' })), 'bronze/x.jsonl');
    // MAX_VALUE x 1.27 is beyond any double: the nearest double is the largest one, never Infinity.
    expect(max.kind === 'silver' && [max.row.order_total_usd, max.row.is_high_value_order]).toEqual([Number.MAX_VALUE, true]);
  });

  it('keeps amounts past 2^53 cents and up to the largest double exact: the nearest double of the rounded amount', () => {
    const big = decide(sourceEvent(orderEvent({ total_amount: 1e307 })), 'bronze/x.jsonl');
    expect(big.kind === 'silver' && big.row.order_total_usd).toBe(1.08e307);
    const past = decide(sourceEvent(orderEvent({ total_amount: 123456789012345.67, currency: 'USD' })), 'bronze/x.jsonl');
    expect(past.kind === 'silver' && past.row.order_total_usd).toBe(123456789012345.67);
  });

  it('decides total_mismatch at a difference of exactly 0.01 in exact decimals, at any magnitude and for any price', () => {
    const line = (quantity: number, unit_price: number) => [{ product_id: 'P1', product_name: 'W', category: 'T', quantity, unit_price }];
    // A price written with an exponent (1e-7): 0.01 - 0.0000001 is within 0.01.
    expect(codesOf(orderEvent({ items: line(1, 0.0000001), total_amount: 0.01, shipping_cost: 0, discount: 0 }))).toEqual([]);
    expect(codesOf(orderEvent({ items: line(0.0000001, 1), total_amount: 0.01, shipping_cost: 0, discount: 0 }))).toEqual(['invalid_quantity']);
    // -0.0000001: the difference is 0.0100001, more than 0.01.
    expect(codesOf(orderEvent({ items: line(1, -0.0000001), total_amount: 0.01, shipping_cost: 0, discount: 0 }))).toEqual(['invalid_price', 'total_mismatch']);
    expect(codesOf(orderEvent({ items: line(1, -0.0000001), total_amount: 0.0099999, shipping_cost: 0, discount: 0 }))).toEqual(['invalid_price']);
    // Beyond 1e10, float rounding is larger than 1e-6: a difference of exactly 0.01 is not more than 0.01.
    expect(codesOf(orderEvent({ items: line(1, 0.01), shipping_cost: 100000000000.2, total_amount: 100000000000.22, discount: 0 }))).toEqual([]);
    expect(codesOf(orderEvent({ items: line(1, 0.01), shipping_cost: 100000000000.2, total_amount: 100000000000.23, discount: 0 }))).toEqual(['total_mismatch']);
    expect(codesOf(orderEvent({ items: line(1, 0.01), shipping_cost: 100000000000.2, total_amount: 100000000000.2, discount: 0 }))).toEqual([]);
  });

  it.each([
    ['a value', '{"event_id":"3f1c2a9e-1b2c-4d5e-8f90-123456789abc","city":"Par\\ud800is"}'],
    ['a low surrogate alone', '{"city":"\\udc00"}'],
    ['a key', '{"\\ud83d":1}'],
    ['a nested extra field', '{"x":[{"y":"\\udbff"}]}'],
  ])('an unpaired surrogate escape in %s is malformed_json', (_where, body) => {
    expect(codesOf(body)).toEqual(['malformed_json']);
  });

  it('accepts a surrogate pair (an emoji) and says what is wrong with a lone one', () => {
    expect(codesOf(withRaw('city', '"Par\\ud83d\\ude00is"'))).toEqual([]);
    expect(messageOf(withRaw('city', '"Par\\ud800is"'), 'malformed_json')).toMatch(/^body holds an unpaired UTF-16 surrogate escape/);
  });

  it.each([
    ['status', 'paıd', 'invalid_status'], ['status', 'ſhipped', 'invalid_status'], ['status', 'ＰＡＩＤ', 'invalid_status'],
    ['region', 'north\tamerica', 'invalid_region'], ['region', 'north\u2010america', 'invalid_region'], ['region', 'north__america'.replace('__', '\u00a0'), 'invalid_region'],
    ['currency', 'euʀ', 'invalid_currency'],
  ])('codes fold the ASCII letters only: %s %j is %s', (field, value, code) => {
    expect(codesOf(orderEvent({ [field]: value }))).toEqual([code]);
  });

  it('still folds ASCII case and reads a space or a hyphen as an underscore', () => {
    expect(codesOf(orderEvent({ status: 'Paid', region: 'north america', currency: 'eur' }))).toEqual([]);
    expect(codesOf(orderEvent({ region: 'Middle East-Africa' }))).toEqual([]);
  });

  it.each([['country', 49], ['city', ['Paris']], ['channel', { web: true }], ['payment_method', true]])('an optional text field that is not a string is invalid_type: %s', (field, value) => {
    expect(codesOf(orderEvent({ [field]: value }))).toEqual(['invalid_type']);
  });

  it('names a deep value in a short message, without overflowing the stack', () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    const body = withRaw('city', deep);
    expect(codesOf(body)).toEqual(['invalid_type']);
    const m = messageOf(body, 'invalid_type')!;
    expect(m.length).toBeLessThan(300);
    expect(m.startsWith('city has [[[[')).toBe(true);
  });

  it('keeps a very deep or very large extra field whole in _rescued', () => {
    const deep = '['.repeat(100_000) + '1' + ']'.repeat(100_000);
    const d = decide(sourceEvent(withRaw('extra_deep', deep)), 'bronze/x.jsonl');
    expect(d.kind === 'silver' && d.row._rescued).toBe(`{"extra_deep":${deep}}`);
    const big = 'x'.repeat(20 << 20);
    const b = decide(sourceEvent(orderEvent({ note: big })), 'bronze/x.jsonl');
    expect(b.kind === 'silver' && b.row._rescued?.length).toBe(big.length + '{"note":""}'.length);
  });
});

describe('BATCH_RULES', () => {
  const rule = BATCH_RULES[0]!;
  it('is quarantine_ratio with action fail', () => expect([rule.code, rule.action]).toEqual(['quarantine_ratio', 'fail']));
  it('fails more than half of a batch of at least 100', () => {
    expect(rule.check({ records: 100, quarantined: 51 })).toBe('quarantine_ratio: 51 of 100 records (51.0%) were quarantined; the limit is 50% of a batch of at least 100 records');
  });
  it('passes exactly half, and small batches', () => {
    expect(rule.check({ records: 100, quarantined: 50 })).toBeUndefined();
    expect(rule.check({ records: 99, quarantined: 99 })).toBeUndefined();
  });
});

describe('ALL_CODES', () => {
  it('adds duplicate_event, the batch rule and processing_error to the record codes', () => {
    expect(ALL_CODES.length).toBe(23);
    expect(ALL_CODES.slice(-3)).toEqual(['duplicate_event', 'quarantine_ratio', 'processing_error']);
  });
});
