// The Event Hubs trigger's batch (cardinality many) as a SourceBatch. Positions come from
// the host's trigger metadata; bodies are kept byte for byte: the trigger uses dataType
// 'binary' so each body arrives as a Buffer (with the default data type the host parses
// every body as JSON and fails the whole batch on one that is not).
import { isUtf8 } from 'node:buffer';
import type { SourceBatch, SourceEvent } from '../pipeline/types';

function asArray(v: unknown, name: string, length: number): unknown[] {
  let a = v;
  if (typeof a === 'string') {
    try {
      a = JSON.parse(a);
    } catch {
      // not JSON: reported below
    }
  }
  if (!Array.isArray(a) || a.length !== length) {
    throw new Error(`expected trigger metadata ${name} to be an array of ${length} entries (one per event), got ${JSON.stringify(v)?.slice(0, 200)}`);
  }
  return a;
}

/** One message as the host delivered it, as text (or base64 when the bytes are not UTF-8). */
export function bodyOf(m: unknown): { body: string | undefined; bodyBase64?: string } {
  if (Buffer.isBuffer(m) || m instanceof Uint8Array) {
    const buf = Buffer.from(m);
    return isUtf8(buf) ? { body: buf.toString('utf8') } : { body: undefined, bodyBase64: buf.toString('base64') };
  }
  if (typeof m === 'string') return { body: m };
  // A host that parsed the body anyway: keep what it parsed, as JSON text.
  return { body: JSON.stringify(m) ?? 'null' };
}

export function toSourceBatch(messages: unknown, triggerMetadata: Record<string, unknown> | undefined): SourceBatch {
  const list = Array.isArray(messages) ? messages : [messages];
  const md = triggerMetadata ?? {};
  const ctx = (md['partitionContext'] ?? {}) as { partitionId?: unknown };
  if (typeof ctx.partitionId !== 'string' && typeof ctx.partitionId !== 'number') {
    throw new Error(`expected trigger metadata partitionContext.partitionId, got ${JSON.stringify(md['partitionContext'])?.slice(0, 200)}`);
  }
  const partition = String(ctx.partitionId);
  const seqs = asArray(md['sequenceNumberArray'], 'sequenceNumberArray', list.length);
  const offsets = asArray(md['offsetArray'], 'offsetArray', list.length);
  const times = asArray(md['enqueuedTimeUtcArray'], 'enqueuedTimeUtcArray', list.length);
  const events: SourceEvent[] = list.map((m, i) => {
    const seq = Number(seqs[i]);
    const enq = new Date(String(times[i]));
    if (!Number.isSafeInteger(seq) || Number.isNaN(enq.getTime())) {
      throw new Error(`expected a sequence number and an enqueued time for event ${i} of partition ${partition}, got ${JSON.stringify(seqs[i])} and ${JSON.stringify(times[i])}`);
    }
    return { partition, offset: String(offsets[i]), sequenceNumber: seq, enqueuedTime: enq.toISOString(), ...bodyOf(m) };
  });
  return { partition, events };
}
