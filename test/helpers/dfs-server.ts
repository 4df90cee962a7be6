// A small ADLS Gen2 compatible server for testing the lake adapter through the real
// @azure/storage-file-datalake and @azure/storage-blob clients: just the REST calls the adapter
// and the tests make. On the DFS API: create filesystem, create, append, flush, rename with
// If-None-Match, delete, list paths. On the Blob API, which an account with a hierarchical
// namespace serves too (multi-protocol access): list containers, List Blobs (paged), Put Blob (block blobs, with
// If-None-Match: *), Put Block and Put Block List, Get Blob and Get Blob Properties. Anything
// else answers 501, so a new call the adapter starts making fails loudly. An IP-style URL
// serves both APIs, as the emulators do; errors come in each API's format (DFS: JSON, Blob:
// XML, both with x-ms-error-code). Paths are kept in memory; what the service makes atomic is
// atomic here (a rename, a Put Blob, a Put Block List). `deny` answers 403
// AuthorizationPermissionMismatch, as the service does to an identity without the role a
// request needs.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

const ACCOUNT = 'devstoreaccount1';

export interface DfsServer {
  url: string;
  files: Map<string, Buffer>;
  /** Last-modified time of each file ("fs/path"); a test may set one to age a file. */
  modified: Map<string, Date>;
  requests: string[];
  /** Requests this returns true for are refused with 403 AuthorizationPermissionMismatch (a missing role). */
  deny: ((method: string, path: string) => boolean) | undefined;
  stop(): Promise<void>;
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'x-ms-request-id': String(Date.now()), 'x-ms-version': '2025-01-05', ...(text ? { 'content-type': 'application/json' } : {}), 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** An error in the format of the API the request used: JSON on the DFS API, XML on the Blob API (Get Blob, Put Blob, ...). */
function error(res: ServerResponse, status: number, code: string, message: string, blobApi = false) {
  if (!blobApi) return send(res, status, { error: { code, message } }, { 'x-ms-error-code': code });
  const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  res.writeHead(status, { 'x-ms-request-id': String(Date.now()), 'x-ms-version': '2025-01-05', 'x-ms-error-code': code, 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
  res.end(xml);
}

/** Block ids of a Put Block List body (<BlockList><Latest>id</Latest>...</BlockList>), with where to look each one up. */
function blockListIds(xml: string): Array<{ id: string; from: 'Latest' | 'Committed' | 'Uncommitted' }> {
  return [...xml.matchAll(/<(Latest|Committed|Uncommitted)>([^<]*)<\/\1>/g)].map((m) => ({ from: m[1] as 'Latest' | 'Committed' | 'Uncommitted', id: m[2]! }));
}

/** Conditional headers this server does not evaluate: a request carrying one is refused (501) rather than done unconditionally. */
const UNHANDLED_CONDITIONS = ['if-match', 'if-modified-since', 'if-unmodified-since', 'x-ms-if-tags'];

function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function startDfsServer(): Promise<DfsServer> {
  const files = new Map<string, Buffer>(); // "fs/path" -> content
  const pending = new Map<string, Buffer>(); // appended, not yet flushed
  const uncommitted = new Map<string, Map<string, Buffer>>(); // Put Block, not yet in a Put Block List
  const committed = new Map<string, Map<string, Buffer>>(); // the blocks of the last Put Block List
  const filesystems = new Set<string>();
  const requests: string[] = [];
  let etag = 0;
  const etags = new Map<string, string>();
  const modified = new Map<string, Date>();
  const api: DfsServer = { url: '', files, modified, requests, deny: undefined, stop: async () => undefined };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    // /<account>/<fs>/<path>; for a rename the SDK drops the account segment of an IP-style URL.
    const segments = url.pathname.split('/').slice(1).map(decodeURIComponent);
    if (segments[0] === ACCOUNT) segments.shift();
    const [fs = '', ...rest] = segments;
    const path = rest.join('/');
    const key = `${fs}/${path}`;
    const q = url.searchParams;
    const body = await readBody(req);
    const blobType = req.headers['x-ms-blob-type'] === undefined ? undefined : String(req.headers['x-ms-blob-type']);
    requests.push(`${req.method} ${fs}/${path}?${q.toString()}${req.headers['x-ms-rename-source'] ? ` <- ${String(req.headers['x-ms-rename-source'])}` : ''}${blobType ? ` [${blobType}]` : ''}`);
    // Requests of the Blob API (the Data Lake SDK reads and lists filesystems through it too).
    const comp = q.get('comp');
    const blobApi = blobType !== undefined || comp !== null || q.get('restype') !== null || ((req.method === 'GET' || req.method === 'HEAD') && q.get('resource') === null);
    const mark = (k: string) => {
      etags.set(k, `"0x${(++etag).toString(16)}"`);
      modified.set(k, new Date());
    };
    const lastModified = (k: string) => (modified.get(k) ?? new Date()).toUTCString();
    if (api.deny?.(req.method ?? '', key)) return error(res, 403, 'AuthorizationPermissionMismatch', 'This request is not authorized to perform this operation using this permission.', blobApi);
    const blobWrite = req.method === 'PUT' && (blobType !== undefined || comp === 'block' || comp === 'blocklist');
    const unhandled = UNHANDLED_CONDITIONS.find((h) => req.headers[h] !== undefined) ?? (req.headers['if-none-match'] !== undefined && req.headers['if-none-match'] !== '*' ? 'if-none-match' : undefined);
    if (blobWrite && unhandled) return error(res, 501, 'NotImplementedInTestServer', `${unhandled} on a blob write is not implemented by test/helpers/dfs-server.ts`, true);
    const written = (k: string, data: Buffer) => {
      files.set(k, data);
      uncommitted.delete(k);
      mark(k);
    };
    try {
      if (req.method === 'PUT' && (q.get('resource') === 'filesystem' || q.get('restype') === 'container') && path === '') {
        filesystems.add(fs);
        return send(res, 201);
      }
      if (req.method === 'PUT' && req.headers['x-ms-rename-source']) {
        const src = decodeURIComponent(String(req.headers['x-ms-rename-source']).split('?')[0]!).split('/').filter((x, i) => x !== '' && !(i <= 1 && x === ACCOUNT)).join('/');
        if (!files.has(src)) return error(res, 404, 'SourcePathNotFound', 'The source path for a rename operation does not exist.');
        if (req.headers['if-none-match'] === '*' && files.has(key)) return error(res, 409, 'PathAlreadyExists', 'The specified path already exists.');
        files.set(key, files.get(src)!);
        files.delete(src);
        modified.delete(src);
        mark(key);
        return send(res, 201, undefined, { etag: etags.get(key)! });
      }
      if (req.method === 'PUT' && blobType === 'BlockBlob' && comp === null) {
        // Put Blob: the whole content in one request, replacing any file; uncommitted blocks go.
        if (req.headers['if-none-match'] === '*' && files.has(key)) return error(res, 409, 'BlobAlreadyExists', 'The specified blob already exists.', true);
        written(key, body);
        committed.delete(key);
        return send(res, 201, undefined, { etag: etags.get(key)!, 'last-modified': lastModified(key), 'x-ms-request-server-encrypted': 'true' });
      }
      if (req.method === 'PUT' && comp === 'block') {
        // Put Block: staged under its id, invisible until a Put Block List commits it.
        const id = q.get('blockid') ?? '';
        const staged = uncommitted.get(key) ?? new Map<string, Buffer>();
        const other = [...staged.keys()][0];
        if (id === '' || (other !== undefined && other.length !== id.length)) return error(res, 400, 'InvalidBlobOrBlock', 'The specified blob or block content is invalid.', true);
        staged.set(id, body);
        uncommitted.set(key, staged);
        return send(res, 201, undefined, { 'x-ms-request-server-encrypted': 'true' });
      }
      if (req.method === 'PUT' && comp === 'blocklist') {
        // Put Block List: the listed blocks become the file's content, all at once.
        if (req.headers['if-none-match'] === '*' && files.has(key)) return error(res, 409, 'BlobAlreadyExists', 'The specified blob already exists.', true);
        const staged = uncommitted.get(key) ?? new Map<string, Buffer>();
        const before = committed.get(key) ?? new Map<string, Buffer>();
        const blocks = new Map<string, Buffer>();
        for (const { id, from } of blockListIds(body.toString('utf8'))) {
          const block = from === 'Committed' ? before.get(id) : from === 'Uncommitted' ? staged.get(id) : (staged.get(id) ?? before.get(id));
          if (!block) return error(res, 400, 'InvalidBlockList', 'The specified block list is invalid.', true);
          blocks.set(id, block);
        }
        written(key, Buffer.concat([...blocks.values()]));
        committed.set(key, blocks);
        return send(res, 201, undefined, { etag: etags.get(key)!, 'last-modified': lastModified(key), 'x-ms-request-server-encrypted': 'true' });
      }
      if (req.method === 'PUT' && q.get('resource') === 'file') {
        if (req.headers['if-none-match'] === '*' && files.has(key)) return error(res, 409, 'PathAlreadyExists', 'The specified path already exists.');
        files.set(key, Buffer.alloc(0));
        pending.set(key, Buffer.alloc(0));
        mark(key);
        return send(res, 201, undefined, { etag: etags.get(key)! });
      }
      if (req.method === 'PATCH' && q.get('action') === 'append') {
        const position = Number(q.get('position'));
        const cur = pending.get(key) ?? Buffer.alloc(0);
        if (position !== cur.length) return error(res, 400, 'InvalidFlushPosition', `append at ${position}, have ${cur.length}`);
        pending.set(key, Buffer.concat([cur, body]));
        return send(res, 202);
      }
      if (req.method === 'PATCH' && q.get('action') === 'flush') {
        const data = pending.get(key) ?? Buffer.alloc(0);
        if (Number(q.get('position')) !== data.length) return error(res, 400, 'InvalidFlushPosition', 'flush position does not match the appended data');
        files.set(key, data);
        pending.delete(key);
        mark(key);
        return send(res, 200, undefined, { etag: etags.get(key)! });
      }
      if (req.method === 'GET' && fs === '' && q.get('comp') === 'list') {
        // List filesystems (the blob API's list containers, XML).
        const names = [...filesystems].sort();
        const xml = `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="${url.origin}/${ACCOUNT}/"><Containers>${names.map((n) => `<Container><Name>${n}</Name><Properties><Last-Modified>${new Date().toUTCString()}</Last-Modified><Etag>"0x1"</Etag></Properties></Container>`).join('')}</Containers><NextMarker/></EnumerationResults>`;
        res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml), 'x-ms-version': '2025-01-05' });
        return res.end(xml);
      }
      if (req.method === 'GET' && fs !== '' && path === '' && q.get('restype') === 'container' && comp === 'list') {
        // List Blobs: names in alphabetical order under any name prefix, maxresults a page, the
        // last name of a page as its (opaque) NextMarker.
        const prefix = q.get('prefix') ?? '';
        const marker = q.get('marker') ?? '';
        const max = Math.min(Number(q.get('maxresults') ?? 5000), 5000);
        const names = [...files.keys()]
          .filter((k) => k.startsWith(`${fs}/`))
          .map((k) => k.slice(fs.length + 1))
          .filter((n) => n.startsWith(prefix) && n > marker)
          .sort();
        if (!filesystems.has(fs) && !names.length) return error(res, 404, 'ContainerNotFound', 'The specified container does not exist.', true);
        const page = names.slice(0, max);
        const next = names.length > max ? page[page.length - 1]! : '';
        const blobs = page.map((n) => `<Blob><Name>${xmlText(n)}</Name><Properties><Last-Modified>${lastModified(`${fs}/${n}`)}</Last-Modified><Etag>${etags.get(`${fs}/${n}`) ?? '"0"'}</Etag><Content-Length>${files.get(`${fs}/${n}`)!.length}</Content-Length><Content-Type>application/octet-stream</Content-Type><BlobType>BlockBlob</BlobType></Properties><Metadata/></Blob>`);
        const xml = `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="${url.origin}/${ACCOUNT}/" ContainerName="${xmlText(fs)}"><Prefix>${xmlText(prefix)}</Prefix><Marker>${xmlText(marker)}</Marker><MaxResults>${max}</MaxResults><Blobs>${blobs.join('')}</Blobs><NextMarker>${xmlText(next)}</NextMarker></EnumerationResults>`;
        res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml), 'x-ms-version': '2025-01-05' });
        return res.end(xml);
      }
      if ((req.method === 'GET' || req.method === 'HEAD') && q.get('resource') === 'filesystem') {
        const dir = q.get('directory') ?? '';
        const paths = [...files.keys()]
          .filter((k) => k.startsWith(`${fs}/`) && (dir === '' || k.startsWith(`${fs}/${dir}/`)))
          .map((k) => ({ name: k.slice(fs.length + 1), isDirectory: 'false', contentLength: String(files.get(k)!.length), etag: etags.get(k) ?? '"0"', lastModified: lastModified(k) }));
        if (!filesystems.has(fs) && !paths.length) return error(res, 404, 'FilesystemNotFound', 'The specified filesystem does not exist.');
        return send(res, 200, { paths });
      }
      if (req.method === 'GET' || req.method === 'HEAD') {
        const data = files.get(key);
        if (!data) return error(res, 404, 'BlobNotFound', 'The specified blob does not exist.', true);
        const range = String(req.headers['x-ms-range'] ?? req.headers['range'] ?? '');
        const m = /bytes=(\d+)-(\d*)/.exec(range);
        const start = m ? Number(m[1]) : 0;
        const end = m && m[2] ? Math.min(Number(m[2]), data.length - 1) : data.length - 1;
        const slice = data.subarray(start, end + 1);
        const headers: Record<string, string> = { 'content-length': String(slice.length), 'content-type': 'application/octet-stream', etag: etags.get(key) ?? '"0"', 'last-modified': lastModified(key), 'x-ms-blob-type': 'BlockBlob', 'x-ms-resource-type': 'file', 'accept-ranges': 'bytes' };
        if (m) headers['content-range'] = `bytes ${start}-${end}/${data.length}`;
        res.writeHead(m ? 206 : 200, headers);
        return res.end(req.method === 'HEAD' ? undefined : slice);
      }
      if (req.method === 'DELETE') {
        if (!files.has(key)) return error(res, 404, 'PathNotFound', 'The specified path does not exist.');
        files.delete(key);
        modified.delete(key);
        uncommitted.delete(key);
        committed.delete(key);
        return send(res, 200);
      }
      return error(res, 501, 'NotImplementedInTestServer', `${req.method} ${url.pathname}?${q.toString()} is not implemented by test/helpers/dfs-server.ts`, blobApi);
    } catch (e) {
      return error(res, 500, 'TestServerError', (e as Error).message, blobApi);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  Object.assign(api, {
    url: `http://127.0.0.1:${port}/devstoreaccount1`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
  return api;
}
