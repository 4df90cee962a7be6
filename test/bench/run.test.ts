// The benchmark is not a timed test: this only checks that `npm run bench` works (at smoke
// size) and reports every figure; it asserts nothing about speed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

jest.setTimeout(180_000);

describe('bench/run (smoke size)', () => {
  it('writes a report with all eight figures, their targets and commands', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'orderlake-bench-test-'));
    try {
      const out = path.join(dir, 'benchmarks.md');
      const r = spawnSync(process.execPath, [path.resolve(__dirname, '../../dist/bench/run.js'), '--smoke', '--dir', dir, '--out', out], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      const md = readFileSync(out, 'utf8');
      for (const heading of ['## 1. Bronze + silver throughput', '## 2. Gold full rebuild', '## 3. Incremental gold', '## 4. Peak memory', '## 5. Freshness (local, follow mode)', '## 6. Azure requests, cost and limits (measured counts)', '## 7. Aging: what a cycle costs as the lake grows', "### 7.2 The issue's measurement", '### 7.3 Silver and quarantine files after optimize and vacuum']) {
        expect(md).toContain(heading);
      }
      expect(md).toContain('Target: 120,000 events/s per core');
      expect(md).toContain('**Smoke sizes: these figures only show that the benchmark runs.**');
      expect(md).toMatch(/\| `JSON.parse` of the same lines alone \(ceiling\) \| [\d,]+ \|/);
      expect(md).toMatch(/\| the stages' compute alone: bronze bytes [\d.]+ µs, decisions \(parse, rules, rows\) [\d.]+ µs, silver bytes [\d.]+ µs per event \| \| [\d,]+ \|/);
      expect(md).toMatch(/Bytes written per input byte: \d\.\d/);
      expect(md).toMatch(/\| table\.batch \| [\d,]+\.\d \|/); // figure 6: counts measured on the Azure path (the ledger's transactions)
      expect(md).toMatch(/\| 100,000 \| .* \| [a-zA-Z '/]+( \(exceeded\))? \|\n/);
      // figure 7: per-cycle medians at each window with their ratio, the short run's ratios, files per 1,000 events
      expect(md).toMatch(/\| wall seconds, median \| [\d.]+ \| [\d.]+ \| [\d.]+× \|\n/);
      expect(md).toMatch(/\| lake files opened, median \| [\d,]+ \| [\d,]+ \| [\d.]+× \|\n/);
      expect(md).toMatch(/\| bytes read, mean \| [\d.]+ [kM]B \| [\d.]+ [kM]B \| [\d.]+× \|\n/);
      expect(md).toMatch(/\| lake files opened \| [\d,]+ \| [\d,]+ \| \*\*[\d.]+×\*\* \| 1\.30× \((met|\*\*not met\*\*)\) \|\n/);
      expect(md).toMatch(/\| lake files opened \| [\d,]+ \| [\d,]+ \| [\d,]+ \| [\d.]+× \| \*\*[\d.]+×\*\* \|\n/); // the same density run longer
      expect(md).toMatch(/\| \*\*silver \+ quarantine \+ gold, all of the above\*\* \| [\d,]+ \| \*\*[\d.]+\*\* \| [\d,]+ \([\d.]+ per 1,000 events\) \|\n/);
      expect(md).toMatch(/\| \*\*per 1,000 events\*\* \| [\d.]+ \| [\d.]+ \| \*\*[\d.]+\*\* \| \*\*[\d.]+\*\* \|\n/);
      expect(md).toContain('Command: `node dist/bench/run.js --figures 7 --smoke`');
      expect(md).toContain('## 8. What one gold run rewrites in a steady stream');
      expect(md).toMatch(/^\| 1,000 \| 23,351,351 \| 60,000 \| [\d.]+ \| [\d,]+ \| [\d,]+ \| [\d,]+ \| [\d,]+ \| [\d,]+ \([\d.]+ h\) \|$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
