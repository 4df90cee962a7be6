import { atRate, perThousandEvents, reachedAt, figure6Markdown, LIMITS, PRICES, type MeasuredRun, type Assumptions } from '../../bench/azure-cost';

// A hand-made run: 1,000 events in 2 batches, 100 silver files, a ledger request per event (the hottest partition counts entities: one per event whatever the requests).
const run: MeasuredRun = {
  events: 1000,
  batches: 2,
  storage: {
    'adls.create': 100, 'adls.append': 100, 'adls.flush': 100, 'adls.rename': 100, 'adls.read': 2, 'adls.get-properties': 2,
    'table.insert': 1000, 'table.query': 2, 'table.upsert': 2, 'queue.send': 2, 'queue.receive': 4, 'queue.delete': 2,
  },
  storageByTarget: { 'table.orderlakeledger.insert': 1000, 'table.orderlakecommits.query': 2, 'table.orderlakecommits.upsert': 2 },
  eventHubs: { sendEvents: 1000, sendBytes: 700_000, receiveEvents: 1000, receiveBytes: 700_000, sendTransfers: 2 },
  goldRun: { 'adls.read': 360, 'table.query': 36 },
};
const assume: Assumptions = { perCoreEventsPerSecond: 10_000, goldRunsPerHour: 10, ledgerPartitions: 4096, instanceGb: 2, goldMicrosPerOrder: 1, ordersPerDayPerEventPerSecond: 1000, goldFoldBudgetOrders: 200_000 };

describe('perThousandEvents', () => {
  it('gives every storage operation and the Event Hubs traffic per 1,000 events', () => {
    expect(perThousandEvents({ ...run, events: 2000 })).toEqual({
      'adls.create': 50, 'adls.append': 50, 'adls.flush': 50, 'adls.rename': 50, 'adls.read': 1, 'adls.get-properties': 1,
      'table.insert': 500, 'table.query': 1, 'table.upsert': 1, 'queue.send': 1, 'queue.receive': 2, 'queue.delete': 1,
      'eventhubs.send-batches': 1, 'eventhubs.ingress-events': 500, 'eventhubs.egress-events': 500,
    });
  });
});

describe('atRate', () => {
  const r = atRate(10_000, run, assume);

  it('scales per-event requests with the rate and adds gold runs per hour', () => {
    expect(r.lakeRequestsPerSecond).toBeCloseTo(4041, 6); // 0.404 per event + 360 reads x 10 an hour
    expect(r.stateRequestsPerSecond).toBeCloseTo(10_120.1, 6);
    expect(r.queueMessagesPerSecond).toBeCloseTo(20, 6);
    expect(r.hottestTablePartitionPerSecond).toBeCloseTo(4, 6); // commits: 40/s over 10 partitions beat the ledger's 10,000/s over 4,096
  });

  it('sizes Event Hubs by ingress events and gives each throughput unit a partition', () => {
    expect({ units: r.throughputUnits, partitions: r.partitions, instances: r.instances }).toEqual({ units: 10, partitions: 10, instances: 1 });
    expect(atRate(100, run, assume)).toMatchObject({ throughputUnits: 1, partitions: 4 });
  });

  it("times gold's largest run from the day's orders and the fold budget, against the timeout", () => {
    expect(r.goldLargestRunSeconds).toBeCloseTo(10.2, 9); // (10,000 x 1,000 + 200,000) orders x 1 µs
    expect(r.use["gold's largest run within the timeout"]).toBeCloseTo(10.2 / 540, 9);
    expect(atRate(10_000, run, { ...assume, goldMicrosPerOrder: 60 }).binding).toBe("gold's largest run within the timeout"); // 612 s
  });

  it('names the limit used most as the one that binds first', () => {
    expect(r.use['state account requests/s']).toBeCloseTo(0.506005, 6);
    expect(r.use['Event Hubs Standard partitions']).toBeCloseTo(10 / 32, 6);
    expect(r.binding).toBe('state account requests/s');
    expect(atRate(100_000, { ...run, storage: { ...run.storage, 'table.insert': 0 } }, assume).binding).toBe('Event Hubs Standard partitions'); // 100 needed, 32 allowed
  });

  it('prices Event Hubs, the lake, the state account and Functions per hour', () => {
    expect(r.usdPerHour.eventHubs).toBeCloseTo(10 * 0.03 + 36 * 0.028, 9);
    expect(r.usdPerHour.lake).toBeCloseTo(1440 * 0.065 + 14.76 * 0.0052, 9);
    expect(r.usdPerHour.state).toBeCloseTo(3614.436 * 0.00036 + 28.8 * 0.00036, 9);
    expect(r.usdPerHour.functions).toBeCloseTo((1 + 1) * 2 * 3600 * 0.000026 + 0.14401 * 0.4, 9); // bronze and silver's instance and gold's, 2 GB each
    expect(r.usdPerHour.total).toBeCloseTo(r.usdPerHour.eventHubs + r.usdPerHour.lake + r.usdPerHour.state + r.usdPerHour.functions, 9);
  });

  it('prices the blob endpoint\'s writes (put-blob, put-block, put-block-list) as writes', () => {
    // The 400 writes of `run` (create, append, flush, rename) made as the lake adapter makes them now.
    const { 'adls.create': _c, 'adls.append': _a, 'adls.flush': _f, 'adls.rename': _r, ...rest } = run.storage;
    const blobWrites: MeasuredRun = { ...run, storage: { ...rest, 'adls.put-blob': 300, 'adls.put-block': 80, 'adls.put-block-list': 20 } };
    expect(atRate(10_000, blobWrites, assume).usdPerHour.lake).toBeCloseTo(1440 * 0.065 + 14.76 * 0.0052, 9);
  });
});

describe('reachedAt', () => {
  it('finds the rate at which a limit is used up', () => {
    expect(reachedAt('state account requests/s', run, assume)).toBeCloseTo((20_000 - 0.1) / 1.012, -2);
    expect(reachedAt('Event Hubs Standard throughput units', run, assume)).toBeCloseTo(39_000, -2); // 40 units from just over 39,000 events/s
    expect(reachedAt("gold's largest run within the timeout", run, assume)).toBeCloseTo(539_800, -3); // (r x 1,000 + 200,000) µs = 540 s
  });
});

describe('figure6Markdown', () => {
  it('writes the counts, the rows at three rates, the binding limit and every source', () => {
    const md = figure6Markdown(run, assume, { command: 'cmd', description: 'desc' }).join('\n');
    expect(md).toContain('## 6. Azure requests, cost and limits (measured counts)');
    expect(md).toContain('| table.insert | 1,000.0 |');
    expect(md).toContain('| 10,000 | 4,041 | 10,120 | 4.0 | 20.0 | 10 | 10 | 1 + 1 | 10 | 1.31 | 93.68 | 1.31 | 0.43 | **96.73** |');
    expect(md).toContain('| 100,000 | **202%** | **506%** |');
    for (const x of [...Object.values(LIMITS), ...Object.values(PRICES)]) expect(md).toContain(x.source);
  });
});
