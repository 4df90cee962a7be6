import { jsonObjectSizeOption, lit } from '../../src/gold/duck';

describe('lit', () => {
  it('is the Delta module\'s literal: quotes doubled, a NUL spliced in as chr(0)', () => {
    expect([lit("it's"), lit('a\0b')]).toEqual(["'it''s'", "('a' || chr(0) || 'b')"]);
  });
});

describe('jsonObjectSizeOption', () => {
  it('raises read_json\'s limit only for lines over its 16 MB default (a customer id may be that long)', () => {
    expect([jsonObjectSizeOption(0), jsonObjectSizeOption(16 << 20)]).toEqual(['', '']);
    expect(jsonObjectSizeOption((16 << 20) + 1)).toBe(`, maximum_object_size = ${(16 << 20) + 2}`);
  });
});
