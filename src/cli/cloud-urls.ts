// The Azure endpoints of a cloud lake, checked before anything is sent. The lake is a whole
// storage account (bronze, silver, quarantine and gold are its filesystems), named by its DFS
// endpoint, the deployment's LAKE_DFS_URL; its state is the state account's Table endpoint
// (STATE_TABLE_URL), and that account's queues hold the silver backlog.
import { UsageError } from './args';

/**
 * For local emulators only (Azurite, the ADLS test server): every cloud client signs with this
 * shared key instead of DefaultAzureCredential, and http:// endpoints are accepted. A deployed
 * orderlake account has shared keys turned off, so it is of no use against Azure.
 */
export const EMULATOR_KEY_ENV = 'ORDERLAKE_EMULATOR_KEY';

export type StorageService = 'dfs' | 'table' | 'queue';

export interface Endpoint {
  /** The endpoint, without a trailing slash: https://<account>.<service>.core.windows.net. */
  url: string;
  account: string;
}

const STORAGE_SERVICES = ['blob', 'dfs', 'table', 'queue', 'file', 'web'];
const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

/** A --lake value names an Azure lake (anything with a scheme), not a folder. */
export function isLakeUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}

function example(service: StorageService, account = '<account>'): string {
  return `https://${account}.${service}.core.windows.net`;
}

/**
 * Checks an endpoint of `service` given as `option`: https://<account>.<service>.<suffix>, with
 * no path (a lake is the whole account); with the emulator key, also http:// and emulator
 * style http://127.0.0.1:<port>/<account>.
 */
export function storageEndpoint(text: string, option: string, service: StorageService, emulator: boolean): Endpoint {
  const expected = `expected ${option} to be ${example(service)}`;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new UsageError(`${expected}, got ${JSON.stringify(text)}`);
  }
  if (u.protocol === 'abfss:' || u.protocol === 'abfs:') {
    const account = u.hostname.split('.')[0] ?? '<account>';
    throw new UsageError(`${expected}, got ${JSON.stringify(text)}: the lake is the whole account (bronze, silver, quarantine and gold are its filesystems), so give ${option} ${example(service, account)}`);
  }
  if (u.search || u.hash || u.username || u.password) throw new UsageError(`${expected}, got ${JSON.stringify(text)}: no query, fragment or user name (orderlake signs in with DefaultAzureCredential, not SAS tokens or keys)`);
  if (u.protocol === 'http:' && !emulator) throw new UsageError(`${expected}, got ${JSON.stringify(text)}: http:// is for local emulators only (with ${EMULATOR_KEY_ENV} set); Azure storage endpoints are https://`);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new UsageError(`${expected}, got ${JSON.stringify(text)}`);
  const segments = u.pathname.split('/').filter((s) => s !== '');
  if (emulator && LOOPBACK.includes(u.hostname)) {
    // Emulator style: the account is the first path segment.
    if (segments.length !== 1) throw new UsageError(`expected ${option} to be http://${u.host}/<account> for an emulator, got ${JSON.stringify(text)}`);
    return { url: `${u.origin}/${segments[0]}`, account: segments[0]! };
  }
  const [account = '', kind = '', ...suffix] = u.hostname.split('.');
  if (kind !== service || !suffix.length) {
    const hint = STORAGE_SERVICES.includes(kind) && suffix.length ? `: that is the ${kind} endpoint of account ${account}; give ${option} ${u.protocol}//${account}.${service}.${suffix.join('.')}` : '';
    throw new UsageError(`${expected}, got ${JSON.stringify(text)}${hint}`);
  }
  if (!/^[a-z0-9]{3,24}$/.test(account)) throw new UsageError(`${expected}, got ${JSON.stringify(text)}: a storage account name is 3 to 24 lowercase letters and digits`);
  if (segments.length) {
    throw new UsageError(`${expected}, got ${JSON.stringify(text)}: give the account without a path (the lake is the whole account; bronze, silver, quarantine and gold are its filesystems)`);
  }
  return { url: `${u.protocol}//${u.host}`, account };
}

/** The state account's queue endpoint: the queue setting azd prints, else the Table endpoint's account. */
export function queueEndpoint(state: Endpoint, env: NodeJS.ProcessEnv, emulator: boolean): Endpoint {
  const setting = env['StateStorage__queueServiceUri']?.trim();
  if (setting) return storageEndpoint(setting, 'StateStorage__queueServiceUri', 'queue', emulator);
  const u = new URL(state.url);
  if (LOOPBACK.includes(u.hostname)) throw new UsageError(`expected StateStorage__queueServiceUri (the emulator's queue endpoint, http://${u.hostname}:<port>/<account>): an emulator's Table endpoint does not name its queue endpoint`);
  return { url: state.url.replace(`//${state.account}.table.`, `//${state.account}.queue.`), account: state.account };
}

/** Which endpoint a request went to (the lake's blob and DFS endpoints are one account), for error messages. */
export function sameService(requestUrl: string, endpoint: Endpoint): boolean {
  let u: URL;
  try {
    u = new URL(requestUrl);
  } catch {
    return false;
  }
  const e = new URL(endpoint.url);
  if (LOOPBACK.includes(e.hostname)) return u.host === e.host && u.pathname.split('/')[1] === endpoint.account;
  const [account, kind] = u.hostname.split('.');
  const [, endpointKind] = e.hostname.split('.');
  const lakeKinds = ['dfs', 'blob'];
  return account === endpoint.account && (kind === endpointKind || (lakeKinds.includes(kind ?? '') && lakeKinds.includes(endpointKind ?? '')));
}
