// Bronze: every event exactly as received plus where it came from, one JSON-lines file
// per batch. The name comes from (partition, first seq, last seq), so a redelivered
// batch rewrites its file instead of adding a second one.
import type { SourceBatch, SourceEvent } from '../pipeline/types';
import { Utf8Writer } from '../util/utf8-writer';
import { utf8Lines } from '../util/utf8-lines';

const SAFE_PARTITION = /^[A-Za-z0-9_-]{1,64}$/;

export function assertPartitionId(partition: string): void {
  if (!SAFE_PARTITION.test(partition)) {
    throw new Error(`expected a partition id of letters, digits, '-' or '_', got ${JSON.stringify(partition)}`);
  }
}

export function batchIdOf(batch: SourceBatch): string {
  const first = batch.events[0];
  const last = batch.events[batch.events.length - 1];
  if (!first || !last) throw new Error(`expected a batch with at least one event from partition ${batch.partition}, got none`);
  assertPartitionId(batch.partition);
  return `p${batch.partition}-${pad(first.sequenceNumber)}-${pad(last.sequenceNumber)}`;
}

function pad(n: number): string {
  return String(n).padStart(12, '0');
}

/** bronze/ingest_date=<enqueued date of the first event>/partition=<p>/<batch id>.jsonl */
export function bronzePathOf(batch: SourceBatch): string {
  const first = batch.events[0];
  if (!first) throw new Error(`expected a batch with at least one event from partition ${batch.partition}, got none`);
  return `bronze/ingest_date=${first.enqueuedTime.slice(0, 10)}/partition=${batch.partition}/${batchIdOf(batch)}.jsonl`;
}

/** The batch's bronze file: one JSON line per event, as UTF-8 bytes. */
export function serialiseBronze(batch: SourceBatch): Buffer {
  const out = new Utf8Writer(1 << 20);
  for (const e of batch.events) {
    out.write(`{"partition":${JSON.stringify(e.partition)},"offset":${JSON.stringify(e.offset)},"sequence_number":${e.sequenceNumber},"enqueued_time":${JSON.stringify(e.enqueuedTime)},`);
    out.write(e.body !== undefined ? `"body":${JSON.stringify(e.body)}}\n` : `"body_base64":${JSON.stringify(e.bodyBase64 ?? '')}}\n`);
  }
  return out.bytes();
}

/** Reads a bronze file back into its batch, line by line (a batch of large bodies may be more text than one string holds); `where` names the file in errors. */
export function parseBronze(bytes: Buffer, where: string): SourceBatch {
  const events: SourceEvent[] = [];
  let partition: string | undefined;
  for (const { text: line, line: n } of utf8Lines(bytes)) {
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`${where} line ${n}: expected a bronze JSON record, got ${line.slice(0, 80)} (${(e as Error).message})`);
    }
    const p = o['partition'];
    const seq = o['sequence_number'];
    if (typeof p !== 'string' || typeof seq !== 'number' || typeof o['enqueued_time'] !== 'string') {
      throw new Error(`${where} line ${n}: expected partition, sequence_number and enqueued_time, got ${line.slice(0, 120)}`);
    }
    partition ??= p;
    const ev: SourceEvent = {
      partition: p,
      offset: String(o['offset'] ?? ''),
      sequenceNumber: seq,
      enqueuedTime: o['enqueued_time'] as string,
      body: typeof o['body'] === 'string' ? (o['body'] as string) : undefined,
    };
    if (typeof o['body_base64'] === 'string') ev.bodyBase64 = o['body_base64'] as string;
    events.push(ev);
  }
  if (partition === undefined) throw new Error(`${where}: expected at least one bronze record, got an empty file`);
  return { partition, events };
}
