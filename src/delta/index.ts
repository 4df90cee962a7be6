// The Delta Lake table module (protocol reader 1 / writer 2), shared by silver and gold. It
// talks to storage only through the Lake port, so it runs on the local folder and on ADLS.
export type { Action, AddAction, RemoveAction, MetadataAction, ProtocolAction, TxnAction, PartitionValues, FileStats, LiveFile, Tombstone, DeltaSnapshot } from './types';
export { ConcurrentCommitError, CommitConflictError, DeltaTableNotFoundError, DeltaLogError, PostCommitError } from './errors';
export { type DeltaField, type DeltaType, arrayOf, schemaString, parseSchemaString, validateSchema, deltaTypeOfDuckDb } from './schema';
export { type TableProperties, tableProperties, parseInterval } from './properties';
export { LOG_DIR, commitPath, checkpointPath, lastCheckpointPath, toLogPath, fromLogPath } from './paths';
export { serializePartitionValue, partitionFolder, escapePartitionValue } from './partition';
export { readSnapshot, tryReadSnapshot, updateSnapshot, readCommit, type SnapshotOptions } from './snapshot';
export { SnapshotCache, readTable } from './snapshot-cache';
export { loadSeeds, saveSeeds, type SnapshotSeed } from './snapshot-seeds';
export { commit, commitActions, writeCommit, type NewFile, type TableDefinition, type CommitRequest, type CommitOptions, type CommitResult } from './commit';
export { appendFiles, type AppendRequest, type AppendResult } from './append';
export { writeCheckpoint, readLastCheckpoint, isCheckpointDue, type LastCheckpoint } from './checkpoint';
export { runPostCommit, type PostCommitResult } from './post-commit';
export { cleanupExpiredLogs, type CleanupOptions } from './cleanup';
export { vacuum, type VacuumOptions, type VacuumResult } from './vacuum';
export { statsFromValues, type ColumnValues, type StatsOptions } from './stats-values';
export { parquetFileStats, type ParquetStats, type ParquetStatsOptions } from './parquet-stats';
export { statsColumns } from './stats';
