// Every request the lake and state clients send, seen before it goes out: counted per
// service and operation (what Azure bills, and what its rate limits count), or failed on
// purpose by a test. The watcher sits in the SDK's own pipeline, so the same counting works
// against real Azure as against Azurite and the test DFS server.
//
// Table clients take it as a core-rest-pipeline policy through `additionalPolicies`. The
// storage clients (ADLS, queues) cannot: they share one pipeline between the service,
// filesystem and file clients, and each of those adds `additionalPolicies` to it again
// ("Duplicate policy names not allowed in pipeline" on the first request). So they take it
// as a request policy factory of the storage pipeline, which is added once per pipeline.
// Both sit before the SDK's retry policy: a count is one SDK call (the servers here answer
// every request, so no call is retried), and a failure a watcher throws is final, as when
// an outage outlasts the SDK's retries.
import type { TableServiceClientOptions } from '@azure/data-tables';
import { newPipeline, type Pipeline, type RequestPolicy, type RequestPolicyFactory, type WebResource } from '@azure/storage-file-datalake';

export type StorageService = 'adls' | 'table' | 'queue';

export interface WatchedRequest {
  service: StorageService;
  method: string;
  url: string;
  header(name: string): string | undefined;
  /** The request body when it is text (an entity group transaction names its table only there). */
  body?: string;
}

/** Sees each request before it is sent; what it throws is what the caller gets. */
export type RequestWatcher = (request: WatchedRequest) => void;

type TablePolicy = NonNullable<TableServiceClientOptions['additionalPolicies']>[number]['policy'];

/** Options for a TableClient that passes every request to `watch`. */
export function tableClientOptions(watch: RequestWatcher | undefined): Pick<TableServiceClientOptions, 'additionalPolicies'> {
  if (!watch) return {};
  const policy: TablePolicy = {
    name: 'orderlakeRequestWatch',
    sendRequest: (request, next) => {
      watch({ service: 'table', method: request.method, url: request.url, header: (n) => request.headers.get(n), ...(typeof request.body === 'string' ? { body: request.body } : {}) });
      return next(request);
    },
  };
  return { additionalPolicies: [{ policy, position: 'perCall' }] };
}

/** A storage pipeline factory that passes every request to `watch` (push it onto `newPipeline(...).factories`). */
export function storageWatchFactory(service: StorageService, watch: RequestWatcher): RequestPolicyFactory {
  return {
    create: (next: RequestPolicy): RequestPolicy => ({
      sendRequest: (request: WebResource) => {
        watch({ service, method: request.method, url: request.url, header: (n) => request.headers.get(n) });
        return next.sendRequest(request);
      },
    }),
  };
}

/** The lake's storage pipeline (what `new DataLakeServiceClient(url, credential)` builds), with `watch` in it. */
export function lakePipeline(credential: Parameters<typeof newPipeline>[0], watch?: RequestWatcher): Pipeline {
  const pipeline = newPipeline(credential);
  if (watch) pipeline.factories.push(storageWatchFactory('adls', watch));
  return pipeline;
}

/**
 * Path segments after the account: IP-style URLs (emulators, test servers) carry the account
 * first, except the ADLS SDK's rename URLs, which it builds without it.
 */
function pathSegments(url: URL, isRename = false): string[] {
  const segments = url.pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
  const ipStyle = /^(\d+\.\d+\.\d+\.\d+|localhost|\[[0-9a-f:]+\])$/i.test(url.hostname);
  return ipStyle && !isRename ? segments.slice(1) : segments;
}

/** The ADLS Gen2 operation of a request (DFS and blob endpoints): what the lake adapter's calls cost. */
export function adlsOperation(method: string, url: URL, header: (name: string) => string | undefined): string {
  const q = url.searchParams;
  const m = method.toUpperCase();
  if (m === 'PUT' && header('x-ms-rename-source')) return 'rename';
  if (m === 'PUT' && q.get('resource') === 'file') return 'create';
  if (m === 'PUT' && q.get('resource') === 'directory') return 'create-directory';
  if (m === 'PUT' && (q.get('resource') === 'filesystem' || q.get('restype') === 'container')) return 'create-filesystem';
  // The blob endpoint's writes: a whole file in one request, or a large one as blocks and their commit.
  if (m === 'PUT' && q.get('comp') === 'block') return 'put-block';
  if (m === 'PUT' && q.get('comp') === 'blocklist') return 'put-block-list';
  if (m === 'PUT' && header('x-ms-blob-type') !== undefined) return 'put-blob';
  if (m === 'PATCH' && q.get('action') === 'append') return 'append';
  if (m === 'PATCH' && q.get('action') === 'flush') return 'flush';
  if ((m === 'GET' || m === 'HEAD') && (q.get('resource') === 'filesystem' || q.get('comp') === 'list')) return 'list';
  if (m === 'HEAD') return 'get-properties';
  if (m === 'GET') return 'read';
  if (m === 'DELETE') return 'delete';
  return `other-${m.toLowerCase()}`;
}

/** The Table storage operation of a request. */
export function tableOperation(method: string, url: URL, header: (name: string) => string | undefined): string {
  const [resource = ''] = pathSegments(url);
  const m = method.toUpperCase();
  const entity = /\(PartitionKey=.*,RowKey=.*\)$/.test(resource);
  if (resource === 'Tables' || resource.startsWith('Tables(')) return m === 'POST' ? 'create-table' : m === 'DELETE' ? 'delete-table' : 'list-tables';
  if (resource === '$batch') return 'batch';
  if (m === 'POST') return 'insert';
  if (m === 'GET') return entity ? 'get' : 'query';
  if (m === 'PUT') return header('if-match') ? 'update' : 'upsert';
  if (m === 'PATCH' || m === 'MERGE') return header('if-match') ? 'merge' : 'upsert-merge';
  if (m === 'DELETE') return 'delete';
  return `other-${m.toLowerCase()}`;
}

/** The Queue storage operation of a request. */
export function queueOperation(method: string, url: URL): string {
  const [, sub, id] = pathSegments(url);
  const m = method.toUpperCase();
  if (sub === 'messages') {
    if (id !== undefined) return m === 'DELETE' ? 'delete' : m === 'PUT' ? 'update' : `other-${m.toLowerCase()}`;
    if (m === 'POST') return 'send';
    if (m === 'GET') return url.searchParams.get('peekonly') === 'true' ? 'peek' : 'receive';
    if (m === 'DELETE') return 'clear';
  }
  if (sub === undefined && m === 'PUT') return url.searchParams.get('comp') === 'metadata' ? 'set-metadata' : 'create';
  if (sub === undefined && (m === 'GET' || m === 'HEAD')) return 'get-properties';
  if (sub === undefined && m === 'DELETE') return 'delete-queue';
  return `other-${m.toLowerCase()}`;
}

/**
 * The table of an entity group transaction: the URL is the account's `$batch`; the table is in
 * each operation's request line inside the multipart body (all operations share one table).
 */
export function batchTable(body: string | undefined): string | undefined {
  const m = /^(?:POST|PUT|PATCH|MERGE|DELETE|GET) (\S+) HTTP\/1\.1\r?$/m.exec(body ?? '');
  if (!m) return undefined;
  return pathSegments(new URL(m[1]!))[0]?.replace(/\(.*$/, '');
}

/** What a request is billed and rate-limited as: its operation, and the filesystem, table or queue it targets. */
export function classify(r: WatchedRequest): { operation: string; target: string } {
  const url = new URL(r.url);
  let target = (pathSegments(url, r.service === 'adls' && r.header('x-ms-rename-source') !== undefined)[0] ?? '').replace(/\(.*$/, '');
  if (r.service === 'table' && target === '$batch') target = batchTable(r.body) ?? target;
  const operation = r.service === 'adls' ? adlsOperation(r.method, url, r.header) : r.service === 'table' ? tableOperation(r.method, url, r.header) : queueOperation(r.method, url);
  return { operation, target };
}

/** Counts requests per `service.operation` and per `service.target.operation`. */
export class RequestCounter {
  private readonly counts = new Map<string, number>();
  private readonly targets = new Map<string, number>();

  readonly watch: RequestWatcher = (r) => {
    const { operation, target } = classify(r);
    const key = `${r.service}.${operation}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    const byTarget = `${r.service}.${target}.${operation}`;
    this.targets.set(byTarget, (this.targets.get(byTarget) ?? 0) + 1);
  };

  /** Requests per `service.operation`, keys sorted. */
  byOperation(): Record<string, number> {
    return sorted(this.counts);
  }

  /** Requests per `service.target.operation` (target: filesystem, table or queue), keys sorted. */
  byTarget(): Record<string, number> {
    return sorted(this.targets);
  }

  reset(): void {
    this.counts.clear();
    this.targets.clear();
  }
}

function sorted(m: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));
}
