// The Delta Lake log's actions (PROTOCOL.md §Actions) and the reconciled table state a
// snapshot holds. Field names are the protocol's; optional fields are optional here too.
import type { DeltaField } from './schema';
import type { TableProperties } from './properties';

/** Partition values as the log stores them: strings, or null (PROTOCOL.md §Partition Value Serialization). */
export type PartitionValues = Record<string, string | null>;

export interface ProtocolAction {
  minReaderVersion: number;
  minWriterVersion: number;
  readerFeatures?: string[];
  writerFeatures?: string[];
}

export interface MetadataAction {
  id: string;
  name?: string | null;
  description?: string | null;
  format: { provider: string; options: Record<string, string> };
  schemaString: string;
  partitionColumns: string[];
  configuration: Record<string, string>;
  createdTime?: number | null;
}

export interface AddAction {
  /** A URI relative to the table root (decode once to get the file's key). */
  path: string;
  partitionValues: PartitionValues;
  size: number;
  modificationTime: number;
  dataChange: boolean;
  /** A JSON object serialized as a string (PROTOCOL.md §Per-file Statistics). */
  stats?: string | null;
  tags?: Record<string, string | null> | null;
}

export interface RemoveAction {
  path: string;
  deletionTimestamp?: number | null;
  dataChange: boolean;
  extendedFileMetadata?: boolean | null;
  partitionValues?: PartitionValues | null;
  size?: number | null;
  stats?: string | null;
  tags?: Record<string, string | null> | null;
}

export interface TxnAction {
  appId: string;
  version: number;
  lastUpdated?: number | null;
}

export type CommitInfoAction = Record<string, unknown>;

export type Action =
  | { protocol: ProtocolAction }
  | { metaData: MetadataAction }
  | { add: AddAction }
  | { remove: RemoveAction }
  | { txn: TxnAction }
  | { commitInfo: CommitInfoAction };

/** Parsed `add.stats` (every key optional). */
export interface FileStats {
  numRecords?: number;
  minValues?: Record<string, unknown>;
  maxValues?: Record<string, unknown>;
  nullCount?: Record<string, unknown>;
  tightBounds?: boolean;
}

/** A file of the table now: its add action, with the decoded key and parsed stats. */
export interface LiveFile {
  add: AddAction;
  /** The file's path relative to the table root (add.path decoded once). */
  key: string;
  /** add.stats parsed; undefined when absent. */
  stats: FileStats | undefined;
}

/** A removed file still inside the retention (vacuum must keep it for readers of older versions). */
export interface Tombstone {
  remove: RemoveAction;
  key: string;
  /** remove.deletionTimestamp, 0 when absent (as Spark and kernel-rs read it). */
  deletionTimestamp: number;
}

/** The table at one version: PROTOCOL.md §Action Reconciliation applied. */
export interface DeltaSnapshot {
  /** The table's folder in the lake. */
  table: string;
  version: number;
  protocol: ProtocolAction;
  metadata: MetadataAction;
  /** metadata.schemaString parsed. */
  schema: DeltaField[];
  /** metadata.configuration with defaults applied. */
  properties: TableProperties;
  /** Live files by add.path (the raw log string, the reconciliation key). */
  files: Map<string, LiveFile>;
  /** Unexpired tombstones by remove.path. */
  tombstones: Map<string, Tombstone>;
  /** The latest txn of each appId. */
  txns: Map<string, TxnAction>;
  /** The checkpoint the state was read from; undefined when replayed from JSON commits only. */
  checkpointVersion: number | undefined;
  /** commitDigest of the commit file at `version`, when this process read or wrote that file. */
  commitDigest?: string;
  /** That commit's commitInfo.timestamp, when it has one (how old the version is: updateSnapshot). */
  commitTimestamp?: number;
}
