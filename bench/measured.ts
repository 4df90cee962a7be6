// Runs an orderlake command in a fresh process (bench/measure.ts) and returns what it cost, so
// the peaks of one measured step never mix with another's.
import { spawn } from 'node:child_process';
import * as path from 'node:path';

export interface Cost { code: number; wallS: number; userS: number; systemS: number; maxRssMB: number }

const MEASURE = path.resolve(__dirname, 'measure.js');

/** Runs `orderlake <cliArgs>` in a fresh process; rejects, with the end of its stderr, unless it exits 0. */
export function measured(cliArgs: string[]): Promise<Cost> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MEASURE, ...cliArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', () => {
      const line = err.split('\n').find((l) => l.startsWith('@@measure '));
      if (!line) return reject(new Error(`orderlake ${cliArgs.join(' ')} printed no measurement:\n${err.slice(-2000)}`));
      const cost = JSON.parse(line.slice(10)) as Cost;
      if (cost.code !== 0) return reject(new Error(`orderlake ${cliArgs.join(' ')} exited ${cost.code}:\n${err.slice(-2000)}`));
      resolve(cost);
    });
  });
}
