import * as path from 'node:path';
import { orderlake } from '../../helpers/cli';
import { tempDirs } from '../../helpers/tmp';

jest.setTimeout(120_000);
const tmp = tempDirs();

describe('orderlake demo', () => {
  it('logged (not a terminal): one clean line per stage, and counts in one format', () => {
    const dir = tmp();
    const r = orderlake(['demo', '--events', '1500', '--end', '2026-06-01', '--lake', 'lake', '--landing', 'landing'], { cwd: dir });
    expect(r.code).toBe(0);
    // Each stage: a line every 5 s while it runs (only on a slow machine here), then its final line.
    const lines = r.stderr.split('\n');
    expect(lines.pop()).toBe('');
    const stages = lines.map((l) => l.slice(0, l.indexOf(':')));
    expect([...new Set(stages)]).toEqual(['generating', 'pipeline', 'gold']);
    expect(stages).toEqual([...stages].sort((a, b) => ['generating', 'pipeline', 'gold'].indexOf(a) - ['generating', 'pipeline', 'gold'].indexOf(b)));
    const finals = ['generating', 'pipeline', 'gold'].map((s) => lines[stages.lastIndexOf(s)]);
    expect(finals).toEqual([
      expect.stringMatching(/^generating: 1,500 of 1,500 events \([\d,]+\/s\)$/),
      expect.stringMatching(/^pipeline: 1,500 events \([\d,]+\/s\), 1,\d{3} to silver$/),
      expect.stringMatching(/^gold: up to date in \d+\.\d s$/),
    ]);
    expect(r.stdout).toContain(`generated 1,500 events (seed 42) into ${path.join('landing', 'orders-seed42-2026-06-01-1500.jsonl')}\n`);
    expect(r.stdout).toMatch(/\n {2}received {8}1,500 {2}= written \+ quarantined \+ dropped \+ duplicates\n/);
  });
});
