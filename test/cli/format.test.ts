import { count, rate, seconds } from '../../src/cli/format';

describe('count', () => {
  it('uses en-US thousands separators', () => {
    expect([count(0), count(999), count(1316), count(50_000), count(12_345_678)]).toEqual(['0', '999', '1,316', '50,000', '12,345,678']);
  });
});

describe('rate', () => {
  it('is a rounded count per second, and - before any time has passed', () => {
    expect([rate(12_000, 2.5), rate(5, 3), rate(10, 0)]).toEqual(['4,800/s', '2/s', '-']);
  });
});

describe('seconds', () => {
  it('has one decimal', () => {
    expect([seconds(2.345), seconds(0)]).toEqual(['2.3 s', '0.0 s']);
  });
});
