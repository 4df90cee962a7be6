// A pass-through HTTP proxy in front of a storage emulator that refuses the requests `deny`
// picks with 403 AuthorizationPermissionMismatch, as Azure does for an identity without the
// role a request needs (Azurite itself has no roles). Shared-key signatures do not cover the
// host, so clients sign for the emulator's account and go through the proxy unchanged.
import { createServer, request } from 'node:http';

export interface DenyProxy {
  /** The proxy's origin, http://127.0.0.1:<port>. */
  origin: string;
  deny: ((method: string, path: string) => boolean) | undefined;
  stop(): Promise<void>;
}

export async function startDenyProxy(target: string): Promise<DenyProxy> {
  const to = new URL(target);
  const api: DenyProxy = { origin: '', deny: undefined, stop: async () => undefined };
  const server = createServer((req, res) => {
    if (api.deny?.(req.method ?? '', req.url ?? '/')) {
      const body = JSON.stringify({ 'odata.error': { code: 'AuthorizationPermissionMismatch', message: { lang: 'en-US', value: 'This request is not authorized to perform this operation using this permission.' } } });
      res.writeHead(403, { 'content-type': 'application/json', 'x-ms-error-code': 'AuthorizationPermissionMismatch', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    const forward = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    forward.once('error', (e) => {
      res.writeHead(502);
      res.end(String(e));
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  api.origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  api.stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return api;
}
