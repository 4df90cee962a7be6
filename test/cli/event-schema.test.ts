import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { eventJsonSchema, eventJsonSchemaText, SCHEMA_FILE } from '../../src/cli/event-schema';

describe('eventJsonSchema', () => {
  it('is what the checked-in file holds (run npm run schema after changing src/silver/schema.ts)', async () => {
    const checkedIn = await fs.readFile(path.resolve(__dirname, '../..', SCHEMA_FILE), 'utf8');
    expect(checkedIn).toBe(eventJsonSchemaText());
  });

  it("requires the contract's required fields, allows extra ones, and describes every field", () => {
    const s = eventJsonSchema() as { required: string[]; additionalProperties?: unknown; properties: Record<string, { description?: string; required?: string[]; items?: { required: string[] } }> };
    expect(s.required).toEqual(['event_id', 'order_id', 'status', 'event_time', 'order_time', 'customer', 'region', 'currency', 'items', 'total_amount']);
    expect(s.properties['customer']!.required).toEqual(['id']);
    expect(s.properties['items']!.items!.required).toEqual(['product_id', 'product_name', 'category', 'quantity', 'unit_price']);
    expect(s.additionalProperties).toBeUndefined();
    expect(Object.entries(s.properties).filter(([, p]) => !p.description).map(([k]) => k)).toEqual([]);
    expect(s.properties['region']!.description).toBe('NORTH_AMERICA, SOUTH_AMERICA, EUROPE, ASIA_PACIFIC or MIDDLE_EAST_AFRICA; ASCII letters in any case, a space or a hyphen for an underscore (invalid_region).');
  });
});
