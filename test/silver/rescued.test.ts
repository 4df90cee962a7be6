import { inspect } from '../../src/silver/inspect';
import { isPersonalKey, rescuedFields } from '../../src/silver/rescued';
import { orderEvent } from '../helpers/events';

describe('rescuedFields', () => {
  it('keeps unknown fields at every level as one JSON object, null when none', () => {
    expect(rescuedFields(orderEvent())).toBeNull();
    const raw = orderEvent({ coupon: 'SPRING', customer: { id: 'C', tier: 'gold' }, items: [{ product_id: 'P', sku: 'S-1' }] });
    expect(rescuedFields(raw)).toBe('{"coupon":"SPRING","customer.tier":"gold","items[0].sku":"S-1"}');
    expect(rescuedFields(raw, JSON.stringify(raw))).toBe('{"coupon":"SPRING","customer.tier":"gold","items[0].sku":"S-1"}');
  });

  it('keeps each value as the body wrote it, in the body\'s order: numbers a double cannot hold, escapes, a repeated key\'s last value', () => {
    const body = `{"tracking": 9007199254740993, "tax":1.10, "big":1e400, "neg":-0, "z":1, "7":2, "note":"a\\"b\\u00e9", ${JSON.stringify(orderEvent()).slice(1, -1)}, "z":[1, {"k":"]"}]}`;
    const r = inspect(body, 0);
    expect(rescuedFields(r.raw!, body)).toBe('{"tracking":9007199254740993,"tax":1.10,"big":1e400,"neg":-0,"z":[1, {"k":"]"}],"7":2,"note":"a\\"b\\u00e9"}');
    // Through JSON.parse alone, the same fields would have lost digits and order.
    expect(rescuedFields(r.raw!)).toBe('{"7":2,"tracking":9007199254740992,"tax":1.1,"big":null,"neg":0,"z":[1,{"k":"]"}],"note":"a\\"bé"}');
  });

  it('leaves out personal data under any spelling and at any depth: silver holds no name or email', () => {
    const raw = orderEvent({
      email: 'a@b.c', Customer_Name: 'Jane', E_MAIL: 'a@b.c', buyer_email: 'a@b.c', nickname: 'J', coupon: 'X',
      customer: { id: 'C', Email: 'a@b.c', NAME: 'Jane', 'e-mail': 'a@b.c', full_name: 'Jane Doe', contact_email: 'a@b.c', 'Email ': 'a@b.c', E_mail: 'a@b.c', tier: 'gold' },
      shipping: { name: 'Jane', address: { city: 'Paris', recipientEmail: 'a@b.c' }, notes: [{ first_name: 'J', gift: true }] },
      items: [{ product_id: 'P', product_name: 'N', category: 'C', quantity: 1, unit_price: 1, buyer_name: 'Jane', sku: 'S' }],
    });
    const body = JSON.stringify(raw).replace('"coupon":"X"', '"coupon" : "X"');
    expect(rescuedFields(raw, body)).toBe('{"coupon":"X","shipping":{"address":{"city":"Paris"},"notes":[{"gift":true}]},"customer.tier":"gold","items[0].sku":"S"}');
    expect(rescuedFields(orderEvent({ customer: { id: 'C', Email: 'a@b.c' } }))).toBeNull();
  });

  it("finds personal data in a repeated key's earlier copy, which the parsed value has lost", () => {
    const body = JSON.stringify(orderEvent()).replace(/}$/, ',"shipping":{"a":{"email":"x@y.z"},"a":1,"b":2}}');
    expect(rescuedFields(JSON.parse(body) as Record<string, unknown>, body)).toBe('{"shipping":{"a":1,"b":2}}');
    // Keys and values with escaped quotes and backslashes: a string is a key only when a colon follows it.
    const tricky = JSON.stringify(orderEvent()).replace(/}$/, ',"x":{"v":"\\\\","w":"a\\"name\\":1","q\\"e-mail":2,"k":3}}');
    expect(rescuedFields(JSON.parse(tricky) as Record<string, unknown>, tricky)).toBe('{"x":{"v":"\\\\","w":"a\\"name\\":1","k":3}}');
    const clean = JSON.stringify(orderEvent()).replace(/}$/, ',"x":{"v":"\\\\","w":"a\\"name\\":1"}}');
    expect(rescuedFields(JSON.parse(clean) as Record<string, unknown>, clean)).toBe('{"x":{"v":"\\\\","w":"a\\"name\\":1"}}');
  });

  it('leaves personal keys out of a value too deep for JSON.stringify, and keeps array elements', () => {
    const deep = `${'['.repeat(20_000)}{"name":"J","k":["email"]}${']'.repeat(20_000)}`;
    const body = JSON.stringify(orderEvent()).replace(/}$/, `,"deep":${deep}}`);
    expect(rescuedFields(JSON.parse(body) as Record<string, unknown>, body)).toBe(`{"deep":${'['.repeat(20_000)}{"k":["email"]}${']'.repeat(20_000)}}`);
  });

  it('finds nested unknown fields in the body at any depth, in customer and in each line', () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const raw = orderEvent({ customer: { id: 'C', tier: 1.50 }, items: [{ product_id: 'P', product_name: 'N', category: 'C', quantity: 1, unit_price: 1 }, { product_id: 'Q', product_name: 'M', category: 'C', quantity: 1, unit_price: 2, sku: 'S-2' }] });
    const body = JSON.stringify(raw).replace('"tier":1.5', '"tier":1.50').replace('"sku":"S-2"', `"sku":"S-2","deep":${deep}`);
    expect(rescuedFields(JSON.parse(body) as Record<string, unknown>, body)).toBe(`{"customer.tier":1.50,"items[1].sku":"S-2","items[1].deep":${deep}}`);
  });
});

describe('isPersonalKey', () => {
  it('takes any key whose letters contain "email" or end in "name", in any case and spelling', () => {
    const keys = ['email', 'E_MAIL', 'e-mail', 'buyerEmail', 'Email ', 'name', 'full_name', 'Customer-Name', 'nickname', 'brand_name', 'tier', 'mailbox', 'names', 'coupon'];
    expect(keys.filter(isPersonalKey)).toEqual(['email', 'E_MAIL', 'e-mail', 'buyerEmail', 'Email ', 'name', 'full_name', 'Customer-Name', 'nickname', 'brand_name']);
  });
});
