import { generateEvents, withOffset, DEFAULT_STREAM, CLEAN, DEFECTS, ENDLESS_ROUND_EVENTS, type StreamOptions } from '../../producer/generator';
import { decide } from '../../src/silver/refine';
import { sourceEvent } from '../helpers/events';

const END = new Date('2026-06-01T00:00:00Z');
const opts = (over: Partial<StreamOptions> = {}): StreamOptions => ({ ...DEFAULT_STREAM, events: 3000, days: 30, end: END, ...over });

describe('generateEvents', () => {
  it('emits exactly the requested number of events, the same bytes for the same seed', () => {
    const a = [...generateEvents(opts())];
    expect(a.length).toBe(3000);
    expect([...generateEvents(opts())]).toEqual(a);
    expect([...generateEvents(opts({ seed: 43 }))]).not.toEqual(a);
  });

  it('with no dirt, produces only events that pass every rule, in lifecycles that start with PLACED', () => {
    const bodies = [...generateEvents(opts({ dirt: CLEAN }))];
    const enqueued = new Date(END.getTime() + 3600_000).toISOString();
    const codes = new Set<string>();
    for (const b of bodies) for (const c of decide(sourceEvent(b, 0, '0', enqueued), 'b').codes) codes.add(c);
    expect([...codes]).toEqual([]);
    const firstStatus = new Map<string, string>();
    for (const b of bodies) {
      const e = JSON.parse(b) as { order_id: string; status: string; event_time: string };
      if (!firstStatus.has(e.order_id)) firstStatus.set(e.order_id, e.status);
      expect(Date.parse(e.event_time)).toBeLessThanOrEqual(END.getTime());
    }
    expect(new Set(firstStatus.values())).toEqual(new Set(['PLACED']));
  });
});

describe('generateEvents, endless (events: Infinity)', () => {
  it('goes on past a round with new orders over the same days (no order id of one round in another), each passing every rule', () => {
    const stream = generateEvents(opts({ events: Infinity, dirt: CLEAN }));
    const bodies: string[] = [];
    for (const b of stream) {
      bodies.push(b);
      if (bodies.length === ENDLESS_ROUND_EVENTS + 20_000) break;
    }
    const enqueued = new Date(END.getTime() + 3600_000).toISOString();
    const codes = new Set<string>();
    const customerOf = new Map<string, string>();
    const eventIds = new Set<string>();
    const mixedOrders = new Set<string>();
    let latest = 0;
    const laterStatuses = new Set<string>();
    let laterEarliest = Infinity;
    bodies.forEach((b, i) => {
      for (const c of decide(sourceEvent(b, 0, '0', enqueued), 'b').codes) codes.add(c);
      const e = JSON.parse(b) as { event_id: string; order_id: string; status: string; customer: { id: string }; event_time: string };
      const t = Date.parse(e.event_time);
      latest = Math.max(latest, t);
      eventIds.add(e.event_id);
      // An order keeps its customer: an order id repeated in a later round would (almost surely) not.
      if ((customerOf.get(e.order_id) ?? e.customer.id) !== e.customer.id) mixedOrders.add(e.order_id);
      customerOf.set(e.order_id, e.customer.id);
      if (i >= ENDLESS_ROUND_EVENTS) {
        laterStatuses.add(e.status);
        laterEarliest = Math.min(laterEarliest, t);
      }
    });
    expect([bodies.length, eventIds.size, [...codes], [...mixedOrders]]).toEqual([ENDLESS_ROUND_EVENTS + 20_000, ENDLESS_ROUND_EVENTS + 20_000, [], []]);
    expect(latest).toBeLessThanOrEqual(END.getTime());
    // Past the first round: whole lifecycles again, starting over at the beginning of the days.
    expect([...laterStatuses].sort()).toEqual(['CANCELLED', 'DELIVERED', 'PAID', 'PLACED', 'RETURNED', 'SHIPPED']);
    expect(laterEarliest).toBeLessThan(END.getTime() - 25 * 86_400_000);
  });
});

describe('withOffset', () => {
  it('writes the same instant with a zone offset', () => {
    expect(withOffset('2026-03-04T10:11:12.123Z', 2)).toBe('2026-03-04T12:11:12.123+02:00');
    expect(withOffset('2026-03-04T01:00:00.000Z', -5)).toBe('2026-03-03T20:00:00.000-05:00');
  });
});

describe('dirt knobs (each alone, against a clean stream)', () => {
  const N = 3000;
  const enqueued = new Date(END.getTime() + 3600_000).toISOString();
  const codesOf = (b: string) => decide(sourceEvent(b, 0, '0', enqueued), 'b').codes;
  const stream = (dirt: Partial<typeof CLEAN>) => [...generateEvents(opts({ events: N, dirt: { ...CLEAN, ...dirt } }))];

  /** Largest lateness: how far an event's time is behind the latest event time sent before it. */
  function lateness(bodies: string[]): number[] {
    let maxSeen = -Infinity;
    const out: number[] = [];
    for (const b of bodies) {
      const t = Date.parse((JSON.parse(b) as { event_time: string }).event_time);
      out.push(Math.max(0, maxSeen - t));
      maxSeen = Math.max(maxSeen, t);
    }
    return out;
  }

  it('duplicate: resends the same bytes at about the rate', () => {
    const ratio = (bodies: string[]) => 1 - new Set(bodies).size / bodies.length;
    expect(ratio(stream({}))).toBe(0);
    const r = ratio(stream({ duplicate: 0.1 }));
    expect(r).toBeGreaterThan(0.07);
    expect(r).toBeLessThan(0.13);
  });

  it('defect: one contract defect per defective event, every class present', () => {
    expect(stream({}).filter((b) => codesOf(b).length).length).toBe(0);
    const bodies = stream({ defect: 1 });
    const codes = new Set(bodies.flatMap(codesOf));
    expect(bodies.every((b) => codesOf(b).length > 0)).toBe(true);
    for (const d of DEFECTS) expect(codes).toContain(d);
  });

  it('normalise: values that differ from canonical form but pass every rule', () => {
    const bodies = stream({ normalise: 1 });
    expect(bodies.filter((b) => codesOf(b).length)).toEqual([]);
    const canonical = (o: Record<string, unknown>) =>
      o['schema_version'] === 1 && /^[A-Z]+$/.test(String(o['status'])) && /^[A-Z_]+$/.test(String(o['region'])) && /^[A-Z]{3}$/.test(String(o['currency'])) &&
      /^[a-z_]+$/.test(String(o['channel'])) && typeof o['total_amount'] === 'number' && String(o['event_time']).endsWith('Z') &&
      String(o['country']) === String(o['country']).trim() && !('app_version' in o);
    const nonCanonical = bodies.filter((b) => !canonical(JSON.parse(b) as Record<string, unknown>)).length;
    expect(nonCanonical / bodies.length).toBeGreaterThan(0.95);
    expect(stream({}).filter((b) => !canonical(JSON.parse(b) as Record<string, unknown>))).toEqual([]);
  });

  it('outOfOrder: some events are sent minutes after later ones; late: some days after', () => {
    expect(Math.max(...lateness(stream({})))).toBe(0);
    const ooo = lateness(stream({ outOfOrder: 0.2 }));
    expect(ooo.filter((l) => l > 0).length).toBeGreaterThan(N * 0.05);
    expect(Math.max(...ooo)).toBeLessThanOrEqual(30 * 60_000);
    const late = lateness(stream({ late: 0.05 }));
    expect(late.filter((l) => l > 24 * 3600_000).length).toBeGreaterThan(N * 0.01);
  });

  it('test: orders of TEST- customers at about the rate, dropped by the pipeline', () => {
    const orders = new Map<string, string>();
    for (const b of stream({ test: 0.2 })) {
      const o = JSON.parse(b) as { order_id: string; customer: { id: string } };
      orders.set(o.order_id, o.customer.id);
    }
    const share = [...orders.values()].filter((id) => id.startsWith('TEST-')).length / orders.size;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
    expect(stream({}).some((b) => b.includes('"TEST-'))).toBe(false);
  });
});
