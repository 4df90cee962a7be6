// The lake on ADLS Gen2. A lake path's first segment is the filesystem (bronze, silver,
// quarantine, gold); the rest is the path inside it. Writes go to a temporary file in the
// filesystem's _tmp/ folder that is then renamed into place (a rename is atomic with a
// hierarchical namespace), so readers never see half a file and a killed write's temporary
// file is never inside a table or partition folder; put-if-absent is a rename that refuses
// an existing destination.
import { randomUUID } from 'node:crypto';
import type { DataLakeServiceClient, DataLakeFileClient } from '@azure/storage-file-datalake';
import { NotFoundError, type Lake, type LakeEntry } from '../../pipeline/ports';
import { safeLakePath, TMP_DIR } from '../local/local-lake';

function statusOf(e: unknown): number | undefined {
  return (e as { statusCode?: number }).statusCode;
}

function byPath(a: LakeEntry, b: LakeEntry): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

export class AdlsLake implements Lake {
  constructor(private readonly service: DataLakeServiceClient) {}

  private split(p: string): { fs: string; path: string } {
    const safe = safeLakePath(p);
    const slash = safe.indexOf('/');
    if (slash < 0) throw new Error(`expected a lake path <filesystem>/<path>, got ${JSON.stringify(p)}`);
    return { fs: safe.slice(0, slash), path: safe.slice(slash + 1) };
  }

  private file(p: string): DataLakeFileClient {
    const { fs, path } = this.split(p);
    return this.service.getFileSystemClient(fs).getFileClient(path);
  }

  private async uploadTemp(p: string, data: string | Uint8Array): Promise<DataLakeFileClient> {
    const { fs, path } = this.split(p);
    const tmp = this.service.getFileSystemClient(fs).getFileClient(`${TMP_DIR}/${randomUUID()}.tmp`);
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength); // a view, not a copy
    await tmp.upload(buf);
    return tmp;
  }

  async writeFile(p: string, data: string | Uint8Array): Promise<void> {
    const tmp = await this.uploadTemp(p, data);
    await tmp.move(this.split(p).path);
  }

  async writeFileIfAbsent(p: string, data: string | Uint8Array): Promise<boolean> {
    const tmp = await this.uploadTemp(p, data);
    try {
      await tmp.move(this.split(p).path, { destinationConditions: { ifNoneMatch: '*' } });
      return true;
    } catch (e) {
      await tmp.deleteIfExists();
      if (statusOf(e) === 409 || statusOf(e) === 412) return false;
      throw e;
    }
  }

  async readFile(p: string): Promise<Buffer> {
    try {
      return await this.file(p).readToBuffer();
    } catch (e) {
      if (statusOf(e) === 404) throw new NotFoundError(p);
      throw e;
    }
  }

  async list(prefix: string): Promise<string[]> {
    return (await this.listEntries(prefix)).map((e) => e.path);
  }

  async listEntries(prefix: string): Promise<LakeEntry[]> {
    const base = prefix.replace(/\/+$/, '');
    if (base === '') {
      // The whole lake: every filesystem.
      const all: LakeEntry[] = [];
      for await (const fs of this.service.listFileSystems()) all.push(...(await this.listEntries(fs.name)));
      return all.sort(byPath);
    }
    const slash = base.indexOf('/');
    const fsName = slash < 0 ? base : base.slice(0, slash);
    const dir = slash < 0 ? undefined : base.slice(slash + 1);
    const out: LakeEntry[] = [];
    try {
      const fsClient = this.service.getFileSystemClient(fsName);
      for await (const entry of fsClient.listPaths({ recursive: true, ...(dir ? { path: dir } : {}) })) {
        if (entry.isDirectory || !entry.name || entry.name.startsWith(`${TMP_DIR}/`)) continue;
        if (!entry.lastModified) throw new Error(`expected a last-modified time for ${fsName}/${entry.name} in the ADLS listing, got none`);
        out.push({ path: `${fsName}/${entry.name}`, size: entry.contentLength ?? 0, modified: entry.lastModified });
      }
    } catch (e) {
      if (statusOf(e) === 404) return [];
      throw e;
    }
    return out.sort(byPath);
  }

  async deleteFile(p: string): Promise<void> {
    await this.file(p).deleteIfExists();
  }

  /** Temporary files older than `before` in each filesystem's _tmp/ (another instance may be writing newer ones). */
  async sweepTemporary(before: Date): Promise<number> {
    let removed = 0;
    for await (const fsItem of this.service.listFileSystems()) {
      const fsClient = this.service.getFileSystemClient(fsItem.name);
      try {
        for await (const entry of fsClient.listPaths({ path: TMP_DIR })) {
          if (entry.isDirectory || !entry.name || !entry.lastModified || entry.lastModified >= before) continue;
          await fsClient.getFileClient(entry.name).deleteIfExists();
          removed++;
        }
      } catch (e) {
        if (statusOf(e) !== 404) throw e;
      }
    }
    return removed;
  }
}
