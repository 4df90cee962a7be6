import { silverEventJson, silverLineJson } from '../../src/silver/rows';
import { decide } from '../../src/silver/refine';
import { orderEvent, sourceEvent } from '../helpers/events';

describe('silverEventJson', () => {
  it('writes exactly what JSON.stringify writes, also for text that needs escaping', () => {
    for (const over of [{}, { city: 'Zürich "Nord"\n', customer: { id: 'C\\1', email: 'x' }, coupon: '\u2028' }, { country: null, channel: null, total_amount: 1 }]) {
      const d = decide(sourceEvent(orderEvent(over)), 'bronze/x.jsonl');
      if (d.kind !== 'silver') throw new Error(`expected silver for ${JSON.stringify(over)}`);
      expect(silverEventJson(d.row)).toBe(JSON.stringify(d.row));
    }
  });
});

describe('silverLineJson', () => {
  it('writes exactly what JSON.stringify writes', () => {
    const d = decide(sourceEvent(orderEvent({ items: [{ product_id: 'P"1', product_name: 'Tab\tName', category: 'Ünïcode', quantity: 3, unit_price: 0.1 }], total_amount: 9.3 })), 'b');
    if (d.kind !== 'silver') throw new Error('expected silver');
    expect(silverLineJson(d.lines[0]!)).toBe(JSON.stringify(d.lines[0]));
  });
});
