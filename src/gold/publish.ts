// Publishing a gold run: each table's Delta commit adds the run's files and removes the ones
// they replace, with txn actions saying which gold run and which silver position per source
// partition the table reflects, in the same atomic commit. Removed files are not deleted: a
// reader in the middle of the previous version keeps reading (vacuum deletes them once the
// table's retention has passed). Checkpoints and log cleanup follow the commit (src/delta). A
// table already at this run (a killed run's commit) is left as it is.
import { commit, type DeltaSnapshot, type LiveFile, type SnapshotCache } from '../delta';
import { GOLD_APP, TABLE_PROPERTIES, liveByKey, silverApp } from '../pipeline/delta-policy';
import { GOLD_ROOT, type TablePublish } from './state';
import type { Lake } from '../pipeline/ports';

export interface PublishResult {
  name: string;
  version: number;
  partitions: number;
  files: number;
}

export async function publishTable(
  lake: Lake, name: string, t: TablePublish, run: number, positions: Readonly<Record<string, number>>, now: Date,
  read: { snap?: DeltaSnapshot | undefined; snapshots: SnapshotCache },
): Promise<PublishResult | undefined> {
  const root = `${GOLD_ROOT}/${name}`;
  const current = read.snap ?? (await read.snapshots.read(lake, root, { now: () => now }));
  if ((current?.txns.get(GOLD_APP)?.version ?? 0) >= run) return undefined;
  const live = liveByKey(current);
  const adding = new Set(t.add.map((a) => a.path));
  const txns = [{ appId: GOLD_APP, version: run }, ...Object.entries(positions).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })).map(([p, v]) => ({ appId: silverApp(p), version: v }))];
  const { version, snapshot } = await commit(lake, root, current, {
    operation: 'WRITE',
    metadata: { schema: t.schema, partitionColumns: t.partitionColumns, configuration: { ...TABLE_PROPERTIES } },
    adds: t.add.map((a) => ({ key: a.path, partitionValues: a.partitionValues, size: a.size, modificationTime: now.getTime(), ...(a.stats !== undefined ? { stats: a.stats } : {}) })),
    removes: t.remove.filter((p) => !adding.has(p)).map((p) => live.get(p)).filter((f): f is LiveFile => f !== undefined),
    txns,
  }, { now: () => now });
  read.snapshots.keep(snapshot);
  return { name, version, partitions: new Set(t.add.map((a) => JSON.stringify(a.partitionValues))).size, files: t.add.length };
}
