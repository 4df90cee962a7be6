import { stageCosts } from '../../bench/stage-costs';
import { generateEvents, DEFAULT_STREAM } from '../../producer/generator';

describe('stageCosts', () => {
  it('counts the input bytes exactly and times each stage over every line, in batches of 1,000', () => {
    const lines = [...generateEvents({ ...DEFAULT_STREAM, seed: 3, events: 2_500, days: 10, end: new Date('2026-11-01T00:00:00Z') })];
    // One line of characters wider than a byte: bytes, not characters, are counted.
    lines.push('{"city":"Zürich €"}');
    const c = stageCosts(lines);
    expect(c.bytesIn).toBe(lines.reduce((n, l) => n + l.length + 1, 0) + 3); // ü is 2 bytes, € 3: one and two more than their characters
    // Bronze keeps every body, so the files written hold more than the input.
    expect(c.bytesOut).toBeGreaterThan(c.bytesIn);
    for (const us of [c.bronzeUs, c.decideUs, c.silverUs]) expect(us).toBeGreaterThan(0);
  });

  it('writes the same bytes for the same lines', () => {
    const lines = [...generateEvents({ ...DEFAULT_STREAM, seed: 4, events: 1_200, days: 5, end: new Date('2026-11-01T00:00:00Z') })];
    expect(stageCosts(lines).bytesOut).toBe(stageCosts(lines).bytesOut);
  });
});
