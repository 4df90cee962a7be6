// Reading the table: a checkpoint plus the JSON commits after it, never every version from 0
// once a checkpoint exists. The checkpoint _last_checkpoint names is read first and the later
// commits are read until the first missing one (PROTOCOL.md §Last Checkpoint File: no listing
// needed); without a usable hint, _delta_log is listed and the newest readable checkpoint
// wins. A long-lived reader keeps its snapshot and reads only the commits after it.
import type { Lake } from '../pipeline/ports';
import { NotFoundError } from '../pipeline/ports';
import { commitDigest, parseCommit } from './actions';
import { readCheckpointBytes, readCheckpointFiles } from './checkpoint-file';
import { readLastCheckpoint, type LastCheckpoint } from './checkpoint';
import { DeltaLogError, DeltaTableNotFoundError } from './errors';
import { scanLog, versionBlockPrefix } from './log-scan';
import { checkpointPath, commitPath, formatVersion, logDir, parseLogFileName } from './paths';
import { tableProperties } from './properties';
import { applyActions, dropExpired, emptyState, parseLiveStats, type ReplayState } from './replay';
import { parseSchemaString } from './schema';
import type { Action, DeltaSnapshot } from './types';

export interface SnapshotOptions {
  /** The clock tombstone and txn expiry are measured with (default: the system clock). */
  now?: () => Date;
}

/** A commit file's actions, by version. */
export interface VersionActions {
  version: number;
  actions: Action[];
  /** commitDigest of the file, when its text was at hand. */
  digest?: string;
}

interface LogListing {
  commits: Map<number, string>;
  /** Complete checkpoints: version -> its part files in part order. */
  checkpoints: Map<number, string[]>;
}

async function listLog(lake: Lake, table: string): Promise<LogListing> {
  const commits = new Map<number, string>();
  const groups = new Map<string, { version: number; total: number; files: Map<number, string> }>();
  for (const p of await lake.list(logDir(table))) {
    if (p.slice(logDir(table).length + 1).includes('/')) continue; // _delta_log/_staged_commits and other folders
    const f = parseLogFileName(p);
    if (!f) continue;
    if (f.kind === 'commit') {
      commits.set(f.version, p);
      continue;
    }
    const key = `${f.version}/${f.parts}`;
    const group = groups.get(key) ?? { version: f.version, total: f.parts, files: new Map<number, string>() };
    group.files.set(f.part, p);
    groups.set(key, group);
  }
  const checkpoints = new Map<number, string[]>();
  for (const { version, total, files } of groups.values()) {
    if (files.size === total) checkpoints.set(version, [...files.entries()].sort((a, b) => a[0] - b[0]).map(([, f]) => f));
  }
  return { commits, checkpoints };
}

/** Reads files as text, a few at a time (each read is a round trip on ADLS), in the given order. */
async function readAll(lake: Lake, paths: readonly string[], concurrency = 8): Promise<string[]> {
  const out: string[] = new Array<string>(paths.length);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const i = next++;
      out[i] = (await lake.readFile(paths[i]!)).toString('utf8');
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, paths.length) }, worker));
  return out;
}

/** The actions of one commit file. */
export async function readCommit(lake: Lake, table: string, version: number): Promise<Action[]> {
  return (await readVersion(lake, table, version)).actions;
}

/** One commit file: its actions and digest. */
export async function readVersion(lake: Lake, table: string, version: number): Promise<VersionActions> {
  const { actions, text } = await readVersionText(lake, table, version);
  return { version, actions, digest: commitDigest(text) };
}

async function readVersionText(lake: Lake, table: string, version: number): Promise<{ actions: Action[]; text: string }> {
  const p = commitPath(table, version);
  const text = (await lake.readFile(p)).toString('utf8');
  return { actions: parseCommit(text, p), text };
}

/**
 * Commits `from`, `from + 1`, ... up to the first that does not exist (commits are contiguous),
 * at most `limit` of them; only the last carries its digest (what a snapshot records).
 */
export async function readCommitsFrom(lake: Lake, table: string, from: number, limit = Infinity): Promise<VersionActions[]> {
  const out: VersionActions[] = [];
  let lastText: string | undefined;
  for (let v = from; out.length < limit; v++) {
    try {
      const { actions, text } = await readVersionText(lake, table, v);
      out.push({ version: v, actions });
      lastText = text;
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
      break;
    }
  }
  if (lastText !== undefined) out.at(-1)!.digest = commitDigest(lastText);
  return out;
}

async function readCheckpoint(lake: Lake, files: readonly string[], where: string): Promise<Action[]> {
  if (lake.localPath) {
    const local = lake.localPath.bind(lake);
    return readCheckpointFiles(files.map((f) => local(f)), where);
  }
  return readCheckpointBytes(await Promise.all(files.map((f) => lake.readFile(f))), where);
}

/** What a snapshot records of the commit file at its version (DeltaSnapshot.commitDigest, commitTimestamp). */
export type CommitMark = Pick<DeltaSnapshot, 'commitDigest' | 'commitTimestamp'>;

/** The mark of a commit read or written here; none for a version known from a checkpoint only. */
export function markOf(c: { actions: readonly Action[]; digest?: string } | undefined): CommitMark {
  if (!c) return {};
  const info = c.actions.find((a): a is { commitInfo: Record<string, unknown> } => 'commitInfo' in a)?.commitInfo;
  const ts = info?.['timestamp'];
  return { ...(c.digest !== undefined ? { commitDigest: c.digest } : {}), ...(typeof ts === 'number' && Number.isFinite(ts) ? { commitTimestamp: ts } : {}) };
}

function finish(table: string, version: number, state: ReplayState, checkpointVersion: number | undefined, nowMs: number, mark: CommitMark = {}): DeltaSnapshot {
  const where = `${table} at version ${version}`;
  if (!state.protocol) throw new DeltaLogError(`${where}: expected a protocol action in the log, found none`);
  if (!state.metadata) throw new DeltaLogError(`${where}: expected a metaData action in the log, found none`);
  const p = state.protocol;
  if (p.minReaderVersion > 1 || (p.readerFeatures && p.readerFeatures.length)) {
    throw new DeltaLogError(`${where}: the table needs reader version ${p.minReaderVersion}${p.readerFeatures?.length ? ` with features ${p.readerFeatures.join(', ')}` : ''}; this reader implements version 1`);
  }
  const properties = tableProperties(state.metadata.configuration);
  parseLiveStats(state, where);
  dropExpired(state, nowMs, properties.deletedFileRetentionMs, properties.setTransactionRetentionMs);
  return {
    table,
    version,
    protocol: p,
    metadata: state.metadata,
    schema: parseSchemaString(state.metadata.schemaString, `${where} schemaString`),
    properties,
    files: state.files,
    tombstones: state.tombstones,
    txns: state.txns,
    checkpointVersion,
    ...(mark.commitDigest !== undefined ? { commitDigest: mark.commitDigest } : {}),
    ...(mark.commitTimestamp !== undefined ? { commitTimestamp: mark.commitTimestamp } : {}),
  };
}

/** The files of the checkpoint a hint names (classic, or every part of a multi-part one). */
function hintedCheckpointFiles(table: string, hint: LastCheckpoint): string[] {
  if (!hint.parts || hint.parts <= 1) return [checkpointPath(table, hint.version)];
  const pad10 = (n: number) => String(n).padStart(10, '0');
  return Array.from({ length: hint.parts }, (_, i) => `${logDir(table)}/${formatVersion(hint.version)}.checkpoint.${pad10(i + 1)}.${pad10(hint.parts!)}.parquet`);
}

/**
 * Whether a commit or checkpoint newer than `version` sits in the block of 1,000 versions that
 * follows it, although commit version + 1 is missing: the hint is stale and log cleanup of
 * another tool removed the commits after it (then a listing decides, from the newest
 * checkpoint). Usually the table simply is at the checkpoint's version. One page, however
 * long the log: a listing of the whole log here would cost every reader more as the log
 * grows, up to its 30-day retention. A stale hint whose next 1,000 versions were all cleaned
 * away is not seen; every Delta writer updates _last_checkpoint right after its checkpoint.
 */
async function laterLogFileNear(lake: Lake, table: string, version: number): Promise<boolean> {
  for await (const e of scanLog(lake, versionBlockPrefix(table, version + 1), `${table} snapshot`)) {
    const f = parseLogFileName(e.path);
    if (f && f.version > version && !e.path.slice(logDir(table).length + 1).includes('/')) return true;
  }
  return false;
}

/**
 * The state from the checkpoint _last_checkpoint names plus the commits after it (no listing);
 * undefined when there is no hint or its checkpoint cannot be read (the caller lists instead).
 * A stale hint (a newer checkpoint exists) costs replaying more commits, and is still correct.
 */
async function readFromHint(lake: Lake, table: string, nowMs: number): Promise<DeltaSnapshot | undefined> {
  const hint = await readLastCheckpoint(lake, table);
  if (!hint) return undefined;
  const state = emptyState();
  try {
    applyActions(state, await readCheckpoint(lake, hintedCheckpointFiles(table, hint), `${logDir(table)}/${formatVersion(hint.version)}.checkpoint`), `${table} checkpoint ${hint.version}`);
  } catch {
    return undefined; // gone (cleaned up by another tool) or unreadable: the listing finds what is there
  }
  const commits = await readCommitsFrom(lake, table, hint.version + 1);
  if (!commits.length && (await laterLogFileNear(lake, table, hint.version))) return undefined;
  for (const c of commits) applyActions(state, c.actions, commitPath(table, c.version));
  return finish(table, hint.version + commits.length, state, hint.version, nowMs, markOf(commits.at(-1)));
}

/** The state from a listing of _delta_log: the newest readable checkpoint with every commit after it, else the commits from 0. */
async function readFromListing(lake: Lake, table: string, nowMs: number): Promise<DeltaSnapshot | undefined> {
  const log = await listLog(lake, table);
  if (!log.commits.size && !log.checkpoints.size) return undefined;
  let latest = -1; // a loop, not Math.max(...): a month of commits a minute apart is 43,000 versions
  for (const v of [...log.commits.keys(), ...log.checkpoints.keys()]) if (v > latest) latest = v;
  const contiguousFrom = (start: number): boolean => {
    for (let v = start; v <= latest; v++) if (!log.commits.has(v)) return false;
    return true;
  };
  const candidates = [...log.checkpoints.keys()].filter((v) => contiguousFrom(v + 1)).sort((a, b) => b - a);
  let state = emptyState();
  let start = 0;
  let checkpointVersion: number | undefined;
  let firstError: unknown;
  for (const v of candidates) {
    try {
      applyActions(state, await readCheckpoint(lake, log.checkpoints.get(v)!, `${logDir(table)}/${formatVersion(v)}.checkpoint`), `${table} checkpoint ${v}`);
      start = v + 1;
      checkpointVersion = v;
      break;
    } catch (e) {
      // A corrupt checkpoint: an older one, or the commits from 0, may still give the state.
      firstError ??= e;
      state = emptyState();
    }
  }
  if (checkpointVersion === undefined && !contiguousFrom(0)) {
    if (firstError) throw firstError;
    const missing = [...Array(latest + 1).keys()].find((v) => !log.commits.has(v));
    throw new DeltaLogError(`${table}: expected a checkpoint or every commit from version 0 to ${latest}, but version ${missing} is missing from ${logDir(table)}`);
  }
  const paths = Array.from({ length: latest - start + 1 }, (_, i) => log.commits.get(start + i)!);
  const texts = await readAll(lake, paths);
  let last: Action[] | undefined;
  paths.forEach((p, i) => {
    last = parseCommit(texts[i]!, p);
    applyActions(state, last, p);
  });
  return finish(table, latest, state, checkpointVersion, nowMs, last ? markOf({ actions: last, digest: commitDigest(texts.at(-1)!) }) : {});
}

/** The table now, or undefined when it has no log yet. */
export async function tryReadSnapshot(lake: Lake, table: string, opts: SnapshotOptions = {}): Promise<DeltaSnapshot | undefined> {
  const nowMs = (opts.now ?? (() => new Date()))().getTime();
  return (await readFromHint(lake, table, nowMs)) ?? (await readFromListing(lake, table, nowMs));
}

/** The table now; throws DeltaTableNotFoundError when there is no log. */
export async function readSnapshot(lake: Lake, table: string, opts: SnapshotOptions = {}): Promise<DeltaSnapshot> {
  const snap = await tryReadSnapshot(lake, table, opts);
  if (!snap) throw new DeltaTableNotFoundError(table);
  return snap;
}

/**
 * The commits after `version`, in order; 'cleaned' when the next one is gone although the log
 * has moved past it (log cleanup removed it: only a read from a checkpoint can catch up).
 */
export async function commitsAfter(lake: Lake, table: string, version: number): Promise<VersionActions[] | 'cleaned'> {
  const commits = await readCommitsFrom(lake, table, version + 1);
  if (commits.length) return commits;
  const hint = await readLastCheckpoint(lake, table);
  return hint && hint.version > version ? 'cleaned' : [];
}

/** `snap` with the given commits (versions snap.version+1, +2, ...) applied; `snap` is left as it was. */
export function applyCommits(snap: DeltaSnapshot, commits: readonly VersionActions[], nowMs: number): DeltaSnapshot {
  if (!commits.length) return snap;
  const state: ReplayState = {
    protocol: snap.protocol,
    metadata: snap.metadata,
    files: new Map(snap.files),
    tombstones: new Map(snap.tombstones),
    txns: new Map(snap.txns),
  };
  let version = snap.version;
  for (const c of commits) {
    if (c.version !== version + 1) throw new Error(`${snap.table}: expected commit ${version + 1} to apply, got ${c.version}`);
    applyActions(state, c.actions, `${commitPath(snap.table, c.version)}`);
    version = c.version;
  }
  return finish(snap.table, version, state, snap.checkpointVersion, nowMs, markOf(commits.at(-1)));
}

/** Writers' clocks may disagree this much: a version younger than retention less this is surely not expired. */
const CLOCK_MARGIN_MS = 24 * 3_600_000;

/**
 * Whether log cleanup cannot have removed the commit after `snap.version`: the commit at that
 * version is younger than the log retention (less a day for clocks). Cleanup removes only log
 * files older than the retention (cleanup.ts; delta-rs and Spark alike), and the next commit
 * was written after this one, so it is younger still. Then a missing next commit means the
 * table is at `snap.version`, and the checkpoint hint need not be read to tell.
 */
export function cleanupCannotReach(snap: DeltaSnapshot, nowMs: number): boolean {
  if (snap.commitTimestamp === undefined) return false;
  const age = nowMs - snap.commitTimestamp;
  return age > -CLOCK_MARGIN_MS && age < snap.properties.logRetentionMs - CLOCK_MARGIN_MS;
}

/** The table now, from a snapshot read earlier: reads only the commits after it. */
export async function updateSnapshot(lake: Lake, snap: DeltaSnapshot, opts: SnapshotOptions = {}): Promise<DeltaSnapshot> {
  return settleSnapshot(lake, snap, await readCommitsFrom(lake, snap.table, snap.version + 1), opts);
}

/**
 * The table now, from `snap` and the commits read after it up to the first missing one. That
 * one may be missing because log cleanup removed it (the log has moved on): unless cleanup
 * cannot reach it (the last version is younger than the retention the table has now), the
 * hint tells, and a log cleaned past the last version is read afresh from its checkpoint.
 */
export async function settleSnapshot(lake: Lake, snap: DeltaSnapshot, commits: readonly VersionActions[], opts: SnapshotOptions = {}): Promise<DeltaSnapshot> {
  const nowMs = (opts.now ?? (() => new Date()))().getTime();
  const next = applyCommits(snap, commits, nowMs);
  if (cleanupCannotReach(next, nowMs)) return next;
  const hint = await readLastCheckpoint(lake, next.table);
  return hint && hint.version > next.version ? readSnapshot(lake, next.table, opts) : next;
}

/** The snapshot of a table whose first commit (version 0) holds `actions`. */
export function firstSnapshot(table: string, actions: readonly Action[], nowMs: number, digest?: string): DeltaSnapshot {
  return snapshotOfState({ table, version: 0, checkpointVersion: undefined, ...markOf({ actions, ...(digest !== undefined ? { digest } : {}) }) }, actions, commitPath(table, 0), nowMs);
}

/** The snapshot whose whole state `actions` hold (a checkpoint's rows, or a kept seed's); `where` names them in errors. */
export function snapshotOfState(at: Pick<DeltaSnapshot, 'table' | 'version' | 'checkpointVersion'> & CommitMark, actions: readonly Action[], where: string, nowMs: number): DeltaSnapshot {
  const state = emptyState();
  applyActions(state, actions, where);
  return finish(at.table, at.version, state, at.checkpointVersion, nowMs, at);
}
