import { describeCloudError, ROLES, type CloudEndpoints } from '../../src/cli/cloud-errors';

// Shaped as the SDKs raise them (RestError: statusCode, details.errorCode, request.url; the
// identity library's AggregateAuthenticationError: errors); the end-to-end test in
// cloud-lake.test.ts gets the real ones from the servers.
const endpoints: CloudEndpoints = {
  lake: { url: 'https://prodlake.dfs.core.windows.net', account: 'prodlake' },
  state: { url: 'https://prodstate.table.core.windows.net', account: 'prodstate' },
  queue: { url: 'https://prodstate.queue.core.windows.net', account: 'prodstate' },
};
const rest = (statusCode: number | undefined, code: string, url: string) => Object.assign(new Error('sdk text'), { name: 'RestError', statusCode, details: statusCode ? { errorCode: code } : undefined, code: statusCode ? undefined : code, request: { url } });
const text = (e: unknown, command = 'stats', writes = false) => describeCloudError(e, command, endpoints, writes)?.message;
const SIGNED_IN = ', given to the identity you signed in as (a new role assignment takes a few minutes to apply)';

describe('ROLES', () => {
  it('are the built-in data roles, by account and access', () => {
    expect(ROLES).toEqual({
      lake: { read: 'Storage Blob Data Reader', write: 'Storage Blob Data Contributor' },
      state: { read: 'Storage Table Data Reader', write: 'Storage Table Data Contributor' },
      queue: { read: 'Storage Queue Data Reader', write: 'Storage Queue Data Contributor' },
    });
  });
});

describe('describeCloudError', () => {
  it('names the role a refused request needs, on the account that refused it', () => {
    expect(text(rest(403, 'AuthorizationPermissionMismatch', 'https://prodlake.blob.core.windows.net/?comp=list'))).toBe(`the lake account prodlake refused the request (403 AuthorizationPermissionMismatch): 'orderlake stats' needs the Storage Blob Data Reader role on it${SIGNED_IN}`);
    expect(text(rest(403, 'AuthorizationPermissionMismatch', 'https://prodlake.dfs.core.windows.net/silver/x?resource=file'), 'replay', true)).toBe(`the lake account prodlake refused the request (403 AuthorizationPermissionMismatch): 'orderlake replay' needs the Storage Blob Data Contributor role on it${SIGNED_IN}`);
    expect(text(rest(403, 'AuthorizationPermissionMismatch', 'https://prodstate.table.core.windows.net/orderlakeleases'), 'gold', true)).toBe(`the state account prodstate refused the request (403 AuthorizationPermissionMismatch): 'orderlake gold' needs the Storage Table Data Contributor role on it${SIGNED_IN}`);
    // stats only reads the queues' lengths, whatever else a command writes.
    expect(text(rest(403, 'AuthorizationPermissionMismatch', 'https://prodstate.queue.core.windows.net/silver-batches?comp=metadata'))).toBe(`the state account prodstate refused the request (403 AuthorizationPermissionMismatch): 'orderlake stats' needs the Storage Queue Data Reader role on it${SIGNED_IN}`);
  });

  it('mentions network rules for AuthorizationFailure, the emulator key for shared keys, and every role when the account is unknown', () => {
    expect(text(rest(403, 'AuthorizationFailure', 'https://prodlake.dfs.core.windows.net/gold/x'), 'export')).toBe(`the lake account prodlake refused the request (403 AuthorizationFailure): 'orderlake export' needs the Storage Blob Data Reader role on it${SIGNED_IN}; if it has that role, the account's network rules may not admit this machine (with network isolation, only the deployment's virtual network)`);
    expect(text(rest(403, 'KeyBasedAuthenticationNotPermitted', 'https://prodstate.table.core.windows.net/t()'))).toBe('the state account prodstate refused the request (403 KeyBasedAuthenticationNotPermitted): the account does not take shared keys; unset ORDERLAKE_EMULATOR_KEY (it is for local emulators)');
    expect(text(rest(403, 'AuthorizationPermissionMismatch', 'https://elsewhere.blob.core.windows.net/'), 'gold', true)).toBe(`a storage account refused the request (403 AuthorizationPermissionMismatch): 'orderlake gold' needs Storage Blob Data Contributor on the lake account prodlake, Storage Table Data Contributor on the state account prodstate, Storage Queue Data Reader on the state account prodstate${SIGNED_IN}`);
  });

  it('says how to sign in when no credential worked, with each credential\'s reason', () => {
    const e = Object.assign(new Error('ChainedTokenCredential authentication failed.'), {
      name: 'AggregateAuthenticationError',
      errors: [new Error('EnvironmentCredential is unavailable. No underlying credential could be used. To troubleshoot, visit https://aka.ms/x.'), new Error("Azure CLI could not be found. Please visit https://aka.ms/azure-cli for installation instructions and then, once installed, authenticate to your Azure account using 'az login'.")],
    });
    expect(text(e)).toBe("cannot sign in to Azure (DefaultAzureCredential): EnvironmentCredential is unavailable; Azure CLI could not be found. Sign in with 'az login' (or 'azd auth login'), or run where a managed identity is assigned");
    expect(text(Object.assign(new Error('AzureCliCredential: Please run az login.\nmore'), { name: 'CredentialUnavailableError' }))).toBe("cannot sign in to Azure (DefaultAzureCredential): AzureCliCredential: Please run az login. Sign in with 'az login' (or 'azd auth login'), or run where a managed identity is assigned");
  });

  it('names the account that cannot be found or reached', () => {
    expect(text(rest(undefined, 'ENOTFOUND', 'https://prodlaek.blob.core.windows.net/?comp=list'))).toBe("cannot find prodlaek.blob.core.windows.net: no such host; is the account name right? ('azd env get-values' prints LAKE_DFS_URL and STATE_TABLE_URL), or is this machine offline?");
    expect(text(rest(undefined, 'ECONNREFUSED', 'https://prodstate.table.core.windows.net/t()'))).toBe('cannot reach the state account prodstate (prodstate.table.core.windows.net): nothing answers there (connection refused)');
    expect(text(rest(undefined, 'ETIMEDOUT', 'https://prodlake.dfs.core.windows.net/gold/x'))).toBe('cannot reach the lake account prodlake (prodlake.dfs.core.windows.net): ETIMEDOUT');
  });

  it('names a missing state table, and leaves every other error as it is', () => {
    expect(text(rest(404, 'TableNotFound', 'https://prodstate.table.core.windows.net/orderlakecommits()?$top=1'))).toBe("the state account https://prodstate.table.core.windows.net has no table orderlakecommits: is it the deployment's STATE_TABLE_URL? (the deployment creates orderlake's tables in its state account)");
    expect(describeCloudError(rest(404, 'BlobNotFound', 'https://prodlake.dfs.core.windows.net/gold/x'), 'export', endpoints, false)).toBeUndefined();
    expect(describeCloudError(new Error('gold table x does not exist yet'), 'export', endpoints, false)).toBeUndefined();
    expect(describeCloudError('a string', 'export', endpoints, false)).toBeUndefined();
  });
});
