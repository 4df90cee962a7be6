// File-system errors in plain words, naming the path: "cannot create the folder /x/lake:
// permission denied" rather than "EACCES: permission denied, mkdir '/x/lake'".
import { escapeControls } from '../util/show';

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  ENOENT: 'no such file or folder',
  EEXIST: 'something is already there',
  ENOSPC: 'the disk is full',
  EROFS: 'the file system is read-only',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
};

const VERBS: Record<string, string> = {
  mkdir: 'create the folder',
  open: 'open',
  read: 'read',
  write: 'write',
  scandir: 'list the folder',
  opendir: 'list the folder',
  stat: 'look at',
  lstat: 'look at',
  rename: 'move',
  unlink: 'remove',
  rmdir: 'remove the folder',
  rm: 'remove',
  copyfile: 'copy',
  access: 'access',
};

/** The message to show for an error: errno errors in plain words, anything else as it is. */
export function describeError(e: unknown): string {
  // Duck-typed, not instanceof: errors from another realm (a vm context, jest) are errors too.
  if (typeof e !== 'object' || e === null || typeof (e as Error).message !== 'string') return printable(String(e));
  const err = e as NodeJS.ErrnoException & { dest?: string };
  const reason = err.code === undefined ? undefined : REASONS[err.code];
  if (reason === undefined || err.path === undefined) return printable(err.message);
  const verb = (err.syscall && VERBS[err.syscall]) ?? 'use';
  const target = err.dest === undefined ? err.path : `${err.path} to ${err.dest}`;
  return `cannot ${verb} ${target}: ${reason}`;
}

/** A message safe for a terminal: its lines kept, every other control character escaped (a failed query quotes data: a NUL or an ESC in a customer id, say). */
function printable(message: string): string {
  return message.split('\n').map(escapeControls).join('\n');
}
