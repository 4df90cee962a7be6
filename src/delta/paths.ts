// Names in _delta_log (PROTOCOL.md §Delta Log Entries, §Checkpoints, §Last Checkpoint File) and
// the URI form of add/remove paths (P §Add File and Remove File: "The path is a URI as
// specified by RFC 2396 ... which needs to be decoded to get the data file path").

export const LOG_DIR = '_delta_log';

/** A version zero-padded to 20 digits, as log file names carry it. */
export function formatVersion(version: number): string {
  if (!Number.isSafeInteger(version) || version < 0) throw new Error(`expected a table version (integer >= 0), got ${version}`);
  return String(version).padStart(20, '0');
}

export function logDir(table: string): string {
  return `${table}/${LOG_DIR}`;
}

export function commitPath(table: string, version: number): string {
  return `${logDir(table)}/${formatVersion(version)}.json`;
}

/** A classic single-file checkpoint. */
export function checkpointPath(table: string, version: number): string {
  return `${logDir(table)}/${formatVersion(version)}.checkpoint.parquet`;
}

export function lastCheckpointPath(table: string): string {
  return `${logDir(table)}/_last_checkpoint`;
}

export type LogFile =
  | { kind: 'commit'; version: number }
  | { kind: 'checkpoint'; version: number; part: number; parts: number };

/**
 * What a file name in _delta_log is: a commit, a classic checkpoint (part 1 of 1) or a part of a
 * multi-part one; undefined for anything else (_last_checkpoint, .crc, UUID-named V2 checkpoints,
 * temporary files).
 */
export function parseLogFileName(name: string): LogFile | undefined {
  const base = name.slice(name.lastIndexOf('/') + 1);
  let m = /^(\d{20})\.json$/.exec(base);
  if (m) return { kind: 'commit', version: Number(m[1]) };
  m = /^(\d{20})\.checkpoint\.parquet$/.exec(base);
  if (m) return { kind: 'checkpoint', version: Number(m[1]), part: 1, parts: 1 };
  m = /^(\d{20})\.checkpoint\.(\d{10})\.(\d{10})\.parquet$/.exec(base);
  if (m) return { kind: 'checkpoint', version: Number(m[1]), part: Number(m[2]), parts: Number(m[3]) };
  return undefined;
}

// Characters an RFC 2396 path may hold as they are: unreserved (alphanumerics and -_.!~'())
// plus the pchar/segment reserved set (@&=+$,;) and '/'. Everything else is percent-encoded as
// UTF-8. ':' and '*' are encoded too: a ':' in a first segment reads as a URI scheme, and
// delta-rs encodes '*' (kernel/models/actions.rs serde_path INVALID). '=' stays, so Hive-style
// folders (order_date=2024-01-05) appear in the log exactly as in the lake, which readers that
// match paths literally (the Power BI M function) need.
const KEEP = /[A-Za-z0-9\-_.!~'()@&=+$,;/]/;

/** The add.path / remove.path of a file key (its path relative to the table root). */
export function toLogPath(key: string): string {
  let out = '';
  for (const ch of key) {
    if (KEEP.test(ch)) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The file key of an add.path / remove.path: percent-decoded once (a '+' stays a '+'). */
export function fromLogPath(path: string, where: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('/')) {
    throw new Error(`${where}: expected a path relative to the table root, got ${JSON.stringify(path)} (absolute paths are not supported)`);
  }
  try {
    return decodeURIComponent(path);
  } catch {
    throw new Error(`${where}: expected a percent-encoded URI path, got ${JSON.stringify(path)}`);
  }
}
