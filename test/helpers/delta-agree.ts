// Asserts that the independent reader (test/helpers/delta-reader.ts) sees the same table as our
// snapshot: every table the Delta tests write goes through this check.
import type { DeltaSnapshot } from '../../src/delta';
import { readDeltaLog, type TableFiles } from './delta-reader';

export async function expectReaderAgrees(files: TableFiles, snap: DeltaSnapshot): Promise<void> {
  const t = await readDeltaLog(files);
  expect({
    version: t.version,
    protocol: [t.minReaderVersion, t.minWriterVersion],
    id: t.tableId,
    schemaString: t.schemaString,
    partitionColumns: t.partitionColumns,
    configuration: t.configuration,
    files: t.files,
    txns: t.txns,
  }).toEqual({
    version: snap.version,
    protocol: [snap.protocol.minReaderVersion, snap.protocol.minWriterVersion],
    id: snap.metadata.id,
    schemaString: snap.metadata.schemaString,
    partitionColumns: snap.metadata.partitionColumns,
    configuration: snap.metadata.configuration,
    files: [...snap.files.values()]
      .map((f) => ({ path: f.key, partitionValues: f.add.partitionValues, size: f.add.size, stats: f.add.stats ?? null }))
      .sort((a, b) => (a.path < b.path ? -1 : 1)),
    txns: Object.fromEntries([...snap.txns.entries()].map(([k, v]) => [k, v.version]).sort()),
  });
  // The reader keeps every tombstone it replays; ours keeps the unexpired ones.
  for (const t2 of snap.tombstones.values()) expect(t.tombstones).toContain(t2.key);
}
