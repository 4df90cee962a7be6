// The whole pipeline fuzzed, gold included: a fast-check model of hostile events (every field:
// non-finite and huge numbers, deep structures, unpaired surrogates, lookalike letters,
// control characters, long strings, wrong types, prototype keys) mixed into a clean stream
// and run through the local runner (bronze, silver, gold) as `orderlake run` does.
// Invariants per case:
//   - the run finishes, every batch commits (one record never stops a batch);
//   - received = written + quarantined + dropped + duplicates;
//   - gold builds, and the hostile records that were rejected change nothing: gold equals a
//     run of the clean events plus only the hostile ones silver accepted (valid extremes on
//     their own orders, such as a 1e300 total or a deep extra field).
// CI runs a few cases; `npm run fuzz` runs many (FUZZ_RUNS, FUZZ_SEED), see docs/reliability.md.
import fc from 'fast-check';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runLocal, openLocalLake } from '../../src/local/runner';
import { pipelineStats } from '../../src/pipeline/stats';
import { exportTable } from '../../src/gold/export';
import { GOLD_TABLES } from '../../src/gold/tables';
import { jsonText } from '../../src/util/json-text';
import { generateEvents, DEFAULT_STREAM, CLEAN } from '../../producer/generator';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 4);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261201);
const BIG = Number(process.env['FUZZ_BIG_BYTES'] ?? 200_000);
jest.setTimeout(Math.max(300_000, RUNS * 60_000));

const NOW = new Date('2026-06-02T00:00:00Z');
const CLEAN_LINES = [...generateEvents({ ...DEFAULT_STREAM, seed: 5, events: 300, days: 10, end: new Date('2026-06-01T00:00:00Z'), dirt: CLEAN })];

/** Raw JSON texts of hostile values: what a producer's bug or an attacker could send. */
const rawValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '1e999999', '-1e999999', `"${'9'.repeat(400)}"`, '"NaN"', '"Infinity"', '"-0"', '-0', '5e-324', '1.7976931348623157e308', '1e20', '9007199254740993',
    '"\\ud800"', '"a\\udc00b"', '"paıd"', '"ſhipped"', '"ＰＡＩＤ"', '"ЕUR"', '"north\\tamerica"', '"\\u0000\\u001f\\u2028\\u2029\\ufeff"',
    'null', 'true', '[]', '{}', '[[[[[[]]]]]]', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}',
  ),
  fc.integer({ min: 1, max: 30_000 }).map((d) => '['.repeat(d) + ']'.repeat(d)),
  fc.integer({ min: 1, max: 3 }).map((k) => `"${'x'.repeat(Math.floor(BIG / k))}"`),
  fc.string({ maxLength: 20 }).map((s) => JSON.stringify(s)),
  fc.double().map((d) => (Number.isFinite(d) ? String(d) : '1e999')),
);

const FIELDS = ['event_id', 'order_id', 'status', 'event_time', 'order_time', 'customer', 'region', 'country', 'city', 'channel', 'payment_method', 'currency', 'items', 'shipping_cost', 'discount', 'total_amount', 'schema_version'];

/** A clean event (JSON text) with the raw value put in place of `field`, or under an extra key. */
function withRaw(line: string, field: string, raw: string): string {
  const e = JSON.parse(line) as Record<string, unknown>;
  delete e[field];
  return jsonText(e).replace(/^\{/, `{${JSON.stringify(field)}:${raw},`);
}

/** A defect per field that quarantines a record while keeping its body parseable, so every other rule still looks at it. */
const DEFECTS: Record<string, string> = {
  event_id: '"not-a-uuid"', order_id: '"ORD-1"', status: '"paıd"', region: '"north\\u00a0america"', currency: '"ЕUR"',
  event_time: '"2026-06-01T00:00:00"', items: '[]',
};

/** A rejected record: hostile values in one to three contract fields, and a defect that must quarantine it. */
const rejected = fc.record({
  base: fc.nat(CLEAN_LINES.length - 1),
  patches: fc.array(fc.tuple(fc.constantFrom(...FIELDS), rawValue), { minLength: 1, maxLength: 3 }),
  defect: fc.constantFrom('event_id', 'order_id', 'status', 'region', 'currency', 'event_time', 'items'),
  order: fc.integer({ min: 900_000, max: 999_999 }),
}).map(({ base, patches, defect, order }) => {
  let line = CLEAN_LINES[base]!.replace(/"order_id":"ORD-\d+"/, `"order_id":"ORD-${order}"`);
  for (const [field, raw] of patches) line = withRaw(line, field, raw);
  return withRaw(line, defect, DEFECTS[defect]!);
});

/** A valid record on its own order with extreme values where the contract allows any: silver must take it whole. */
const extreme = fc.record({
  base: fc.nat(CLEAN_LINES.length - 1),
  order: fc.integer({ min: 800_000, max: 899_999 }),
  total: fc.constantFrom('1e17', '1e300', '1.7976931348623157e308', '0.01', `"${'1'.repeat(30)}"`),
  extra: rawValue,
  city: fc.constantFrom('"\\u0000\\u001f\\u2028"', '"paıd"', `"${'c'.repeat(BIG)}"`, '"\\ud83d\\ude00"'),
}).map(({ base, order, total, extra, city }) => {
  const e = JSON.parse(CLEAN_LINES[base]!) as Record<string, unknown>;
  e['order_id'] = `ORD-${order}`;
  e['event_id'] = `${String(order).padStart(8, '0')}-0000-4000-8000-${String(base).padStart(12, '0')}`;
  let line = withRaw(jsonText(e), 'total_amount', total);
  line = withRaw(line, 'city', city);
  // An extra field that is itself hostile text is kept whole in _rescued, unless it makes the body malformed.
  return line.replace(/^\{/, `{"x_extra":${extra},`);
});

async function goldText(lakeDir: string): Promise<string> {
  const { lake } = openLocalLake(lakeDir);
  let out = '';
  for (const t of GOLD_TABLES) {
    if (t.name === 'data_quality' || t.name === 'data_quality_runs') continue; // they count the hostile records, by design
    out += `# ${t.name}\n`;
    for await (const line of exportTable(lake, t.name)) out += line + '\n';
  }
  return out;
}

async function run(dir: string, name: string, lines: string[]) {
  const input = path.join(dir, `${name}.jsonl`);
  await fs.writeFile(input, lines.join('\n') + '\n');
  const lakeDir = path.join(dir, name);
  const summary = await runLocal({ input, lakeDir, now: () => NOW, batchSize: 50 });
  return { lakeDir, summary, stats: await pipelineStats(openLocalLake(lakeDir).state.commits) };
}

describe('the whole pipeline on hostile events', () => {
  it(`finishes, keeps the counts, builds gold, and rejected records change no gold (${RUNS} cases, seed ${SEED})`, async () => {
    const outer = mkdtempSync(path.join(tmpdir(), 'orderlake-pfuzz-'));
    let n = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(rejected, { maxLength: 25 }), fc.array(extreme, { maxLength: 4 }), fc.nat(), async (bad, extremes, shuffleSeed) => {
          const dir = path.join(outer, `case-${n++}`);
          await fs.mkdir(dir);
          // Hostile records spread through the clean stream.
          // Each extreme event gets its own id: two different events under one id would make gold depend on arrival order.
          extremes = extremes.map((line, i) => line.replace(/"event_id":"([0-9a-f]{8})-[^"]*"/, (_m, head: string) => `"event_id":"${head}-0000-4000-8000-${String(i).padStart(12, '0')}"`));
          const mixed = [...CLEAN_LINES];
          let s = shuffleSeed;
          for (const line of [...bad, ...extremes]) mixed.splice((s = (s * 1103515245 + 12345) % 2 ** 31) % (mixed.length + 1), 0, line);
          const all = await run(dir, 'mixed', mixed);
          expect(all.summary.failedBatches).toBe(0);
          const c = all.stats;
          expect(c.received).toBe(mixed.length);
          expect(c.written + c.quarantined + c.dropped + c.duplicates).toBe(c.received);
          expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
          // The same clean stream with only the extremes: rejected records must have changed nothing.
          const without = await run(dir, 'without', [...CLEAN_LINES, ...extremes]);
          expect(all.stats.written).toBe(without.stats.written);
          expect(await goldText(all.lakeDir)).toBe(await goldText(without.lakeDir));
          await fs.rm(dir, { recursive: true, force: true });
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    } finally {
      rmSync(outer, { recursive: true, force: true });
    }
  });
});
