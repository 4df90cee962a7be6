// Errors of an Azure lake in plain words: a refused request names the role it needs and on
// which account, a failed sign-in says how to sign in, an unreachable account names its host.
import { EMULATOR_KEY_ENV, sameService, type Endpoint } from './cloud-urls';

export interface CloudEndpoints {
  lake: Endpoint;
  state?: Endpoint;
  queue?: Endpoint;
}

type Account = keyof CloudEndpoints;

/** The built-in roles each account needs, for commands that read and for commands that write. */
export const ROLES: Record<Account, { read: string; write: string }> = {
  lake: { read: 'Storage Blob Data Reader', write: 'Storage Blob Data Contributor' },
  state: { read: 'Storage Table Data Reader', write: 'Storage Table Data Contributor' },
  queue: { read: 'Storage Queue Data Reader', write: 'Storage Queue Data Contributor' },
};

const ACCOUNT_NAMES: Record<Account, string> = { lake: 'lake', state: 'state', queue: 'state' };

const CREDENTIAL_ERRORS = ['CredentialUnavailableError', 'AggregateAuthenticationError', 'AuthenticationError', 'AuthenticationRequiredError'];

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  details?: { errorCode?: string };
  request?: { url?: string };
  errors?: unknown[];
}

/** The first sentence of an SDK message (they run to troubleshooting links and request ids). */
function firstSentence(message: string): string {
  return message.split(/\.(?:\s|$)|\n/)[0]!.trim();
}

function hostOf(url: string | undefined): string {
  try {
    return url ? new URL(url).host : 'the storage account';
  } catch {
    return 'the storage account';
  }
}

/**
 * The plain error to show for `e`, raised by `orderlake <command>` on an Azure lake, or
 * undefined when `e` is not a sign-in, permission or network error of the storage clients
 * (then it is shown as it is).
 */
export function describeCloudError(e: unknown, command: string, endpoints: CloudEndpoints, writes: boolean): Error | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const err = e as SdkError;
  if (err.name && CREDENTIAL_ERRORS.includes(err.name)) {
    const causes = Array.isArray(err.errors) && err.errors.length ? err.errors.map((c) => firstSentence(String((c as Error).message ?? c))) : [firstSentence(err.message ?? '')];
    return new Error(`cannot sign in to Azure (DefaultAzureCredential): ${causes.join('; ')}. Sign in with 'az login' (or 'azd auth login'), or run where a managed identity is assigned`);
  }
  const url = err.request?.url;
  const which = url === undefined ? undefined : (Object.keys(endpoints) as Account[]).find((k) => endpoints[k] && sameService(url, endpoints[k]!));
  const code = err.details?.errorCode ?? err.code;
  if (err.statusCode === 403) return new Error(refused(command, endpoints, which, code, writes));
  if (err.statusCode === 404 && code === 'TableNotFound' && endpoints.state) {
    const table = /\/([A-Za-z0-9]+)\(/.exec(url ?? '')?.[1] ?? 'of orderlake';
    return new Error(`the state account ${endpoints.state.url} has no table ${table}: is it the deployment's STATE_TABLE_URL? (the deployment creates orderlake's tables in its state account)`);
  }
  if (err.statusCode === undefined && typeof err.code === 'string') {
    const host = hostOf(url);
    const account = which ? `the ${ACCOUNT_NAMES[which]} account ${endpoints[which]!.account} (${host})` : host;
    if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return new Error(`cannot find ${account}: no such host; is the account name right? ('azd env get-values' prints LAKE_DFS_URL and STATE_TABLE_URL), or is this machine offline?`);
    if (err.code === 'ECONNREFUSED') return new Error(`cannot reach ${account}: nothing answers there (connection refused)`);
    if (/^E[A-Z]+$/.test(err.code)) return new Error(`cannot reach ${account}: ${err.code}`);
  }
  return undefined;
}

function refused(command: string, endpoints: CloudEndpoints, which: Account | undefined, code: string | undefined, writes: boolean): string {
  const level = (a: Account) => (writes && a !== 'queue' ? 'write' : 'read');
  const needs = (Object.keys(endpoints) as Account[]).filter((a) => endpoints[a]).map((a) => `${ROLES[a][level(a)]} on the ${ACCOUNT_NAMES[a]} account ${endpoints[a]!.account}`);
  const head = which
    ? `the ${ACCOUNT_NAMES[which]} account ${endpoints[which]!.account} refused the request (403 ${code ?? 'Forbidden'}): 'orderlake ${command}' needs the ${ROLES[which][level(which)]} role on it`
    : `a storage account refused the request (403 ${code ?? 'Forbidden'}): 'orderlake ${command}' needs ${needs.join(', ')}`;
  const forWhom = ', given to the identity you signed in as (a new role assignment takes a few minutes to apply)';
  if (code === 'KeyBasedAuthenticationNotPermitted') return `${head.replace(/: 'orderlake.*$/, '')}: the account does not take shared keys; unset ${EMULATOR_KEY_ENV} (it is for local emulators)`;
  if (code === 'AuthorizationFailure') return `${head}${forWhom}; if it has that role, the account's network rules may not admit this machine (with network isolation, only the deployment's virtual network)`;
  return `${head}${forWhom}`;
}
