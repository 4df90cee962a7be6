import fc from 'fast-check';
import { jsonText, jsonPreview, isWellFormedJson } from '../../src/util/json-text';

const deepArray = (n: number) => '['.repeat(n) + '1' + ']'.repeat(n);

describe('jsonText', () => {
  it('leaves out object members whose key `omit` names, at any depth and past the native call, never array elements', () => {
    const omit = (k: string) => k === 'x' || k === '0';
    expect(jsonText({ a: [{ x: 1, y: 2 }, 'x'], x: 3, '0': 4 }, omit)).toBe('{"a":[{"y":2},"x"]}');
    const deep = JSON.parse(`${'['.repeat(100_000)}{"x":1,"y":2}${']'.repeat(100_000)}`) as unknown;
    expect(jsonText(deep, omit)).toBe(`${'['.repeat(100_000)}{"y":2}${']'.repeat(100_000)}`);
  });

  it('equals JSON.stringify on any parsed JSON value', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
      const parsed = JSON.parse(JSON.stringify(v)) as unknown;
      expect(jsonText(parsed)).toBe(JSON.stringify(parsed));
    }), { numRuns: 2000, seed: 7 });
  });

  it('serialises values far deeper than JSON.stringify can, in the same text', () => {
    const text = `{"b":${deepArray(200_000)},"a":{"2":true,"1":null,"x":"\\u2028"}}`;
    const parsed = JSON.parse(text) as unknown;
    expect(() => JSON.stringify(parsed)).toThrow(RangeError);
    // Integer-like keys come first, as JSON.stringify orders them.
    expect(jsonText(parsed)).toBe(`{"b":${deepArray(200_000)},"a":{"1":null,"2":true,"x":"\u2028"}}`);
  });
});

describe('jsonPreview', () => {
  it('returns short values whole', () => {
    expect(jsonPreview({ a: [1, 'x', null, false] }, 120)).toEqual({ text: '{"a":[1,"x",null,false]}', cut: false });
    expect(jsonPreview(-0, 120)).toEqual({ text: '-0', cut: false });
  });

  it('cuts at the limit, for long strings, wide arrays and deep nesting alike', () => {
    expect(jsonPreview('x'.repeat(5_000_000), 10)).toEqual({ text: '"xxxxxxxxx', cut: true });
    expect(jsonPreview(Array.from({ length: 1000 }, (_, i) => i), 12)).toEqual({ text: '[0,1,2,3,4,5', cut: true });
    expect(jsonPreview(JSON.parse(deepArray(100_000)), 8)).toEqual({ text: '[[[[[[[[', cut: true });
  });
});

describe('isWellFormedJson', () => {
  it('finds an unpaired surrogate in keys and values at any depth, and accepts pairs', () => {
    const check = (body: string) => isWellFormedJson(body, JSON.parse(body));
    expect(check('{"a":"\\ud83d\\ude00"}')).toBe(true);
    expect(check('{"a":"plain"}')).toBe(true);
    expect(check('{"a":"\\\\ud800"}')).toBe(true); // an escaped backslash, then text: no surrogate
    expect(check('{"a":"\\ud800"}')).toBe(false);
    expect(check('{"\\udc00":1}')).toBe(false);
    expect(check(`{"a":${'['.repeat(50_000)}"\\udbff"${']'.repeat(50_000)}}`)).toBe(false);
  });
});
