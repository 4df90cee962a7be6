import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { lakeKind, requireLake, requireLakeTarget } from '../../src/cli/lake';
import { orderlake } from '../helpers/cli';
import { tempDirs } from '../helpers/tmp';

jest.setTimeout(120_000);
const tmp = tempDirs();

/** A folder holding a lake, an empty folder, a used folder and a file. */
async function places() {
  const dir = tmp();
  const p = { lake: path.join(dir, 'lake'), empty: path.join(dir, 'empty'), used: path.join(dir, 'used'), file: path.join(dir, 'afile'), missing: path.join(dir, 'typo') };
  await fs.mkdir(path.join(p.lake, '_state'), { recursive: true });
  await fs.mkdir(p.empty);
  await fs.writeFile(path.join(p.empty, '.gitkeep'), '');
  await fs.mkdir(p.used);
  await fs.writeFile(path.join(p.used, 'notes.txt'), 'x');
  await fs.writeFile(p.file, 'x');
  return p;
}

describe('lakeKind', () => {
  it('tells a lake (a folder with _state/) from everything else', async () => {
    const p = await places();
    const kinds = await Promise.all([p.lake, p.empty, p.used, p.file, path.join(p.file, 'sub'), p.missing].map(lakeKind));
    expect(kinds).toEqual(['lake', 'empty-folder', 'other-folder', 'file', 'file', 'missing']);
  });
});

describe('requireLake', () => {
  it('passes a lake and names what is there instead otherwise, with how to make a lake', async () => {
    const p = await places();
    await expect(requireLake(p.lake)).resolves.toBeUndefined();
    const make = (d: string) => `a lake is made by 'orderlake run --input <landing file or folder> --lake ${d}' (or 'orderlake demo --lake ${d}')`;
    await expect(requireLake(p.missing)).rejects.toThrow(`${p.missing} is not a lake: the folder does not exist; ${make(p.missing)}`);
    await expect(requireLake(p.file)).rejects.toThrow(`${p.file} is not a lake: it is a file (or inside one), not a folder; ${make(p.file)}`);
    await expect(requireLake(p.empty)).rejects.toThrow(`${p.empty} is not a lake: the folder is empty; ${make(p.empty)}`);
    await expect(requireLake(p.used)).rejects.toThrow(`${p.used} is not a lake: the folder has no _state/, which every lake has; ${make(p.used)}`);
  });
});

describe('requireLakeTarget', () => {
  it('lets run and demo use a lake, an empty folder or a new path, but not a file or a used folder', async () => {
    const p = await places();
    for (const ok of [p.lake, p.empty, p.missing]) await expect(requireLakeTarget(ok)).resolves.toBeUndefined();
    await expect(requireLakeTarget(p.file)).rejects.toThrow(`cannot make a lake at ${p.file}: it is a file (or inside one), not a folder`);
    await expect(requireLakeTarget(p.used)).rejects.toThrow(`cannot make a lake at ${p.used}: the folder holds other files and is not a lake (no _state/); give a new or empty folder`);
  });

  it('refuses an Azure lake: Event Hubs and the function app fill it, not run', async () => {
    await expect(requireLakeTarget('https://prodlake.dfs.core.windows.net')).rejects.toThrow("cannot make a lake at https://prodlake.dfs.core.windows.net: run and demo write a lake folder; an Azure lake is fed by Event Hubs and the function app (send events with 'orderlake produce --to eventhubs')");
  });
});

describe('read commands on a path that is not a lake (end to end)', () => {
  it('stats, quarantine, export, report, gold and replay exit 1 naming the path, and create nothing', async () => {
    const dir = tmp();
    const typo = path.join(dir, 'typo');
    const why = `${typo} is not a lake: the folder does not exist; a lake is made by 'orderlake run --input <landing file or folder> --lake ${typo}' (or 'orderlake demo --lake ${typo}')\n`;
    const commands = [['stats'], ['quarantine'], ['export', 'monthly_revenue'], ['report', '--out', path.join(dir, 'r.html')], ['gold'], ['replay']];
    for (const c of commands) {
      expect([c[0], orderlake([...c, '--lake', typo])]).toEqual([c[0], { code: 1, stdout: '', stderr: `orderlake ${c[0]}: ${why}` }]);
    }
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('run refuses a lake path that is a file, or a folder holding other things', async () => {
    const dir = tmp();
    const input = path.join(dir, 'in.jsonl');
    await fs.writeFile(input, '{}\n');
    expect(orderlake(['run', '-i', input, '--lake', input])).toEqual({ code: 1, stdout: '', stderr: `orderlake run: cannot make a lake at ${input}: it is a file (or inside one), not a folder\n` });
    expect(orderlake(['run', '-i', input, '--lake', dir])).toEqual({ code: 1, stdout: '', stderr: `orderlake run: cannot make a lake at ${dir}: the folder holds other files and is not a lake (no _state/); give a new or empty folder\n` });
    expect(await fs.readdir(dir)).toEqual(['in.jsonl']);
  });
});
