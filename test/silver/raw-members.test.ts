import { arrayElements, objectMembers, skipValue, jsonKeys } from '../../src/silver/raw-members';

const texts = (text: string, spans: Iterable<{ start: number; end: number }>) => [...spans].map((s) => text.slice(s.start, s.end));

describe('skipValue', () => {
  it('ends each kind of value where JSON.parse would', () => {
    const text = '"a\\"]}" , -1.5e+3 ,true,null , {"x":["}",{"y":"\\\\"}]} , [[],[[]]]';
    const ends: string[] = [];
    for (let i = 0; i < text.length;) {
      while (' ,'.includes(text[i]!)) i++;
      const end = skipValue(text, i);
      ends.push(text.slice(i, end));
      i = end;
    }
    expect(ends).toEqual(['"a\\"]}"', '-1.5e+3', 'true', 'null', '{"x":["}",{"y":"\\\\"}]}', '[[],[[]]]']);
    for (const v of ends) expect(() => JSON.parse(v) as unknown).not.toThrow();
  });

  it('says where a text ends too early', () => {
    expect(() => skipValue('{"a":[1,2', 0)).toThrow('expected the end of a JSON object that starts at 0, got the end of the text');
  });
});

describe('objectMembers', () => {
  it("gives each member's value text, in the order written, a repeated key at its first place with its last value", () => {
    const text = ' { "a" : 1 ,"b":{"c":[1,2]}, "\\u0061":"again", "d" :[] } ';
    const m = objectMembers(text, 0);
    expect([...m.keys()]).toEqual(['a', 'b', 'd']);
    expect(texts(text, m.values())).toEqual(['"again"', '{"c":[1,2]}', '[]']);
    expect(objectMembers('{}', 0).size).toBe(0);
    expect(objectMembers('[1]', 0).size).toBe(0);
  });
});

describe('arrayElements', () => {
  it("gives each element's text", () => {
    const text = '[ 1 , {"a":"]"} ,[ ] ,"x"]';
    expect(texts(text, arrayElements(text, 0))).toEqual(['1', '{"a":"]"}', '[ ]', '"x"']);
    expect(arrayElements('[]', 0)).toEqual([]);
  });
});

describe('jsonKeys', () => {
  it('gives every key at any depth in order, never a string value, escapes decoded', () => {
    const text = '{"a":{"b\\"c" : ["k", {"d":1}], "v":"x\\":y"}, "e":"\\\\", "f" :2}';
    expect([...jsonKeys(text)]).toEqual(['a', 'b"c', 'd', 'v', 'e', 'f']);
  });
});
