import { app } from '@azure/functions';
import { BINDING_SETTINGS } from '../../src/azure/settings';

/** The options each function file passes to app.*, captured by loading the files. */
function registrations(): Record<string, Record<string, unknown>> {
  const seen: Record<string, Record<string, unknown>> = {};
  jest.isolateModules(() => {
    // The function files get this registry's @azure/functions: spy on that one.
    const { app: isolatedApp } = require('@azure/functions') as { app: typeof app };
    for (const kind of ['eventHub', 'storageQueue', 'timer', 'http'] as const) {
      jest.spyOn(isolatedApp, kind).mockImplementation(((name: string, options: Record<string, unknown>) => {
        seen[name] = { kind, ...options };
      }) as never);
    }
    for (const f of ['ingestBronze', 'refineSilver', 'buildGold', 'health']) require(`../../functions/${f}`);
  });
  return seen;
}

describe('function registrations', () => {
  const r = registrations();

  it('registers the four functions, one per file', () => {
    expect(Object.entries(r).map(([name, o]) => [name, o['kind']])).toEqual([
      ['ingestBronze', 'eventHub'], ['refineSilver', 'storageQueue'], ['buildGold', 'timer'], ['health', 'http'],
    ]);
  });

  it('reads Event Hubs batches as bytes, with connection, hub and consumer group from settings', () => {
    expect(r['ingestBronze']).toMatchObject({ connection: 'EventHubConnection', eventHubName: '%EVENTHUB_NAME%', consumerGroup: '%EVENTHUB_CONSUMER_GROUP%', cardinality: 'many', dataType: 'binary' });
    expect(r['ingestBronze']!['return']).toMatchObject({ type: 'queue', queueName: '%SILVER_QUEUE_NAME%', connection: 'StateStorage' });
    expect(r['ingestBronze']!['retry']).toMatchObject({ strategy: 'exponentialBackoff', maxRetryCount: -1 });
  });

  it('names settings, never values, in every binding', () => {
    expect(r['refineSilver']).toMatchObject({ queueName: '%SILVER_QUEUE_NAME%', connection: 'StateStorage' });
    expect(r['buildGold']).toMatchObject({ schedule: '%GOLD_SCHEDULE%' });
    expect(r['health']).toMatchObject({ methods: ['GET'], authLevel: 'function' });
    // Every %SETTING% and connection prefix used by a binding is in the settings list the infra is checked against.
    const used = new Set<string>();
    const walk = (v: unknown) => {
      if (typeof v === 'string') for (const m of v.matchAll(/%([A-Za-z0-9_]+)%/g)) used.add(m[1]!);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    Object.values(r).forEach(walk);
    for (const o of Object.values(r)) {
      for (const c of [o['connection'], (o['return'] as Record<string, unknown> | undefined)?.['connection']]) if (typeof c === 'string') used.add(c);
    }
    const listed = new Set(BINDING_SETTINGS.map((s) => s.split('__')[0]!));
    expect([...used].filter((s) => !listed.has(s))).toEqual([]);
  });
});
