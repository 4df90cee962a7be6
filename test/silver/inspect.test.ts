import { inspect, rescuedFields } from '../../src/silver/inspect';
import { orderEvent } from '../helpers/events';

describe('inspect', () => {
  it('returns complete normalised fields on the fast path', () => {
    const r = inspect(JSON.stringify(orderEvent()), 0);
    expect([r.problems, r.ev.status, r.eventTime]).toEqual([[], 'PAID', { ok: true, ms: Date.UTC(2026, 2, 4, 10, 11, 12, 123) }]);
  });

  it('keeps the fields that parsed when others fail, and lists each problem with its value', () => {
    const r = inspect(JSON.stringify(orderEvent({ status: 7, customer: null, items: [{ product_id: 'P', quantity: 'x' }] })), 0);
    expect(r.ev.region).toBe('EUROPE');
    expect(r.ev.status).toBeUndefined();
    expect(r.problems).toEqual([
      { kind: 'type', field: 'status', value: 7 },
      { kind: 'missing', field: 'customer', value: null },
      { kind: 'missing', field: 'items[0].product_name', value: undefined },
      { kind: 'missing', field: 'items[0].category', value: undefined },
      { kind: 'missing', field: 'items[0].unit_price', value: undefined },
      // a string of the right JSON type that is not a decimal is found by normalise, after the schema
      { kind: 'type', field: 'items[0].quantity', value: 'x' },
    ]);
  });

  it('says why a body is not a JSON object', () => {
    expect(inspect('"text"', 0).malformed).toBe('is JSON string, not an object');
    expect(inspect('null', 0).malformed).toBe('is JSON null, not an object');
    expect(inspect(undefined, 0).malformed).toBe('is not valid UTF-8 text');
  });

  it('does not let a __proto__ key reach any prototype', () => {
    const r = inspect('{"__proto__": {"polluted": 1}, "event_id": "x"}', 0);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(rescuedFields(r.raw!)).toBe('{"__proto__":{"polluted":1}}');
    expect(rescuedFields(r.raw!, r.body)).toBe('{"__proto__":{"polluted": 1}}');
  });
});

describe('rescuedFields', () => {
  it('keeps unknown fields at every level as one JSON object, null when none', () => {
    expect(rescuedFields(orderEvent())).toBeNull();
    const raw = orderEvent({ coupon: 'SPRING', customer: { id: 'C', tier: 'gold' }, items: [{ product_id: 'P', sku: 'S-1' }] });
    expect(rescuedFields(raw)).toBe('{"coupon":"SPRING","customer.tier":"gold","items[0].sku":"S-1"}');
    expect(rescuedFields(raw, JSON.stringify(raw))).toBe('{"coupon":"SPRING","customer.tier":"gold","items[0].sku":"S-1"}');
  });

  it('keeps each value as the body wrote it, in the body\'s order: numbers a double cannot hold, escapes, a repeated key\'s last value', () => {
    const body = `{"tracking": 9007199254740993, "tax":1.10, "big":1e400, "neg":-0, "z":1, "7":2, "note":"a\\"b\\u00e9", ${JSON.stringify(orderEvent()).slice(1, -1)}, "z":[1, {"k":"]"}]}`;
    const r = inspect(body, 0);
    expect(rescuedFields(r.raw!, body)).toBe('{"tracking":9007199254740993,"tax":1.10,"big":1e400,"neg":-0,"z":[1, {"k":"]"}],"7":2,"note":"a\\"b\\u00e9"}');
    // Through JSON.parse alone, the same fields would have lost digits and order.
    expect(rescuedFields(r.raw!)).toBe('{"7":2,"tracking":9007199254740992,"tax":1.1,"big":null,"neg":0,"z":[1,{"k":"]"}],"note":"a\\"bé"}');
  });

  it('leaves out personal data under another spelling: silver holds no name or email', () => {
    const raw = orderEvent({ email: 'a@b.c', Customer_Name: 'Jane', customer: { id: 'C', Email: 'a@b.c', NAME: 'Jane', 'e-mail': 'a@b.c', tier: 'gold' }, nickname: 'J' });
    expect(rescuedFields(raw, JSON.stringify(raw))).toBe('{"nickname":"J","customer.tier":"gold"}');
    expect(rescuedFields(orderEvent({ customer: { id: 'C', Email: 'a@b.c' } }))).toBeNull();
  });

  it('finds nested unknown fields in the body at any depth, in customer and in each line', () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const raw = orderEvent({ customer: { id: 'C', tier: 1.50 }, items: [{ product_id: 'P', product_name: 'N', category: 'C', quantity: 1, unit_price: 1 }, { product_id: 'Q', product_name: 'M', category: 'C', quantity: 1, unit_price: 2, sku: 'S-2' }] });
    const body = JSON.stringify(raw).replace('"tier":1.5', '"tier":1.50').replace('"sku":"S-2"', `"sku":"S-2","deep":${deep}`);
    expect(rescuedFields(JSON.parse(body) as Record<string, unknown>, body)).toBe(`{"customer.tier":1.50,"items[1].sku":"S-2","items[1].deep":${deep}}`);
  });
});

