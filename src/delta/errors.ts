// Errors of the Delta module, each a class so callers can tell a lost race from a bad table.

/** Another writer created this version of the log first (the commit file already exists). */
export class ConcurrentCommitError extends Error {
  constructor(
    public readonly table: string,
    public readonly version: number,
  ) {
    super(`${table}: another writer committed version ${version} first (its _delta_log file already exists)`);
    this.name = 'ConcurrentCommitError';
  }
}

/** A winning concurrent commit makes retrying ours unsafe (delta-rs/Spark conflict checker). */
export class CommitConflictError extends Error {
  constructor(
    public readonly table: string,
    public readonly version: number,
    public readonly reason: 'protocol changed' | 'metadata changed' | 'concurrent transaction' | 'same file added' | 'too many retries' | 'log cleaned up',
    detail: string,
  ) {
    super(`${table}: cannot retry the commit after version ${version}: ${reason} (${detail})`);
    this.name = 'CommitConflictError';
  }
}

/** No _delta_log commits or checkpoints under the table folder. */
export class DeltaTableNotFoundError extends Error {
  constructor(public readonly table: string) {
    super(`${table}: expected a Delta table (files in ${table}/_delta_log/), found none`);
    this.name = 'DeltaTableNotFoundError';
  }
}

/** The log is unreadable or breaks the protocol: a gap, a malformed action, an unsupported feature. */
export class DeltaLogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeltaLogError';
  }
}

/** The commit is in the log, but a post-commit step (checkpoint, log cleanup) failed. */
export class PostCommitError extends Error {
  constructor(
    public readonly table: string,
    public readonly version: number,
    public readonly failure: unknown,
  ) {
    super(`${table}: version ${version} is committed, but its post-commit step failed: ${(failure as Error)?.message ?? String(failure)}`);
    this.name = 'PostCommitError';
  }
}
