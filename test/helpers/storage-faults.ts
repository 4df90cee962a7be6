// Storage faults for end-to-end runs, injected where the SDK sends requests (a request
// watcher, src/azure/request-watch.ts): an outage fails every request of some services for a
// while; a targeted fault fails the requests that match until it is cleared. A failed request
// throws what the SDK throws once its retries are spent (status 503, ServerBusy), without
// reaching the service, so stage code sees exactly what an outage longer than the SDK's
// retries would show it.
import type { RequestWatcher, StorageService, WatchedRequest } from '../../src/azure/request-watch';

export class InjectedStorageError extends Error {
  readonly statusCode = 503;
  readonly code = 'ServerBusy';
  constructor(readonly fault: string, request: WatchedRequest) {
    super(`injected storage fault "${fault}": ${request.service} ${request.method} ${request.url.replace(/\?.*$/, '')} answered 503`);
    this.name = 'RestError';
  }
}

interface Rule {
  name: string;
  matches: (r: WatchedRequest) => boolean;
  until: number;
}

export class StorageFaults {
  private rules: Rule[] = [];
  /** Requests failed, per fault name. */
  readonly injected = new Map<string, number>();

  readonly watch: RequestWatcher = (r) => {
    const now = Date.now();
    this.rules = this.rules.filter((rule) => rule.until > now);
    const rule = this.rules.find((x) => x.matches(r));
    if (!rule) return;
    this.injected.set(rule.name, (this.injected.get(rule.name) ?? 0) + 1);
    throw new InjectedStorageError(rule.name, r);
  };

  /** Every request to `services` fails for `ms` milliseconds from now. */
  outage(ms: number, services: readonly StorageService[], name = 'outage'): void {
    this.rules.push({ name, matches: (r) => services.includes(r.service), until: Date.now() + ms });
  }

  /** Requests that `matches` fail until the returned function is called. */
  failUntilCleared(name: string, matches: (r: WatchedRequest) => boolean): () => void {
    const rule: Rule = { name, matches, until: Number.POSITIVE_INFINITY };
    this.rules.push(rule);
    return () => {
      rule.until = 0;
    };
  }
}
