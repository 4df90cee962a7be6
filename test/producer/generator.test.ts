import { generateEvents, withOffset, DEFAULT_STREAM, CLEAN, type StreamOptions } from '../../producer/generator';
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

describe('withOffset', () => {
  it('writes the same instant with a zone offset', () => {
    expect(withOffset('2026-03-04T10:11:12.123Z', 2)).toBe('2026-03-04T12:11:12.123+02:00');
    expect(withOffset('2026-03-04T01:00:00.000Z', -5)).toBe('2026-03-03T20:00:00.000-05:00');
  });
});
