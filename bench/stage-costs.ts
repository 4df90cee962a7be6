// Figure 1's in-process yardstick: the stages' compute alone, without files or state.
import { decide } from '../src/silver/refine';
import { silverBatchFiles } from '../src/pipeline/refine-batch';
import { serialiseBronze } from '../src/bronze/bronze';
import type { SourceEvent } from '../src/pipeline/types';

export interface StageCosts {
  bronzeUs: number;
  decideUs: number;
  silverUs: number;
  bytesOut: number;
  bytesIn: number;
}

/**
 * The stages' compute alone, in this process, in batches of 1,000 as the runner makes them:
 * microseconds per event for the bronze file's bytes, the decisions (parse, rules, silver
 * rows) and the silver files' bytes, and the bytes written per input byte. No files, no state.
 */
export function stageCosts(lines: readonly string[]): StageCosts {
  const enqueuedTime = new Date().toISOString();
  let bronzeNs = 0;
  let decideNs = 0;
  let silverNs = 0;
  let bytesOut = 0;
  let bytesIn = 0;
  for (let i = 0; i < lines.length; i += 1000) {
    const events: SourceEvent[] = lines.slice(i, i + 1000).map((body, j) => ({ partition: '0', offset: String(i + j), sequenceNumber: i + j, enqueuedTime, body }));
    for (const l of lines.slice(i, i + 1000)) bytesIn += Buffer.byteLength(l) + 1;
    const t0 = process.hrtime.bigint();
    const bronze = serialiseBronze({ partition: '0', events });
    const t1 = process.hrtime.bigint();
    const decisions = events.map((e) => decide(e, 'bronze/ingest_date=2026-11-21/partition=0/p0-000000000000-000000000999.jsonl'));
    const t2 = process.hrtime.bigint();
    const files = silverBatchFiles(decisions, 'p0-000000000000-000000000999');
    const t3 = process.hrtime.bigint();
    bronzeNs += Number(t1 - t0);
    decideNs += Number(t2 - t1);
    silverNs += Number(t3 - t2);
    bytesOut += bronze.length;
    for (const f of files.values()) bytesOut += f.bytes.length;
  }
  const us = (ns: number) => ns / 1000 / lines.length;
  return { bronzeUs: us(bronzeNs), decideUs: us(decideNs), silverUs: us(silverNs), bytesOut, bytesIn };
}
