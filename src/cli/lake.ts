// Which folders are lakes. Read commands (stats, quarantine, export, report, gold, replay)
// refuse a path that is not one, instead of printing zeros or creating an empty lake there;
// run and demo create lakes, but not inside a file or a folder already holding other things.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describeError } from './errors';
import { isLakeUrl } from './cloud-urls';

/** Every lake has `_state/`: a run creates it first (the lake's lock lives there). */
const STATE_DIR = '_state';

export type LakeKind = 'lake' | 'missing' | 'file' | 'empty-folder' | 'other-folder';

/** What is at `dir`. Throws (in plain words) only when it cannot be looked at at all. */
export async function lakeKind(dir: string): Promise<LakeKind> {
  let st;
  try {
    st = await fs.stat(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    if (code === 'ENOTDIR') return 'file';
    throw new Error(describeError(e));
  }
  if (!st.isDirectory()) return 'file';
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch (e) {
    throw new Error(describeError(e));
  }
  if (entries.includes(STATE_DIR)) {
    const state = await fs.stat(path.join(dir, STATE_DIR)).catch((e: unknown) => {
      throw new Error(describeError(e));
    });
    if (state.isDirectory()) return 'lake';
  }
  // Dot files (.DS_Store, .gitkeep) do not make a folder "used".
  return entries.some((n) => !n.startsWith('.')) ? 'other-folder' : 'empty-folder';
}

function makeOne(dir: string): string {
  return `a lake is made by 'orderlake run --input <landing file or folder> --lake ${dir}' (or 'orderlake demo --lake ${dir}')`;
}

/** For read commands: throws unless `dir` is a lake, saying what is there instead. */
export async function requireLake(dir: string): Promise<void> {
  const kind = await lakeKind(dir);
  if (kind === 'lake') return;
  const what: Record<Exclude<LakeKind, 'lake'>, string> = {
    missing: 'the folder does not exist',
    file: 'it is a file (or inside one), not a folder',
    'empty-folder': 'the folder is empty',
    'other-folder': `the folder has no ${STATE_DIR}/, which every lake has`,
  };
  throw new Error(`${dir} is not a lake: ${what[kind]}; ${makeOne(dir)}`);
}

/** For run and demo: `dir` may be a lake, an empty folder or nothing yet (it is created). */
export async function requireLakeTarget(dir: string): Promise<void> {
  if (isLakeUrl(dir)) throw new Error(`cannot make a lake at ${dir}: run and demo write a lake folder; an Azure lake is fed by Event Hubs and the function app (send events with 'orderlake produce --to eventhubs')`);
  const kind = await lakeKind(dir);
  if (kind === 'file') throw new Error(`cannot make a lake at ${dir}: it is a file (or inside one), not a folder`);
  if (kind === 'other-folder') throw new Error(`cannot make a lake at ${dir}: the folder holds other files and is not a lake (no ${STATE_DIR}/); give a new or empty folder`);
}
