// The lake as a local folder. Writes go to a temporary file in <lake>/_tmp/ and are renamed
// into place, so a reader (or a crash) never sees half a file, and a killed write leaves its
// temporary file outside every table and partition folder (Spark or DuckDB reading a folder
// never pick it up; `_`-prefixed folders are private to the lake).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { NotFoundError, type Lake, type LakeEntry } from '../../pipeline/ports';

/** Rejects paths that could leave the lake: absolute, '..', backslashes, NUL. */
export function safeLakePath(p: string): string {
  if (p === '' || p.startsWith('/') || p.includes('\\') || p.includes('\0') || p.split('/').some((s) => s === '..' || s === '.' || s === '')) {
    throw new Error(`expected a relative lake path without '..', '.', empty segments, '\\' or NUL, got ${JSON.stringify(p)}`);
  }
  return p;
}

let tmpCounter = 0;
/** Temporary files of writes in progress, on the lake's filesystem so the rename is atomic. */
export const TMP_DIR = '_tmp';

export class LocalLake implements Lake {
  constructor(public readonly root: string) {}

  private abs(p: string): string {
    return path.join(this.root, ...safeLakePath(p).split('/'));
  }

  private absDir(p: string): string {
    return p === '' ? this.root : this.abs(p);
  }

  private tmpPath(): string {
    return path.join(this.root, TMP_DIR, `${process.pid}-${++tmpCounter}.tmp`);
  }

  /** Writes `data` to a new temporary file, creating the folder on first use. */
  private async writeTemp(data: string | Uint8Array): Promise<string> {
    const tmp = this.tmpPath();
    try {
      await fs.writeFile(tmp, data);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      await fs.mkdir(path.dirname(tmp), { recursive: true });
      await fs.writeFile(tmp, data);
    }
    return tmp;
  }

  async writeFile(p: string, data: string | Uint8Array): Promise<void> {
    const target = this.abs(p);
    const tmp = await this.writeTemp(data);
    try {
      try {
        await fs.rename(tmp, target);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        await fs.mkdir(path.dirname(target), { recursive: true });
        await fs.rename(tmp, target);
      }
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
  }

  async readFile(p: string): Promise<Buffer> {
    try {
      return await fs.readFile(this.abs(p));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(p);
      throw e;
    }
  }

  /** Every file below `prefix`, in no particular order, skipping the lake's private `_` folders at its root. */
  private async walk(prefix: string): Promise<string[]> {
    const base = prefix.replace(/\/+$/, '');
    const join = (rel: string, name: string) => (rel === '' ? name : `${rel}/${name}`);
    const out: string[] = [];
    const visit = async (rel: string): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(this.absDir(rel), { withFileTypes: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return;
        throw e;
      }
      for (const ent of entries) {
        const child = join(rel, ent.name);
        if (rel === '' && ent.name.startsWith('_')) continue; // _state and other private folders are not lake data
        if (ent.isDirectory()) await visit(child);
        else if (ent.isFile()) out.push(child);
      }
    };
    await visit(base);
    return out;
  }

  async list(prefix: string): Promise<string[]> {
    return (await this.walk(prefix)).sort();
  }

  /** The file's size and modified time; undefined when it was deleted since the walk that found it. */
  private async entry(p: string): Promise<LakeEntry | undefined> {
    const st = await fs.stat(this.abs(p)).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    return st && { path: p, size: st.size, modified: st.mtime };
  }

  async listEntries(prefix: string): Promise<LakeEntry[]> {
    const out: LakeEntry[] = [];
    for (const p of (await this.walk(prefix)).sort()) {
      const e = await this.entry(p);
      if (e) out.push(e);
    }
    return out;
  }

  /** Walks the folder the prefix ends in (a local folder has no pages), then stats in path order as the caller reads. */
  async *scanEntries(prefix: string): AsyncIterable<LakeEntry> {
    const trimmed = prefix.replace(/\/+$/, '');
    if (trimmed !== '') safeLakePath(trimmed);
    const slash = prefix.lastIndexOf('/');
    const dir = slash < 0 ? '' : prefix.slice(0, slash);
    const paths = (await this.walk(dir)).filter((p) => p.startsWith(prefix)).sort();
    for (const p of paths) {
      const e = await this.entry(p);
      if (e) yield e;
    }
  }

  async writeFileIfAbsent(p: string, data: string | Uint8Array): Promise<boolean> {
    const target = this.abs(p);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const tmp = await this.writeTemp(data);
    try {
      // link() fails when the target exists: an atomic put-if-absent of a complete file.
      await fs.link(tmp, target);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    } finally {
      await fs.rm(tmp, { force: true });
    }
  }

  localPath(p: string): string {
    return this.abs(p);
  }

  async deleteFile(p: string): Promise<void> {
    await fs.rm(this.abs(p), { force: true });
  }

  async sweepTemporary(before: Date): Promise<number> {
    const dir = path.join(this.root, TMP_DIR);
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw e;
    }
    let removed = 0;
    for (const name of names) {
      const file = path.join(dir, name);
      const st = await fs.stat(file).catch(() => undefined);
      if (st && st.mtime < before) {
        await fs.rm(file, { force: true });
        removed++;
      }
    }
    return removed;
  }
}
