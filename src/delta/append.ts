// Blind appends that survive losing the race for a version: re-read the winners' commits, check
// that none conflicts with an append of new files (delta-rs conflict_checker.rs, Spark
// ConflictChecker: protocol or metadata changed, a txn of our appId), and commit the same actions
// at the next version, up to 15 times (delta-rs DEFAULT_RETRIES). With a txn, each attempt first
// re-checks the table's txn version: a batch already in the table is skipped, never added twice
// (PROTOCOL.md §Transaction Identifiers, the DeltaSink recipe).
import type { Lake } from '../pipeline/ports';
import { commitActions, writeCommit, type CommitOptions, type NewFile } from './commit';
import { CommitConflictError, ConcurrentCommitError } from './errors';
import { runPostCommit, type PostCommitResult } from './post-commit';
import { applyCommits, commitsAfter, type VersionActions } from './snapshot';
import type { Action, DeltaSnapshot } from './types';

export interface AppendRequest {
  adds: readonly NewFile[];
  /** The batch's progress mark: committed with the adds; a table already at or past it skips the batch. */
  txn?: { appId: string; version: number };
  operation?: string;
  operationParameters?: Record<string, string>;
}

export type AppendResult =
  | ({ status: 'committed'; version: number; snapshot: DeltaSnapshot; retries: number } & PostCommitResult)
  /** The table's txn for appId was already >= the batch's: its data is in (the data files just written are orphans for vacuum). */
  | { status: 'skipped'; txnVersion: number; snapshot: DeltaSnapshot };

/** Why a winning commit stops our blind append from retrying, or undefined when it does not. */
function conflict(winner: VersionActions, ours: AppendRequest, ourPaths: ReadonlySet<string>): { reason: CommitConflictError['reason']; detail: string } | 'already committed' | undefined {
  for (const a of winner.actions) {
    if ('protocol' in a) return { reason: 'protocol changed', detail: `version ${winner.version} has a protocol action` };
    if ('metaData' in a) return { reason: 'metadata changed', detail: `version ${winner.version} has a metaData action` };
    if ('txn' in a && ours.txn && a.txn.appId === ours.txn.appId) {
      if (a.txn.version >= ours.txn.version) return 'already committed';
      return { reason: 'concurrent transaction', detail: `version ${winner.version} committed txn ${a.txn.appId}=${a.txn.version} while we were committing ${ours.txn.version}` };
    }
    if ('add' in a && ourPaths.has(a.add.path)) return { reason: 'same file added', detail: `version ${winner.version} added ${a.add.path}` };
  }
  return undefined;
}

/**
 * Appends new files (and the txn) as the version after `snap`, retrying after lost races.
 * Returns 'skipped' when the table's txn for the appId is already at or past the batch.
 */
export async function appendFiles(lake: Lake, snap: DeltaSnapshot, req: AppendRequest, opts: CommitOptions & { maxRetries?: number } = {}): Promise<AppendResult> {
  const now = opts.now ?? (() => new Date());
  const maxRetries = opts.maxRetries ?? 15;
  const table = snap.table;
  const done = (s: DeltaSnapshot) => {
    const t = req.txn && s.txns.get(req.txn.appId);
    return t && req.txn && t.version >= req.txn.version ? t.version : undefined;
  };
  const skippedAt = done(snap);
  if (skippedAt !== undefined) return { status: 'skipped', txnVersion: skippedAt, snapshot: snap };
  let base = snap;
  let actions: Action[] | undefined;
  for (let attempt = 0; ; attempt++) {
    const nowMs = now().getTime();
    actions = commitActions(table, base, {
      operation: req.operation ?? 'WRITE',
      operationParameters: req.operationParameters ?? { mode: 'Append' },
      adds: req.adds,
      ...(req.txn ? { txns: [req.txn] } : {}),
      isBlindAppend: true,
    }, nowMs);
    const version = base.version + 1;
    let digest: string;
    try {
      digest = await writeCommit(lake, table, version, actions);
    } catch (e) {
      if (!(e instanceof ConcurrentCommitError)) throw e;
      if (attempt >= maxRetries) throw new CommitConflictError(table, version, 'too many retries', `lost the race ${attempt + 1} times`);
      const winners = await commitsAfter(lake, table, base.version);
      if (winners === 'cleaned') throw new CommitConflictError(table, base.version, 'log cleaned up', 'the commits after our read version are gone');
      const ourPaths = new Set(actions.flatMap((a) => ('add' in a ? [a.add.path] : [])));
      for (const w of winners) {
        const c = conflict(w, req, ourPaths);
        if (c === 'already committed') {
          const latest = applyCommits(base, winners, nowMs);
          return { status: 'skipped', txnVersion: latest.txns.get(req.txn!.appId)!.version, snapshot: latest };
        }
        if (c) throw new CommitConflictError(table, w.version, c.reason, c.detail);
      }
      base = applyCommits(base, winners, nowMs);
      continue;
    }
    const next = applyCommits(base, [{ version, actions, digest }], nowMs);
    const post = opts.postCommit === false ? { checkpoint: undefined, deletedLogFiles: [] } : await runPostCommit(lake, next, { now });
    return { status: 'committed', version, snapshot: next, retries: attempt, ...post };
  }
}
