// Hostile input, fuzzed: every record lands in silver, quarantine or dropped (exactly one),
// never crashes a batch, never pollutes a prototype, and nothing is written outside the lake.
import fc from 'fast-check';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { decide, countDecisions } from '../../src/silver/refine';
import { refineBatch, BatchFailedError } from '../../src/pipeline/refine-batch';
import { LocalLake } from '../../src/adapters/local/local-lake';
import { LocalState } from '../../src/adapters/local/local-state';
import { orderEvent, sourceEvent } from '../helpers/events';
import type { SourceEvent } from '../../src/pipeline/types';

jest.setTimeout(300_000);

const HOSTILE_STRINGS = ['../../etc/passwd', '/abs', 'a\u0000b', '__proto__', 'constructor', '..', '%2e%2e%2f', '\ud800', 'ORD-123456\n', ' '.repeat(50), '😀'];
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS, 1e308, -0, 0, -1, Number.MAX_SAFE_INTEGER, true, false, null, [], {}),
  fc.string({ maxLength: 30 }),
  fc.double({ noNaN: false }),
  fc.integer(),
  fc.jsonValue({ maxDepth: 3 }),
);
const CONTRACT_FIELDS = ['schema_version', 'event_id', 'order_id', 'status', 'event_time', 'order_time', 'customer', 'region', 'country', 'city', 'channel', 'payment_method', 'currency', 'items', 'shipping_cost', 'discount', 'total_amount'];

/** A contract event with some fields replaced by hostile values and hostile extra keys. */
const mutatedEvent = fc
  .record({
    replace: fc.dictionary(fc.constantFrom(...CONTRACT_FIELDS), hostileValue, { maxKeys: 4 }),
    extra: fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '../x', 'a/b', 'x\u0000'), hostileValue, { maxKeys: 3 }),
    itemPatch: fc.dictionary(fc.constantFrom('quantity', 'unit_price', 'product_id', '__proto__'), hostileValue, { maxKeys: 2 }),
  })
  .map(({ replace, extra, itemPatch }) => {
    const e = orderEvent(replace) as Record<string, unknown>;
    const items = e['items'];
    if (Array.isArray(items) && items[0] && typeof items[0] === 'object') Object.assign(items[0] as object, itemPatch);
    // Extra keys written into the JSON text, so "__proto__" is a real own key after parsing.
    let text = JSON.stringify(e);
    for (const [k, v] of Object.entries(extra)) text = text.replace(/^\{/, `{${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'},`);
    return text;
  });

const body: fc.Arbitrary<{ text?: string; bytes?: Uint8Array }> = fc.oneof(
  mutatedEvent.map((text) => ({ text })),
  fc.string({ maxLength: 200 }).map((text) => ({ text })),
  fc.jsonValue({ maxDepth: 6 }).map((v) => ({ text: JSON.stringify(v) })),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ bytes })),
);

function toEvent(b: { text?: string; bytes?: Uint8Array }, seq: number): SourceEvent {
  if (b.text !== undefined) return sourceEvent(b.text, seq);
  const buf = Buffer.from(b.bytes!);
  const { isUtf8 } = require('node:buffer') as typeof import('node:buffer');
  return isUtf8(buf) ? sourceEvent(buf.toString('utf8'), seq) : { ...sourceEvent(undefined, seq), bodyBase64: buf.toString('base64') };
}

function prototypesClean(): boolean {
  const probe = {} as Record<string, unknown>;
  return probe['polluted'] === undefined && Object.keys(Object.prototype).length === 0 && Object.keys(Array.prototype).length === 0;
}

describe('decide on hostile records', () => {
  it('gives exactly one outcome for every record and never throws (5,000 cases)', () => {
    fc.assert(
      fc.property(body, (b) => {
        const d = decide(toEvent(b, 0), 'bronze/x.jsonl');
        expect(['silver', 'quarantine', 'drop']).toContain(d.kind);
        if (d.kind === 'silver') {
          expect(JSON.stringify(d.row)).not.toMatch(/jane@example\.com|Jane Doe/);
          expect(d.row.event_id).toMatch(/^[0-9a-f-]{36}$/);
        }
        if (d.kind === 'quarantine') expect(d.record.errors.length).toBe(d.codes.length);
        expect(prototypesClean()).toBe(true);
      }),
      { numRuns: 5000, seed: 20261121 },
    );
  });

  it('handles the extremes: huge strings, deep nesting, huge arrays, 1e309 and -0', () => {
    const cases: string[] = [
      JSON.stringify(orderEvent({ city: 'x'.repeat(5_000_000) })),
      '['.repeat(100_000) + ']'.repeat(100_000),
      JSON.stringify(orderEvent({})).replace(/^\{/, `{"deep":${'['.repeat(50_000)}${']'.repeat(50_000)},`),
      JSON.stringify(orderEvent({ items: Array.from({ length: 100_000 }, () => ({ product_id: 'P', product_name: 'N', category: 'C', quantity: 1, unit_price: 1 })), total_amount: 100_000 })),
      JSON.stringify(orderEvent({ total_amount: 0 })).replace('"total_amount":0', '"total_amount":1e309'),
      JSON.stringify(orderEvent({ total_amount: 0 })).replace('"total_amount":0', '"total_amount":-0'),
      JSON.stringify(orderEvent({ total_amount: '1'.repeat(1_000_000) + 'x' })),
      JSON.stringify(orderEvent({ customer: { id: 'C', email: `a@${'b'.repeat(1_000_000)}` } })),
    ];
    const kinds = cases.map((c) => decide(sourceEvent(c), 'bronze/x.jsonl'));
    expect(kinds.map((d) => d.kind)).toEqual(['silver', 'quarantine', 'silver', 'silver', 'quarantine', 'silver', 'quarantine', 'silver']);
    const deep = kinds[2]!;
    // Contract v1.1: a very deep extra field is kept whole, not replaced by a note.
    expect(deep.kind === 'silver' && deep.row._rescued === `{"deep":${'['.repeat(50_000)}${']'.repeat(50_000)}}`).toBe(true);
  });
});

describe('refineBatch on hostile batches', () => {
  it('keeps received = written + quarantined + dropped + duplicates and writes only inside the lake (300 batches)', async () => {
    const outer = mkdtempSync(path.join(tmpdir(), 'orderlake-fuzz-'));
    let run = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(body, { minLength: 1, maxLength: 30 }), async (bodies) => {
          const dir = path.join(outer, `lake-${run++}`);
          const lake = new LocalLake(dir);
          const state = new LocalState(path.join(dir, '_state'));
          const events = bodies.map((b, i) => toEvent(b, i));
          try {
            const r = await refineBatch({ partition: '0', events, batchId: 'p0-fuzz', bronzeFile: 'bronze/p0-fuzz.jsonl' }, { lake, ledger: state.ledger, commits: state.commits });
            const c = r.commit!.counts;
            expect(c.received).toBe(events.length);
            expect(c.written + c.quarantined + c.dropped + c.duplicates).toBe(c.received);
            expect(countDecisions([]).received).toBe(0);
          } catch (e) {
            if (!(e instanceof BatchFailedError)) throw e; // only the fail rule may stop a batch
          }
          expect(prototypesClean()).toBe(true);
        }),
        { numRuns: 300, seed: 7 },
      );
      // Everything written is inside the lakes: the outer folder holds only lake-N folders.
      expect(readdirSync(outer).every((n) => /^lake-\d+$/.test(n))).toBe(true);
    } finally {
      rmSync(outer, { recursive: true, force: true });
    }
  });
});
