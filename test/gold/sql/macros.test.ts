import { Duck } from '../../../src/gold/duck';

describe('_macros.sql', () => {
  let duck: Duck;
  beforeAll(async () => {
    duck = await Duck.open();
  });
  afterAll(() => duck.close());
  const one = async (sql: string) => (await duck.rows(`SELECT (${sql})::VARCHAR AS v`))[0]?.['v'];

  it('takes a USD double as the decimal it was written as, at any size up to 1e27, in exact cents', async () => {
    const cases: Array<[string, string]> = [
      ['48.57', '4857'], ['0.01', '1'], ['-2.5', '-250'], ['1.08e20', '10800000000000000000000'],
      ['3999999999999999', '399999999999999900'], ['123456789012345.67', '12345678901234567'],
      ['77700000000000000000', '7770000000000000000000'], ['1e26', '10000000000000000000000000000'],
    ];
    for (const [usd, cents] of cases) expect([usd, await one(`cents_of(${usd}::DOUBLE)`)]).toEqual([usd, cents]);
    expect(await one('cents_of(1e27::DOUBLE)')).toBeNull();
    expect(await one('big_cents_of(1e27::DOUBLE) > 0')).toBe('true');
  });

  it('gives a sum of big values as the decimal of its double, null past decimal(38,2)', async () => {
    expect(await one('money_of(1::DECIMAL(38,0), 1e29::DOUBLE)')).toBe('999999999999999900000000000.00'); // (1 + 1e29) / 100 as a double
    // (3e29 / 3) / 100 is 9.999999999999999e26 as a double: its decimal, not its binary expansion.
    expect(await one('money_ratio_of(0::DECIMAL(38,0), 3e29::DOUBLE, 3)')).toBe('999999999999999900000000000.00');
    expect(await one('money_of(0::DECIMAL(38,0), 1e38::DOUBLE)')).toBeNull();
    expect(await one('money_of(12345678901234567::DECIMAL(38,0), NULL)')).toBe('123456789012345.67');
  });
});
