// Publishing silver as Delta tables (silver/order_events, silver/order_lines, quarantine).
// Silver batches commit to the state store (partition heads), never to Delta: many silver
// instances would otherwise queue on one Delta log. One publisher (the gold timer, under its
// lease; locally, the lake's one writer) appends the new commits' files to each table in one
// Delta commit per table, with a txn action per source partition: the highest silver commit
// number the table holds. The txn is in the same atomic commit as the files, so a publisher
// killed at any point publishes each batch exactly once on its next run.
import { commit, tryReadSnapshot, type DeltaField, type LiveFile, type NewFile } from '../delta';
import { deltaSchema, SILVER_EVENT_COLUMNS, SILVER_LINE_COLUMNS, QUARANTINE_COLUMNS } from '../silver/parquet/tables';
import { SILVER_TABLES } from './refine-batch';
import { TABLE_PROPERTIES, liveByKey, silverApp } from './delta-policy';
import type { BatchCommit, CommitLog, DocumentStore, Lake } from './ports';

const CURSOR_DOC = 'silver-publish';

const SCHEMAS: Record<keyof typeof SILVER_TABLES, DeltaField[]> = {
  events: deltaSchema(SILVER_EVENT_COLUMNS as never).fields as DeltaField[],
  lines: deltaSchema(SILVER_LINE_COLUMNS as never).fields as DeltaField[],
  quarantine: deltaSchema(QUARANTINE_COLUMNS as never).fields as DeltaField[],
};

export interface SilverPublishDeps {
  lake: Lake;
  commits: CommitLog;
  documents: DocumentStore;
  now?: () => Date;
}

export interface SilverPublishSummary {
  /** Commits read since the last publish. */
  commits: number;
  /** Per table: the new version and files added, when the table got a commit. */
  tables: Array<{ table: string; version: number; added: number; removed: number }>;
}

/** The files of `c` in table `root` (Parquet: batches before silver became Delta wrote JSON lines, which no Delta table holds). */
function filesOf(c: BatchCommit, root: string): string[] {
  return c.files.filter((f) => f.startsWith(`${root}/`) && f.endsWith('.parquet'));
}

export async function publishSilver(deps: SilverPublishDeps): Promise<SilverPublishSummary> {
  const now = deps.now ?? (() => new Date());
  const saved = await deps.documents.get<{ cursor?: string }>(CURSOR_DOC);
  const fresh = await deps.commits.since(saved?.cursor);
  const summary: SilverPublishSummary = { commits: fresh.commits.length, tables: [] };
  if (!fresh.commits.length) return summary;
  // Lines before events: a reader that finds an event in events finds its lines.
  for (const kind of ['lines', 'events', 'quarantine'] as const) {
    const root = SILVER_TABLES[kind];
    const snap = await tryReadSnapshot(deps.lake, root, { now });
    const live = liveByKey(snap);
    const published = (p: string) => snap?.txns.get(silverApp(p))?.version ?? 0;
    const adds: NewFile[] = [];
    const removes: LiveFile[] = [];
    const positions = new Map<string, number>();
    for (const c of fresh.commits) {
      if (c.seq === undefined || c.seq <= published(c.partition)) continue; // in the table already
      positions.set(c.partition, Math.max(positions.get(c.partition) ?? 0, c.seq));
      for (const f of filesOf(c, root)) {
        const meta = c.fileStats?.[f];
        adds.push({ key: f.slice(root.length + 1), partitionValues: {}, size: meta?.size ?? 0, modificationTime: now().getTime(), ...(meta ? { stats: meta.stats } : {}) });
      }
      // A replay's commit replaces its batch's earlier files.
      for (const f of c.replaces?.files ?? []) {
        const gone = f.startsWith(`${root}/`) ? live.get(f.slice(root.length + 1)) : undefined;
        if (gone) removes.push(gone);
      }
    }
    if (!positions.size) continue;
    const { version } = await commit(deps.lake, root, snap, {
      operation: 'STREAMING UPDATE',
      // Silver's writer gives statistics for every column (33 in order_events, one past Delta's default of 32).
      metadata: { schema: SCHEMAS[kind], partitionColumns: [], configuration: { ...TABLE_PROPERTIES, 'delta.dataSkippingNumIndexedCols': '-1' } },
      adds,
      removes,
      txns: [...positions].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })).map(([p, v]) => ({ appId: silverApp(p), version: v })),
      isBlindAppend: !removes.length,
    }, { now });
    summary.tables.push({ table: root, version, added: adds.length, removed: removes.length });
  }
  await deps.documents.put(CURSOR_DOC, { cursor: fresh.cursor });
  return summary;
}
