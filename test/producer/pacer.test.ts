import { Pacer, parseDuration } from '../../producer/pacer';

function fakeClock() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => { t += ms; } };
}

async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('Pacer', () => {
  it('releases events at the rate: 50 events at 10/s take 4.9 s of the clock', async () => {
    const clock = fakeClock();
    const out = await drain(new Pacer({ rate: 10, ...clock }).pace(Array.from({ length: 50 }, (_, i) => i)));
    expect([out.length, clock.now()]).toEqual([50, 4900]);
  });
  it('stops at the deadline', async () => {
    const clock = fakeClock();
    const out = await drain(new Pacer({ rate: 100, deadline: 1000, ...clock }).pace(Array.from({ length: 1000 }, (_, i) => i)));
    expect(out.length).toBe(100);
  });
  it('stops when asked', async () => {
    const p = new Pacer({ rate: 0 });
    const out: number[] = [];
    for await (const x of p.pace([1, 2, 3, 4])) {
      out.push(x);
      if (x === 2) p.stop();
    }
    expect(out).toEqual([1, 2]);
  });
});

describe('parseDuration', () => {
  it('reads ms, s, m and h', () => expect(['500ms', '30s', '10m', '1.5h'].map(parseDuration)).toEqual([500, 30_000, 600_000, 5_400_000]));
  it('says what it expected', () => expect(() => parseDuration('10 minutes')).toThrow('expected a duration like 30s, 10m or 1h, got "10 minutes"'));
});
