import * as path from 'node:path';
import { refineBatch, silverBatchFiles, BatchFailedError } from '../../src/pipeline/refine-batch';
import { writeFileSync } from 'node:fs';
import { query } from '../helpers/parquet';
import { eventIdsOf } from '../helpers/silver';
import { LocalLake } from '../../src/adapters/local/local-lake';
import { LocalState } from '../../src/adapters/local/local-state';
import { pipelineStats } from '../../src/pipeline/stats';
import { decide } from '../../src/silver/refine';
import type { BatchCommit, CommitLog, Lake, PartitionHead } from '../../src/pipeline/ports';
import type { SourceEvent } from '../../src/pipeline/types';
import { orderEvent, sourceEvent, uuid } from '../helpers/events';
import { tempDirs } from '../helpers/tmp';

const tmp = tempDirs();

function open(dir: string) {
  const lake = new LocalLake(dir);
  const state = new LocalState(path.join(dir, '_state'));
  return { lake, state, deps: { lake, ledger: state.ledger, commits: state.commits, now: () => new Date('2026-03-05T12:00:01Z') } };
}

function batch(events: SourceEvent[]) {
  const first = events[0]!.sequenceNumber;
  const last = events[events.length - 1]!.sequenceNumber;
  return { partition: events[0]!.partition, events, batchId: `p0-${first}-${last}`, bronzeFile: `bronze/p0-${first}-${last}.jsonl` };
}

/** Ten events: 7 valid with distinct ids, one resend of the first, one malformed, one test order. */
function tenEvents(startSeq = 0): SourceEvent[] {
  const bodies: Array<string | Record<string, unknown>> = [
    ...Array.from({ length: 7 }, (_, i) => orderEvent({ event_id: uuid(i), order_id: `ORD-00000${100 + i}` })),
    orderEvent({ event_id: uuid(0), order_id: 'ORD-00000100' }),
    '{broken',
    orderEvent({ event_id: uuid(99), customer: { id: 'TEST-1' } }),
  ];
  return bodies.map((b, i) => sourceEvent(b, startSeq + i));
}

/** Event ids in silver, through the files the live commits name. */
async function silverEventIds(lake: Lake & { localPath(p: string): string }, commits: CommitLog): Promise<string[]> {
  return eventIdsOf(lake, (await commits.all()).flatMap((c) => c.files).filter((f) => f.startsWith('silver/order_events/')));
}

describe('refineBatch', () => {
  it('writes silver, quarantine and a commit, and counts every event once', async () => {
    const { lake, state, deps } = open(tmp());
    const r = await refineBatch(batch(tenEvents()), deps);
    expect(r.status).toBe('committed');
    expect(r.commit!.files).toEqual([
      'quarantine/part-p0-0-9-h0.parquet',
      'silver/order_events/part-p0-0-9-h0.parquet',
      'silver/order_lines/part-p0-0-9-h0.parquet',
    ]);
    expect(r.commit!.sequences).toEqual([[0, 9]]);
    expect(r.commit!.orderDates).toEqual(['2026-03-04']);
    expect(await pipelineStats(state.commits)).toEqual({
      received: 10, written: 7, quarantined: 1, dropped: 1, duplicates: 1, warned: 0, malformed: 1, batches: 1,
      codes: { duplicate_event: 1, malformed_json: 1, test_order: 1 },
    });
    expect(await silverEventIds(lake, state.commits)).toEqual(Array.from({ length: 7 }, (_, i) => uuid(i)));
  });

  it('takes an id seen in an earlier batch as a duplicate, across runs (a new state object reads the ledger)', async () => {
    const dir = tmp();
    await refineBatch(batch(tenEvents(0)), open(dir).deps);
    const again = open(dir); // a new process
    const r = await refineBatch(batch([sourceEvent(orderEvent({ event_id: uuid(3) }), 10), sourceEvent(orderEvent({ event_id: uuid(50) }), 11)]), again.deps);
    expect(r.commit!.counts).toMatchObject({ received: 2, written: 1, duplicates: 1 });
    expect((await pipelineStats(again.state.commits)).received).toBe(12);
  });

  it('treats dedup keys case-insensitively (UUIDs are)', async () => {
    const { deps } = open(tmp());
    const r = await refineBatch(batch([sourceEvent(orderEvent({ event_id: uuid(1) }), 0), sourceEvent(orderEvent({ event_id: uuid(1).toUpperCase() }), 1)]), deps);
    expect(r.commit!.counts).toMatchObject({ written: 1, duplicates: 1 });
  });

  it('changes nothing when the same batch is delivered again', async () => {
    const dir = tmp();
    const { lake, state, deps } = open(dir);
    await refineBatch(batch(tenEvents()), deps);
    const before = await lake.list('');
    const r = await refineBatch(batch(tenEvents()), open(dir).deps);
    expect(r.status).toBe('already-committed');
    expect(await lake.list('')).toEqual(before);
    expect((await pipelineStats(state.commits)).received).toBe(10);
  });

  it('processes only the new positions of a batch that overlaps a committed one', async () => {
    const dir = tmp();
    const { lake, state, deps } = open(dir);
    const events = tenEvents();
    await refineBatch(batch(events.slice(0, 5)), deps);
    const r = await refineBatch(batch([...events.slice(3), sourceEvent(orderEvent({ event_id: uuid(20) }), 10)]), deps);
    expect(r.commit!.sequences).toEqual([[5, 10]]);
    const s = await pipelineStats(open(dir).state.commits);
    expect(s).toMatchObject({ received: 11, written: 8, duplicates: 1 });
    expect(await silverEventIds(lake, state.commits)).toEqual([...Array.from({ length: 7 }, (_, i) => uuid(i)), uuid(20)]);
  });

  it('finishes a batch retried after a crash at any effect, with the same result as a clean run', async () => {
    const clean = open(tmp());
    await refineBatch(batch(tenEvents()), clean.deps);
    const cleanStats = await pipelineStats(clean.state.commits);
    const cleanIds = await silverEventIds(clean.lake, clean.state.commits);
    // Effects in order: ledger claim, three file writes, commit. Crash after 0..4 of them.
    for (let crashAt = 0; crashAt < 5; crashAt++) {
      const dir = tmp();
      const crashing = open(dir);
      let effects = 0;
      const step = () => {
        if (effects++ === crashAt) throw new Error('simulated crash');
      };
      const lake = crashing.lake;
      const deps = {
        ...crashing.deps,
        ledger: { claim: async (c: Array<{ eventId: string; position: string }>) => { const r = await crashing.state.ledger.claim(c); step(); return r; }, release: async () => {} },
        lake: {
          list: (p: string) => lake.list(p), readFile: (p: string) => lake.readFile(p), deleteFile: (p: string) => lake.deleteFile(p), sweepTemporary: (d: Date) => lake.sweepTemporary(d),
          writeFileIfAbsent: (p: string, d: string | Uint8Array) => lake.writeFileIfAbsent(p, d),
          writeFile: async (p: string, d: string | Uint8Array) => { step(); return lake.writeFile(p, d); },
        },
        commits: {
          head: (p: string) => crashing.state.commits.head(p), heads: () => crashing.state.commits.heads(), all: () => crashing.state.commits.all(),
          since: (c: string | undefined) => crashing.state.commits.since(c),
          commit: async (c: BatchCommit, h: PartitionHead) => { step(); return crashing.state.commits.commit(c, h); },
        },
      };
      await expect(refineBatch(batch(tenEvents()), deps)).rejects.toThrow('simulated crash');
      const retry = open(dir); // a fresh process: only what reached disk survives
      expect((await refineBatch(batch(tenEvents()), retry.deps)).status).toBe('committed');
      expect(await pipelineStats(retry.state.commits)).toEqual(cleanStats);
      expect(await silverEventIds(retry.lake, retry.state.commits)).toEqual(cleanIds);
    }
  });

  it('after a lost commit race, claims only ids it does not own yet (a claim of owned ids costs a read each on Table storage)', async () => {
    const clean = open(tmp());
    await refineBatch(batch(tenEvents()), clean.deps);
    const { lake, state, deps } = open(tmp());
    // The batch before this one in its partition, its ids known to the ledger: its duplicate below must still be found.
    await state.ledger.claim([{ eventId: uuid(6), position: 'p0:9999' }]);
    const claimed: string[][] = [];
    let lose = 1;
    const racing = {
      ...deps,
      ledger: {
        claim: async (c: Array<{ eventId: string; position: string }>) => { claimed.push(c.map((x) => x.eventId)); return state.ledger.claim(c); },
        release: (c: Array<{ eventId: string; position: string }>) => state.ledger.release(c),
      },
      commits: {
        head: (p: string) => state.commits.head(p), heads: () => state.commits.heads(), all: () => state.commits.all(),
        since: (c: string | undefined) => state.commits.since(c),
        commit: async (c: BatchCommit, h: PartitionHead) => (lose-- > 0 ? false : state.commits.commit(c, h)),
      },
    };
    const r = await refineBatch(batch(tenEvents()), racing);
    expect(r.status).toBe('committed');
    // First attempt: the 7 distinct valid ids and the resend of the first; second: the resend
    // (owned by another position) and the id another batch owns, nothing this batch owns.
    expect(claimed.map((c) => c.length)).toEqual([8, 2]);
    expect(claimed[1]!.sort()).toEqual([uuid(0), uuid(6)].sort());
    expect(r.commit!.counts.duplicates).toBe(2);
    expect(r.commit!.counts.written).toBe((await pipelineStats(clean.state.commits)).written - 1);
    expect((await silverEventIds(lake, state.commits)).length).toBe(6);
  });

  it('on a replay that no longer accepts an id written with spaces around it, releases the id as it was claimed (trimmed), so a resend is not lost as a duplicate', async () => {
    const { deps } = open(tmp());
    const padded = ` ${uuid(1).toUpperCase()} `;
    const first = await refineBatch(batch([sourceEvent(orderEvent({ event_id: padded }), 0)]), deps);
    expect(first.commit!.counts.written).toBe(1);
    // The same position decided again after a rule change: it is quarantined now.
    const replay = await refineBatch(batch([sourceEvent(orderEvent({ event_id: padded, region: 'MARS' }), 0)]), deps, { replace: first.commit! });
    expect([replay.commit!.counts.quarantined, replay.commit!.counts.written]).toEqual([1, 0]);
    const resend = await refineBatch(batch([sourceEvent(orderEvent({ event_id: uuid(1) }), 1)]), deps);
    expect([resend.commit!.counts.written, resend.commit!.counts.duplicates]).toEqual([1, 0]);
  });

  it('stops a batch that trips quarantine_ratio before writing anything, and claims nothing', async () => {
    const dir = tmp();
    const { lake, state, deps } = open(dir);
    const events = Array.from({ length: 100 }, (_, i) => sourceEvent(i < 51 ? '{bad' : orderEvent({ event_id: uuid(i) }), i));
    const err = await refineBatch(batch(events), deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BatchFailedError);
    expect((err as Error).message).toBe('batch p0-0-99 stopped by rule quarantine_ratio: quarantine_ratio: 51 of 100 records (51.0%) were quarantined; the limit is 50% of a batch of at least 100 records. Nothing of it was written to silver; bronze keeps it at bronze/p0-0-99.jsonl for a replay once the cause is fixed.');
    expect(await lake.list('')).toEqual([]);
    expect(await state.commits.all()).toEqual([]);
    // The valid events of the stopped batch were not claimed: a later copy is accepted.
    const r = await refineBatch(batch([sourceEvent(orderEvent({ event_id: uuid(60) }), 200)]), deps);
    expect(r.commit!.counts.written).toBe(1);
  });
});

describe('silverBatchFiles', () => {
  it('writes at most one Parquet file per silver table, whatever the number of order dates, with its Delta statistics', async () => {
    const d = [
      decide(sourceEvent(orderEvent({ event_id: uuid(1), order_time: '2026-03-01T10:00:00Z', event_time: '2026-03-04T10:00:00Z' }), 0), 'b'),
      decide(sourceEvent(orderEvent({ event_id: uuid(2) }), 1), 'b'),
      decide(sourceEvent('oops', 2), 'b'),
    ];
    const files = silverBatchFiles(d, 'p0-0-2-h0');
    expect([...files.keys()]).toEqual(['silver/order_events/part-p0-0-2-h0.parquet', 'silver/order_lines/part-p0-0-2-h0.parquet', 'quarantine/part-p0-0-2-h0.parquet']);
    const dir = tmp();
    const read = async (name: string) => {
      const file = path.join(dir, name.replace(/\//g, '_'));
      writeFileSync(file, files.get(name)!.bytes);
      return query(`SELECT * REPLACE (CAST(${name.startsWith('quarantine') ? 'ingest_date' : 'order_date'} AS VARCHAR) AS ${name.startsWith('quarantine') ? 'ingest_date' : 'order_date'}) FROM read_parquet('${file}') ORDER BY ALL`);
    };
    // Two order dates, one file, sorted by order_date: 2026-03-01 first.
    expect((await read('silver/order_events/part-p0-0-2-h0.parquet')).map((r) => [r['event_id'], String(r['order_date'])])).toEqual([[uuid(1), '2026-03-01'], [uuid(2), '2026-03-04']]);
    expect((await read('silver/order_lines/part-p0-0-2-h0.parquet')).length).toBe(4);
    expect((await read('quarantine/part-p0-0-2-h0.parquet')).map((r) => r['body'])).toEqual(['oops']);
    expect(files.get('silver/order_events/part-p0-0-2-h0.parquet')!.stats).toMatchObject({ numRecords: 2, minValues: { order_date: '2026-03-01' }, maxValues: { order_date: '2026-03-04' } });
  });
});
