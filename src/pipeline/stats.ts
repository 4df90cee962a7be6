// Cumulative counts of a lake: the sum of its partition heads' running totals (each commit
// updates its partition's head atomically), so stats cost one read per source partition
// however old the lake is, and a replay's commit replaces its batch's counts, never adds.
import { addCounts, emptyCounts, type BatchCounts } from '../silver/refine';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CommitLog, Lake, PartitionHead } from './ports';
import { tryReadSnapshot } from '../delta';
import { Duck, lit } from '../gold/duck';
import { SILVER_TABLES } from './refine-batch';
import { utf8Lines } from '../util/utf8-lines';
import { publishedSeq } from './publish-silver';
import type { QuarantineRecord } from '../silver/rows';

export interface PipelineStats extends Omit<BatchCounts, 'codes'> {
  batches: number;
  codes: Record<string, number>;
}

export async function pipelineStats(commits: CommitLog): Promise<PipelineStats> {
  return statsOf(await commits.heads());
}

/** The counts of heads a caller already holds (so it need not read them twice). */
export function statsOf(heads: readonly PartitionHead[]): PipelineStats {
  const total = emptyCounts();
  let batches = 0;
  for (const h of heads) {
    addCounts(total, h.totals);
    batches += h.batches;
  }
  const codes: Record<string, number> = {};
  for (const code of Object.keys(total.codes).sort()) if (total.codes[code]) codes[code] = total.codes[code]!;
  return {
    received: total.received,
    written: total.written,
    quarantined: total.quarantined,
    dropped: total.dropped,
    duplicates: total.duplicates,
    warned: total.warned,
    malformed: total.malformed,
    batches,
    codes,
  };
}

/** When the newest commit of these heads was made (ISO text), or null when there is none. */
export function latestCommittedAt(heads: readonly PartitionHead[]): string | null {
  let latest = '';
  for (const h of heads) if (h.lastCommitAt && h.lastCommitAt > latest) latest = h.lastCommitAt;
  return latest || null;
}

/**
 * Quarantine records, as JSON lines in the shape of QuarantineRecord: the quarantine Delta
 * table's files, then the files of live batches not yet published to it (and JSON files of
 * batches from before silver was Delta). A replayed batch not yet published is read from its
 * new files only: its earlier rows in the table (in its old file, or merged by compaction into
 * a larger one) are left out by their bronze file. Uncommitted attempts are never read.
 */
export async function* quarantineLines(commits: CommitLog, lake: Lake): AsyncGenerator<string> {
  const root = SILVER_TABLES.quarantine;
  const snap = await tryReadSnapshot(lake, root);
  const tableFiles = [...(snap?.files.values() ?? [])].map((f) => `${root}/${f.key}`);
  const listed = new Set(tableFiles);
  const unpublished: string[] = [];
  const superseded = new Set<string>();
  for (const c of await commits.all()) {
    const published = c.seq !== undefined && c.seq <= publishedSeq(snap, c.partition);
    if (!published && c.replaces) superseded.add(c.bronzeFile);
    for (const f of c.files) if (f.startsWith(`${root}/`) && !listed.has(f) && !(published && f.endsWith('.parquet'))) unpublished.push(f);
  }
  let duck: Duck | undefined;
  try {
    for (const [f, skip] of [...tableFiles.map((t) => [t, superseded] as const), ...unpublished.map((u) => [u, undefined] as const)]) {
      if (!f.endsWith('.parquet')) {
        for (const { text } of utf8Lines(await lake.readFile(f))) yield text;
        continue;
      }
      duck ??= await Duck.open({ threads: 1 });
      for (const r of await readQuarantineParquet(duck, lake, f)) if (!skip?.has(r.bronze_file)) yield JSON.stringify(r);
    }
  } finally {
    duck?.close();
  }
}

/** The records of one quarantine Parquet file, in the JSON shape silver wrote before (dates and times as text). */
async function readQuarantineParquet(duck: Duck, lake: Lake, file: string): Promise<QuarantineRecord[]> {
  let local = lake.localPath?.(file);
  let tmp: string | undefined;
  if (!local) {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'orderlake-q-'));
    local = path.join(tmp, 'q.parquet');
    await fs.writeFile(local, await lake.readFile(file));
  }
  try {
    const rows = await duck.rows(`SELECT to_json(codes)::VARCHAR AS codes, to_json(errors)::VARCHAR AS errors, event_id, order_id, strftime(ingest_date, '%Y-%m-%d') AS ingest_date,
      strftime(ingestion_time, '%Y-%m-%dT%H:%M:%S.%gZ') AS ingestion_time, partition, "offset", sequence_number::DOUBLE AS sequence_number, bronze_file, body, body_base64
      FROM read_parquet(${lit(local)})`);
    return rows.map((r) => {
      const rec: QuarantineRecord = {
        codes: JSON.parse(String(r['codes'])) as string[],
        errors: JSON.parse(String(r['errors'])) as Array<{ code: string; message: string }>,
        event_id: (r['event_id'] as string | null) ?? null,
        order_id: (r['order_id'] as string | null) ?? null,
        ingest_date: String(r['ingest_date']),
        ingestion_time: String(r['ingestion_time']),
        partition: String(r['partition']),
        offset: String(r['offset']),
        sequence_number: Number(r['sequence_number']),
        bronze_file: String(r['bronze_file']),
        body: (r['body'] as string | null) ?? null,
      };
      if (r['body_base64'] !== null && r['body_base64'] !== undefined) rec.body_base64 = String(r['body_base64']);
      return rec;
    });
  } finally {
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  }
}
