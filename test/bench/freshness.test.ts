import { freshnessOf, latenciesOf } from '../../bench/freshness';

describe('latenciesOf', () => {
  it('times each event from the first write holding it to the first gold run including it, sorted', () => {
    // Events 0-2 written at 100, 3-4 at 150; gold showed 0-1 at 400, 0-4 at 900.
    const sent = [{ upTo: 3, at: 100 }, { upTo: 5, at: 150 }];
    const visible = [{ upTo: 2, at: 400 }, { upTo: 5, at: 900 }];
    expect(latenciesOf(sent, visible, 5)).toEqual([300, 300, 750, 750, 800]);
  });

  it('leaves out events no gold run included', () => {
    expect(latenciesOf([{ upTo: 4, at: 0 }], [{ upTo: 1, at: 50 }], 4)).toEqual([50]);
  });
});

describe('freshnessOf', () => {
  it('gives p50, p95 by nearest rank from below, the max and the count', () => {
    const latencies = Array.from({ length: 7 }, (_, i) => (i + 1) * 10);
    expect(freshnessOf(latencies, 3)).toEqual({ events: 7, p50: 40, p95: 70, max: 70, goldRuns: 3 });
    expect(freshnessOf([...latencies, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200, 210], 1).p95).toBe(200);
  });

  it('is NaN throughout for no latency', () => {
    expect(freshnessOf([], 0)).toEqual({ events: 0, p50: NaN, p95: NaN, max: NaN, goldRuns: 0 });
  });
});
