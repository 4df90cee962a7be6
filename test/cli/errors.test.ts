import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describeError } from '../../src/cli/errors';
import { CLI } from '../helpers/cli';
import { tempDirs } from '../helpers/tmp';

jest.setTimeout(120_000);

const tmp = tempDirs();

function errno(code: string, syscall: string, p: string, dest?: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: raw text, ${syscall} '${p}'`), { code, syscall, path: p, ...(dest ? { dest } : {}) });
}

describe('describeError', () => {
  it('escapes control characters in a message, keeping its lines (a failed query quotes the data it failed on)', () => {
    expect(describeError(new Error("Parser Error: at or near 'RC\u0000CU\u001b[2J'\n\nPossible solutions:"))).toBe("Parser Error: at or near 'RC\\u0000CU\\u001b[2J'\n\nPossible solutions:");
    expect(describeError('plain \u0007')).toBe('plain \\u0007');
  });

  it('says file-system errors in plain words, naming the path', () => {
    expect(describeError(errno('EACCES', 'mkdir', '/srv/lake/_state'))).toBe('cannot create the folder /srv/lake/_state: permission denied');
    expect(describeError(errno('EPERM', 'open', '/srv/lake/_state/lock'))).toBe('cannot open /srv/lake/_state/lock: permission denied');
    expect(describeError(errno('EISDIR', 'read', '/srv/report.html'))).toBe('cannot read /srv/report.html: it is a folder, not a file');
    expect(describeError(errno('ENOSPC', 'write', '/srv/lake/bronze/x'))).toBe('cannot write /srv/lake/bronze/x: the disk is full');
    expect(describeError(errno('EACCES', 'rename', '/a.tmp', '/a'))).toBe('cannot move /a.tmp to /a: permission denied');
  });

  it('turns a real ENOTDIR into words', async () => {
    const file = path.join(tmp(), 'afile');
    await fs.writeFile(file, 'x');
    const e = await fs.mkdir(path.join(file, 'lake', '_state'), { recursive: true }).catch((err: unknown) => err);
    expect(describeError(e)).toBe(`cannot create the folder ${path.join(file, 'lake', '_state')}: a part of the path is a file, not a folder`);
  });

  it('leaves other errors as they are', () => {
    expect(describeError(new Error('gold table x does not exist yet'))).toBe('gold table x does not exist yet');
    expect(describeError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe('socket hang up');
    expect(describeError('plain')).toBe('plain');
  });
});

/** The CLI as a user without rights on a folder: root's rights are not checked, so root runs it as nobody. */
const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
function asUser(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', ...asNobody });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
// Root can only show a permission error through another user, who must be able to run node and
// read this checkout (not so under /root): otherwise the test cannot be run here, and says so.
const canRunAsUser = asUser(['--version']).code === 0;

describe('permission and path errors (end to end)', () => {
  (canRunAsUser ? it : it.skip)('say which path and what is wrong, in plain words (skipped when root cannot run the CLI as nobody)', async () => {
    const dir = tmp();
    await fs.chmod(dir, 0o755);
    const input = path.join(dir, 'in.jsonl');
    await fs.writeFile(input, '{}\n');
    await fs.chmod(input, 0o644);
    const locked = path.join(dir, 'locked');
    await fs.mkdir(path.join(locked, '_state'), { recursive: true });
    await fs.chmod(locked, 0o000);
    const readOnly = path.join(dir, 'read-only');
    await fs.mkdir(readOnly, { mode: 0o555 });
    await fs.chmod(readOnly, 0o555);
    try {
      expect(asUser(['stats', '--lake', locked])).toEqual({ code: 1, stdout: '', stderr: `orderlake stats: cannot list the folder ${locked}: permission denied\n` });
      expect(asUser(['export', 'monthly_revenue', '--lake', locked])).toEqual({ code: 1, stdout: '', stderr: `orderlake export: cannot list the folder ${locked}: permission denied\n` });
      expect(asUser(['run', '-i', input, '--lake', path.join(readOnly, 'lake'), '-q'])).toEqual({ code: 1, stdout: '', stderr: `orderlake run: cannot create the folder ${path.join(readOnly, 'lake')}: permission denied\n` });
    } finally {
      // A user who is not root could not remove them otherwise.
      await fs.chmod(locked, 0o755);
      await fs.chmod(readOnly, 0o755);
    }
  });
});
