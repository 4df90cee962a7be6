import { spawn, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { dirtyLines } from './dirty-file';

export const CLI = path.resolve(__dirname, '../../dist/src/cli/main.js');

/** Runs the built CLI as a user would. */
export function orderlake(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: opts.cwd, env: { ...process.env, ...opts.env }, maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same, without blocking this process: for servers running in it (the ADLS test server). */
export function orderlakeAsync(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A lake of the dirty file (test/helpers/dirty-file.ts) made by `orderlake run` in `dir`: four orders of 2026-03-04 that count, of two customers. */
export async function dirtyLake(dir: string): Promise<string> {
  const input = path.join(dir, 'orders.jsonl');
  await fs.writeFile(input, dirtyLines().join('\n') + '\n');
  const lake = path.join(dir, 'lake');
  const r = orderlake(['run', '-i', input, '-l', lake, '-q']);
  if (r.code !== 0) throw new Error(`expected orderlake run to make the dirty lake, got exit ${r.code}: ${r.stderr}`);
  return lake;
}
