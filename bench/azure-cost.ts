// Figure 6: what the Azure path costs, and which service limit it hits first, at 1,000,
// 10,000 and 100,000 events/s, from request counts measured on the real SDKs
// (test/helpers/azure-path.ts) and published prices and limits, each with its source.
// Bronze + silver requests scale with the event rate; a gold run's requests come every
// GOLD_SCHEDULE period whatever the rate.
import { LEDGER_BUCKETS } from '../src/adapters/azure/table-state';

export interface Sourced { value: number; unit: string; source: string; note?: string }

// Limits: learn.microsoft.com pages read on 2026-12-01 through this project's search tools.
export const LIMITS = {
  storageAccountRequestsPerSecond: { value: 20_000, unit: 'requests/s per storage account', source: 'https://learn.microsoft.com/azure/storage/common/scalability-targets-standard-account', note: 'default; 40,000 in some regions' },
  tablePartitionEntitiesPerSecond: { value: 2_000, unit: 'entities/s per table partition', source: 'https://learn.microsoft.com/azure/storage/tables/scalability-targets' },
  queueMessagesPerSecond: { value: 2_000, unit: 'messages/s per queue', source: 'https://learn.microsoft.com/azure/storage/queues/scalability-targets' },
  throughputUnitIngressEvents: { value: 1_000, unit: 'events/s in per throughput unit (or 1 MB/s)', source: 'https://learn.microsoft.com/azure/event-hubs/event-hubs-scalability' },
  throughputUnitIngressBytes: { value: 1_000_000, unit: 'bytes/s in per throughput unit', source: 'https://learn.microsoft.com/azure/event-hubs/event-hubs-scalability' },
  throughputUnitEgressEvents: { value: 4_096, unit: 'events/s out per throughput unit (or 2 MB/s)', source: 'https://learn.microsoft.com/azure/event-hubs/event-hubs-scalability' },
  throughputUnitEgressBytes: { value: 2_000_000, unit: 'bytes/s out per throughput unit', source: 'https://learn.microsoft.com/azure/event-hubs/event-hubs-scalability' },
  standardMaxThroughputUnits: { value: 40, unit: 'throughput units per Standard namespace', source: 'https://learn.microsoft.com/azure/event-hubs/event-hubs-quotas' },
  standardMaxPartitions: { value: 32, unit: 'partitions per Standard event hub (a partition carries at most one throughput unit)', source: 'https://learn.microsoft.com/azure/event-hubs/event-hubs-quotas' },
  flexMaxInstances: { value: 1_000, unit: 'instances per Flex Consumption app', source: 'https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan' },
  flexCoresPer2GbInstance: { value: 1, unit: 'CPU core per 2,048 MB instance', source: 'https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan' },
  goldRunSeconds: { value: 540, unit: 's of work per gold run (functionTimeout 10 minutes, less 60 s of transfers)', source: 'host.json; README, "Sizing"' },
} satisfies Record<string, Sourced>;

// Prices: pay-as-you-go list prices in USD as this repository's figure 6 used them on
// 2026-11-21 (the pricing pages render in the browser and were not re-read from this
// machine); they vary by region and change: check the calculator before relying on them.
export const PRICES = {
  throughputUnitHour: { value: 0.03, unit: 'USD per throughput unit hour (Standard)', source: 'https://azure.microsoft.com/pricing/details/event-hubs/' },
  ingressPerMillionEvents: { value: 0.028, unit: 'USD per million ingress events (Standard)', source: 'https://azure.microsoft.com/pricing/details/event-hubs/' },
  adlsWritePer10k: { value: 0.065, unit: 'USD per 10,000 write operations (hot, put-blob/put-block/put-block-list/create/append/flush/rename/list)', source: 'https://azure.microsoft.com/pricing/details/storage/data-lake/', note: 'write class per learn.microsoft.com/answers/questions/1011055; list priced as a write (an upper bound)' },
  adlsReadPer10k: { value: 0.0052, unit: 'USD per 10,000 read operations (hot, read/properties; delete priced as a read)', source: 'https://azure.microsoft.com/pricing/details/storage/data-lake/' },
  tablePer10k: { value: 0.00036, unit: 'USD per 10,000 Table transactions', source: 'https://azure.microsoft.com/pricing/details/storage/tables/' },
  queuePer10k: { value: 0.00036, unit: 'USD per 10,000 Queue operations', source: 'https://azure.microsoft.com/pricing/details/storage/queues/', note: 'the earlier figure lumped Queue with Table; not verified' },
  flexGbSecond: { value: 0.000026, unit: 'USD per GB-second (Flex Consumption on demand)', source: 'https://azure.microsoft.com/pricing/details/functions/' },
  flexPerMillionExecutions: { value: 0.4, unit: 'USD per million executions (Flex Consumption on demand)', source: 'https://azure.microsoft.com/pricing/details/functions/' },
} satisfies Record<string, Sourced>;

/** What a measured run took in and what it asked for. */
export interface MeasuredRun {
  events: number;
  /** ingestBronze invocations (= bronze batches = queue messages). */
  batches: number;
  /** Requests of bronze + silver, per `service.operation` and `service.target.operation`. */
  storage: Record<string, number>;
  storageByTarget: Record<string, number>;
  eventHubs: { sendEvents: number; sendBytes: number; receiveEvents: number; receiveBytes: number; sendTransfers: number };
  /** Requests of one gold run after the whole run, per `service.operation`. */
  goldRun: Record<string, number>;
}

export interface Assumptions {
  /** Events/s one core takes through bronze + silver (figure 1). */
  perCoreEventsPerSecond: number;
  /** Gold runs per hour (GOLD_SCHEDULE every minute: 60). */
  goldRunsPerHour: number;
  /** Table partitions the ledger spreads over (LEDGER_BUCKETS: a hash of the event id into 32). */
  ledgerPartitions: number;
  /** The app's instance size (main.bicep instanceMemoryMB / 1,024; bronze and silver use one of its cores). */
  instanceGb: number;
  /** Gold's cost per order rewritten on the instance's cores (README, "Sizing"). */
  goldMicrosPerOrder: number;
  /** Orders a day holds per event/s of rate (docs/benchmarks.md, section 8). */
  ordersPerDayPerEventPerSecond: number;
  /** Orders of older dates a run may fold beside today's (GOLD_COLD_ORDERS_PER_RUN). */
  goldFoldBudgetOrders: number;
}

// Gold: 16.0 µs per order on two cores (the 4 GB default), the lower of the two measured with
// `node dist/bench/date-rewrite.js --events 1600000`; the largest run of a day rewrites that day's orders and a fold budget.
export const DEFAULT_ASSUMPTIONS: Assumptions = {
  perCoreEventsPerSecond: 30_000, goldRunsPerHour: 60, ledgerPartitions: LEDGER_BUCKETS, instanceGb: 4,
  goldMicrosPerOrder: 16.0, ordersPerDayPerEventPerSecond: 23_351, goldFoldBudgetOrders: 5_000_000,
};

const sum = (counts: Record<string, number>, pick: (key: string) => boolean) => Object.entries(counts).filter(([k]) => pick(k)).reduce((s, [, v]) => s + v, 0);
const ADLS_WRITES = new Set(['put-blob', 'put-block', 'put-block-list', 'create', 'append', 'flush', 'rename', 'list', 'create-filesystem', 'create-directory']);

/** Requests per 1,000 events, per `service.operation` (Event Hubs as eventhubs.send-events etc.). */
export function perThousandEvents(m: MeasuredRun): Record<string, number> {
  const k = 1000 / m.events;
  const out: Record<string, number> = {};
  for (const [op, n] of Object.entries(m.storage)) out[op] = n * k;
  out['eventhubs.send-batches'] = m.eventHubs.sendTransfers * k;
  out['eventhubs.ingress-events'] = m.eventHubs.sendEvents * k;
  out['eventhubs.egress-events'] = m.eventHubs.receiveEvents * k;
  return out;
}

export interface RateRow {
  rate: number;
  lakeRequestsPerSecond: number;
  stateRequestsPerSecond: number;
  hottestTablePartitionPerSecond: number;
  queueMessagesPerSecond: number;
  throughputUnits: number;
  partitions: number;
  /** Instances bronze and silver keep busy (gold's own instance comes on top). */
  instances: number;
  /** Seconds of the day's largest gold run (today's orders and a fold budget) at the measured cost per order. */
  goldLargestRunSeconds: number;
  /** Each limit's use: 1 = at the limit. */
  use: Record<string, number>;
  binding: string;
  usdPerHour: { eventHubs: number; lake: number; state: number; functions: number; total: number };
}

/** Load, limits and cost at `rate` events/s, scaling the measured per-event requests. */
export function atRate(rate: number, m: MeasuredRun, a: Assumptions = DEFAULT_ASSUMPTIONS): RateRow {
  const perEvent = (n: number) => (n / m.events) * rate;
  const goldPerSecond = (n: number) => (n * a.goldRunsPerHour) / 3600;
  const isAdls = (k: string) => k.startsWith('adls.');
  const isState = (k: string) => k.startsWith('table.') || k.startsWith('queue.');
  const lakeRequestsPerSecond = perEvent(sum(m.storage, isAdls)) + goldPerSecond(sum(m.goldRun, isAdls));
  const stateRequestsPerSecond = perEvent(sum(m.storage, isState)) + goldPerSecond(sum(m.goldRun, isState));
  const eventBytes = m.eventHubs.sendBytes / m.eventHubs.sendEvents;
  const egressFactor = m.eventHubs.receiveEvents / m.eventHubs.sendEvents;
  const throughputUnits = Math.max(1, Math.ceil(Math.max(
    rate / LIMITS.throughputUnitIngressEvents.value,
    (rate * eventBytes) / LIMITS.throughputUnitIngressBytes.value,
    (rate * egressFactor) / LIMITS.throughputUnitEgressEvents.value,
    (rate * egressFactor * eventBytes) / LIMITS.throughputUnitEgressBytes.value,
  )));
  const partitions = Math.max(4, throughputUnits); // a partition carries one throughput unit at most
  // A partition's target counts entities, not requests: an EGT of 100 inserts is 100. Every
  // event's id is claimed once (an upper bound: malformed events claim nothing).
  const ledgerEntitiesPerSecond = rate;
  const commitsPerSecond = perEvent(sum(m.storageByTarget, (k) => k.startsWith('table.orderlakecommits.')));
  const hottestTablePartitionPerSecond = Math.max(ledgerEntitiesPerSecond / a.ledgerPartitions, commitsPerSecond / partitions);
  const queueMessagesPerSecond = perEvent(m.storage['queue.send'] ?? 0);
  const instances = Math.max(1, Math.ceil(rate / (a.perCoreEventsPerSecond * LIMITS.flexCoresPer2GbInstance.value)));
  const goldLargestRunSeconds = (rate * a.ordersPerDayPerEventPerSecond + a.goldFoldBudgetOrders) * a.goldMicrosPerOrder / 1e6;
  const use: Record<string, number> = {
    'lake account requests/s': lakeRequestsPerSecond / LIMITS.storageAccountRequestsPerSecond.value,
    'state account requests/s': stateRequestsPerSecond / LIMITS.storageAccountRequestsPerSecond.value,
    'hottest Table partition': hottestTablePartitionPerSecond / LIMITS.tablePartitionEntitiesPerSecond.value,
    'silver queue messages/s': queueMessagesPerSecond / LIMITS.queueMessagesPerSecond.value,
    'Event Hubs Standard throughput units': throughputUnits / LIMITS.standardMaxThroughputUnits.value,
    'Event Hubs Standard partitions': throughputUnits / LIMITS.standardMaxPartitions.value, // one partition per throughput unit needed
    'Flex Consumption instances': instances / LIMITS.flexMaxInstances.value,
    // One date is gold's smallest unit of work: past this, a run outlives the timeout and gold stops advancing.
    "gold's largest run within the timeout": goldLargestRunSeconds / LIMITS.goldRunSeconds.value,
  };
  const binding = Object.entries(use).sort((x, y) => y[1] - x[1])[0]![0];
  const perHour = (perSecond: number) => perSecond * 3600;
  const opsPerHour = (counts: Record<string, number>, pick: (k: string) => boolean, gold: Record<string, number>) =>
    perHour(perEvent(sum(counts, pick))) + sum(gold, pick) * a.goldRunsPerHour;
  const adlsOp = (k: string) => k.slice('adls.'.length);
  const lake = (opsPerHour(m.storage, (k) => isAdls(k) && ADLS_WRITES.has(adlsOp(k)), m.goldRun) / 1e4) * PRICES.adlsWritePer10k.value
    + (opsPerHour(m.storage, (k) => isAdls(k) && !ADLS_WRITES.has(adlsOp(k)), m.goldRun) / 1e4) * PRICES.adlsReadPer10k.value;
  const state = (opsPerHour(m.storage, (k) => k.startsWith('table.'), m.goldRun) / 1e4) * PRICES.tablePer10k.value
    + (opsPerHour(m.storage, (k) => k.startsWith('queue.'), m.goldRun) / 1e4) * PRICES.queuePer10k.value;
  const eventHubs = throughputUnits * PRICES.throughputUnitHour.value + (perHour(rate) / 1e6) * PRICES.ingressPerMillionEvents.value;
  const executionsPerHour = perHour(perEvent(m.batches)) * 2 + a.goldRunsPerHour; // ingestBronze and refineSilver per batch, the timer
  // Gold's instance on top of bronze's and silver's, counted busy the whole hour: an upper bound
  // at low rates, what a 1-minute schedule gives from about 1,000 events/s (README, "Sizing").
  const functions = (instances + 1) * a.instanceGb * 3600 * PRICES.flexGbSecond.value + (executionsPerHour / 1e6) * PRICES.flexPerMillionExecutions.value;
  return {
    rate, lakeRequestsPerSecond, stateRequestsPerSecond, hottestTablePartitionPerSecond, queueMessagesPerSecond, throughputUnits, partitions, instances, goldLargestRunSeconds, use, binding,
    usdPerHour: { eventHubs, lake, state, functions, total: eventHubs + lake + state + functions },
  };
}

const fmt = (n: number, d = 0) => (d < 0 ? Number(n.toPrecision(2)) : n).toLocaleString('en-US', { maximumFractionDigits: Math.max(0, d), minimumFractionDigits: Math.max(0, d) });

/** The rate at which limit `name` is used up (found by bisection: gold adds a constant part, and instances and units step). */
export function reachedAt(name: string, m: MeasuredRun, a: Assumptions): number {
  let lo = 1;
  let hi = 1e9;
  if ((atRate(hi, m, a).use[name] ?? 0) < 1) return Number.POSITIVE_INFINITY;
  while (hi / lo > 1.001) {
    const mid = Math.sqrt(lo * hi);
    if (atRate(mid, m, a).use[name]! >= 1) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Figure 6 of docs/benchmarks.md, from one measured run. */
export function figure6Markdown(m: MeasuredRun, a: Assumptions, how: { command: string; description: string }): string[] {
  const per = perThousandEvents(m);
  const rows = [1_000, 10_000, 100_000].map((r) => atRate(r, m, a));
  const pct = (x: number) => `${fmt(x * 100, 0)}%`;
  const limitNames = Object.keys(rows[0]!.use);
  return [
    '## 6. Azure requests, cost and limits (measured counts)',
    '',
    how.description,
    '',
    `Requests per 1,000 events (bronze + silver; ${fmt(m.events)} events in ${fmt(m.batches)} batches, ${fmt(m.events / m.batches)} events per batch):`,
    '',
    '| service.operation | per 1,000 events |',
    '|---|---|',
    ...Object.entries(per).sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => `| ${k} | ${fmt(v, v < 1 ? 2 : 1)} |`),
    '',
    `One gold run after it: ${Object.entries(m.goldRun).sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}. At ${a.goldRunsPerHour} gold runs an hour this is counted per hour, not per event.`,
    '',
    `| events/s | lake req/s | state req/s | hottest Table partition/s | queue msg/s | throughput units | partitions | instances (${fmt(a.instanceGb)} GB) + gold's | gold's largest run, s | USD/hour: Event Hubs | lake | state | Functions | **total** | USD/month |`,
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${fmt(r.rate)} | ${fmt(r.lakeRequestsPerSecond)} | ${fmt(r.stateRequestsPerSecond)} | ${fmt(r.hottestTablePartitionPerSecond, 1)} | ${fmt(r.queueMessagesPerSecond, 1)} | ${r.throughputUnits} | ${r.partitions} | ${r.instances} + 1 | ${fmt(r.goldLargestRunSeconds)} | ${fmt(r.usdPerHour.eventHubs, 2)} | ${fmt(r.usdPerHour.lake, 2)} | ${fmt(r.usdPerHour.state, 2)} | ${fmt(r.usdPerHour.functions, 2)} | **${fmt(r.usdPerHour.total, 2)}** | ${fmt(r.usdPerHour.total * 730, 0)} |`),
    '',
    'Share of each limit used (100% = at the limit; the largest binds first):',
    '',
    `| events/s | ${limitNames.join(' | ')} | binds first |`,
    `|---|${limitNames.map(() => '---').join('|')}|---|`,
    ...rows.map((r) => `| ${fmt(r.rate)} | ${limitNames.map((n) => (r.use[n]! >= 1 ? `**${pct(r.use[n]!)}**` : pct(r.use[n]!))).join(' | ')} | ${r.binding}${r.use[r.binding]! >= 1 ? ' (exceeded)' : ''} |`),
    '',
    `Each limit is reached at about (events/s, the use growing with the rate): ${limitNames.map((n) => ({ n, at: reachedAt(n, m, a) })).sort((x, y) => x.at - y.at).map(({ n, at }) => `${n} ${fmt(at, -1)}`).join('; ')}.`,
    '',
    'Limits used, each with its source:',
    '',
    ...(Object.values(LIMITS) as Sourced[]).map((l) => `- ${fmt(l.value)} ${l.unit}: ${l.source}${l.note ? ` (${l.note})` : ''}`),
    '',
    'Prices used (pay-as-you-go list prices in USD as this repository recorded them on 2026-11-21; not re-read from this machine, they vary by region and change):',
    '',
    ...(Object.values(PRICES) as Sourced[]).map((p) => `- ${p.value} ${p.unit}: ${p.source}${p.note ? ` (${p.note})` : ''}`),
    '',
    `How the rows are made: every per-event count above is multiplied by the rate; gold's by ${a.goldRunsPerHour} runs an hour. Throughput units cover ingress and egress (events and bytes, ${fmt(m.eventHubs.sendBytes / m.eventHubs.sendEvents)} bytes per event measured); a partition carries at most one. The ledger's entities (one per event id, inserted by entity group transactions of up to 100) spread over ${fmt(a.ledgerPartitions)} partitions (a hash of the event id), commits over the Event Hubs partitions. Instances: the rate over ${fmt(a.perCoreEventsPerSecond)} events/s per core (figure 1), busy the whole hour; bronze and silver use one core of each ${fmt(a.instanceGb)} GB instance (the deployment's size, which gold's two cores need: README, "Sizing"). Gold's own instance comes on top, priced busy the whole hour (an upper bound below about 1,000 events/s). Gold's largest run: the day's orders (${fmt(a.ordersPerDayPerEventPerSecond)} per event/s) and a fold budget of ${fmt(a.goldFoldBudgetOrders)}, at ${a.goldMicrosPerOrder} µs per order (measured on two cores); one date is gold's smallest unit of work, so past ${fmt(LIMITS.goldRunSeconds.value)} s a run outlives the 10-minute timeout and gold stops advancing. Not counted: the Functions host's own storage (checkpoints, leases, in the runtime account), and retries (none in the measured run). Batches here are as full as a backlog makes them; a stream too slow to fill them (at 1,000 events/s, 250 per partition) makes more, smaller batches, and the per-batch requests (bronze file, queue message, commit) grow per event accordingly.`,
    '',
    `Command: \`${how.command}\``,
    '',
  ];
}
