// The lake on ADLS Gen2. A lake path's first segment is the filesystem (bronze, silver,
// quarantine, gold); the rest is the path inside it.
//
// A write is one request: Put Blob on the account's Blob endpoint, which hierarchical-namespace
// accounts serve too (multi-protocol access). Put Blob is atomic: the file appears with all its
// content at once, or not at all, so readers never see half a file and a failed write leaves
// nothing behind (no temporary file, no rename). Put-if-absent (the Delta log commit) is the
// same Put Blob with If-None-Match: *, which the service refuses with 409 when the file exists.
// A file over `singlePutMaxBytes` (256 MiB: the most the SDK sends in one Put Blob) goes as
// blocks instead: a Put Block each, then one Put Block List that commits them, just as
// atomically (uncommitted blocks are invisible and the service drops them after a week).
// A read is one Get Blob. Listing, deleting and the filesystems use the DFS endpoint.
//
// Writes used to go through a temporary file in the filesystem's _tmp/ folder and a rename
// (4 requests); listings still skip _tmp/, and sweepTemporary removes what killed writes of
// those versions left there.
import { DataLakeServiceClient, type DataLakeFileClient, type Pipeline } from '@azure/storage-file-datalake';
import { BlobServiceClient, type BlockBlobClient } from '@azure/storage-blob';
import { NotFoundError, type Lake, type LakeEntry } from '../../pipeline/ports';
import { safeLakePath, TMP_DIR } from '../local/local-lake';

const MiB = 1024 * 1024;

export interface AdlsLakeOptions {
  /** Files up to this size are one Put Blob; larger ones are staged as blocks (default and most: 256 MiB, the SDK's single-upload limit). */
  singlePutMaxBytes?: number;
  /** Block size of larger files (default 64 MiB: a 1 GiB file is 16 Put Block and 1 Put Block List). */
  blockBytes?: number;
  /** Files per List Blobs page of scanEntries (default and most: 5,000). */
  scanPageSize?: number;
}

export const SINGLE_PUT_MAX_BYTES = 256 * MiB;
export const BLOCK_BYTES = 64 * MiB;

function statusOf(e: unknown): number | undefined {
  return (e as { statusCode?: number }).statusCode;
}

function byPath(a: LakeEntry, b: LakeEntry): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/**
 * The account's Blob endpoint for its DFS endpoint, as the Data Lake SDK maps it for its own
 * blob calls (toBlobEndpointUrl): `.dfs.` becomes `.blob.` in the host name
 * (lake.dfs.core.windows.net -> lake.blob.core.windows.net); an IP-style URL (emulators, the
 * test server) serves both APIs at one address and stays as it is.
 */
export function blobEndpointUrl(dfsUrl: string): string {
  const url = new URL(dfsUrl);
  url.hostname = url.hostname.replace('.dfs.', '.blob.');
  const mapped = url.toString();
  return !dfsUrl.endsWith('/') && mapped.endsWith('/') ? mapped.slice(0, -1) : mapped;
}

async function readAll(body: NodeJS.ReadableStream | undefined, length: number | undefined, where: string): Promise<Buffer> {
  if (!body) throw new Error(`expected a body in the answer to reading ${where}, got none`);
  const chunks: Buffer[] = [];
  let got = 0;
  for await (const chunk of body) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    chunks.push(b);
    got += b.length;
  }
  if (length !== undefined && got !== length) throw new Error(`expected ${length} bytes reading ${where}, got ${got}`);
  return Buffer.concat(chunks, got);
}

export class AdlsLake implements Lake {
  private readonly service: DataLakeServiceClient;
  private readonly blobs: BlobServiceClient;
  private readonly singlePutMaxBytes: number;
  private readonly blockBytes: number;
  private readonly scanPageSize: number;

  /**
   * `url` is the account's DFS endpoint (https://<account>.dfs.core.windows.net); both APIs' clients
   * share `pipeline` (its credential, retries and any request watcher: src/azure/request-watch.ts).
   */
  constructor(url: string, pipeline: Pipeline, options: AdlsLakeOptions = {}) {
    this.service = new DataLakeServiceClient(url, pipeline);
    this.blobs = new BlobServiceClient(blobEndpointUrl(url), pipeline);
    this.singlePutMaxBytes = options.singlePutMaxBytes ?? SINGLE_PUT_MAX_BYTES;
    this.blockBytes = options.blockBytes ?? BLOCK_BYTES;
    this.scanPageSize = options.scanPageSize ?? 5000;
  }

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

  private blob(p: string): BlockBlobClient {
    const { fs, path } = this.split(p);
    return this.blobs.getContainerClient(fs).getBlockBlobClient(path);
  }

  /** One Put Blob (or blocks and their commit, for a file over singlePutMaxBytes). */
  private async put(p: string, data: string | Uint8Array, ifAbsent: boolean): Promise<void> {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength); // a view, not a copy
    await this.blob(p).uploadData(buf, {
      maxSingleShotSize: this.singlePutMaxBytes,
      blockSize: this.blockBytes,
      ...(ifAbsent ? { conditions: { ifNoneMatch: '*' } } : {}),
    });
  }

  async writeFile(p: string, data: string | Uint8Array): Promise<void> {
    await this.put(p, data, false);
  }

  async writeFileIfAbsent(p: string, data: string | Uint8Array): Promise<boolean> {
    try {
      await this.put(p, data, true);
      return true;
    } catch (e) {
      // 409 BlobAlreadyExists is what the service answers; 412 is the general "condition not met".
      if (statusOf(e) === 409 || statusOf(e) === 412) return false;
      throw e;
    }
  }

  /** One Get Blob, its body collected (no length asked first). */
  async readFile(p: string): Promise<Buffer> {
    try {
      const res = await this.blob(p).download();
      return await readAll(res.readableStreamBody, res.contentLength, p);
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

  /**
   * List Blobs on the Blob endpoint with the name prefix, page by page (5,000 a page): the Blob
   * API returns names in alphabetical order and filters by any prefix, which the DFS List Paths
   * (a folder, whole) cannot. Folders of the hierarchical namespace come back as empty blobs
   * marked hdi_isfolder and are skipped, as are the _tmp/ files of old writes.
   */
  async *scanEntries(prefix: string): AsyncIterable<LakeEntry> {
    const slash = prefix.indexOf('/');
    if (slash <= 0) throw new Error(`expected a scan prefix <filesystem>/<name prefix>, got ${JSON.stringify(prefix)}`);
    const fsName = safeLakePath(prefix.slice(0, slash));
    const namePrefix = prefix.slice(slash + 1);
    const pages = this.blobs.getContainerClient(fsName).listBlobsFlat({ prefix: namePrefix, includeMetadata: true }).byPage({ maxPageSize: this.scanPageSize });
    try {
      for await (const page of pages) {
        for (const b of page.segment.blobItems) {
          if (b.metadata?.['hdi_isfolder'] === 'true' || b.name.startsWith(`${TMP_DIR}/`)) continue;
          yield { path: `${fsName}/${b.name}`, size: b.properties.contentLength ?? 0, modified: b.properties.lastModified };
        }
      }
    } catch (e) {
      if (statusOf(e) === 404) return; // no such filesystem: nothing below it
      throw e;
    }
  }

  async deleteFile(p: string): Promise<void> {
    await this.file(p).deleteIfExists();
  }

  /** Temporary files older than `before` in each filesystem's _tmp/, left by writes of earlier versions that were killed. */
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
