// Publishing a gold run: each table's Delta commit adds the run's files and removes the ones
// they replace, with txn actions saying which gold run and which silver position per source
// partition the table reflects, in the same atomic commit. Removed files are not deleted: a
// reader in the middle of the previous version keeps reading (vacuum deletes them after the
// retention period). A table already at this run (a killed run's commit) is left as it is.
import { readSnapshot, commitDelta, type DeltaSnapshot } from './delta';
import { GOLD_ROOT, type TablePublish } from './state';
import type { Lake } from '../pipeline/ports';

/** The txn application id of gold runs. */
export const GOLD_APP = 'orderlake-gold';
/** The txn application id of a silver source partition's position. */
export const silverApp = (partition: string) => `orderlake-silver-${partition}`;

export interface PublishResult {
  name: string;
  version: number;
  partitions: number;
  files: number;
}

export async function publishTable(
  lake: Lake, name: string, t: TablePublish, run: number, positions: Readonly<Record<string, number>>, now: Date, snap?: DeltaSnapshot,
): Promise<PublishResult | undefined> {
  const root = `${GOLD_ROOT}/${name}`;
  const current = snap ?? (await readSnapshot(lake, root));
  if ((current.txns.get(GOLD_APP) ?? 0) >= run) return undefined;
  const txn = [{ appId: GOLD_APP, version: run }, ...Object.entries(positions).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })).map(([p, v]) => ({ appId: silverApp(p), version: v }))];
  const version = await commitDelta(lake, root, current, {
    schema: t.schema,
    partitionColumns: t.partitionColumns,
    add: t.add.map((a) => ({ path: a.path, partitionValues: a.partitionValues, size: a.size, numRecords: a.numRecords })),
    remove: t.remove.filter((p) => current.files.has(p) && !t.add.some((a) => a.path === p)),
    operation: 'WRITE',
    now,
    txn,
  });
  return { name, version, partitions: new Set(t.add.map((a) => JSON.stringify(a.partitionValues))).size, files: t.add.length };
}
