import { inspect } from '../../src/silver/inspect';
import { rescuedFields } from '../../src/silver/rescued';
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
