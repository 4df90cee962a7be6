import {
  esc, noData, labelledIndexes, barChart, lineChart, smallMultiples, wrapLabel, hbarChart, stackedBar, titleCase,
} from '../../src/report/svg';

/** [attribute values] of every element matching `tag.cls`, in document order. */
function attrs(svg: string, selector: RegExp, attr: string): string[] {
  return [...svg.matchAll(selector)].map((m) => new RegExp(`${attr}="([^"]*)"`).exec(m[0])?.[1] ?? '');
}
const texts = (svg: string, cls: string) => [...svg.matchAll(new RegExp(`<text class="[^"]*\\b${cls}\\b[^"]*"[^>]*>([^<]*)</text>`, 'g'))].map((m) => m[1]);

describe('esc', () => {
  it('escapes text from the data', () => {
    expect(esc(`<b title="x">'&`)).toBe('&lt;b title=&quot;x&quot;&gt;&#39;&amp;');
  });
});

describe('noData', () => {
  it('is a note in the chart\'s place, without axes', () => {
    expect(noData('monthly-revenue', 'monthly_revenue has no rows')).toBe('<div class="chart no-data" data-testid="monthly-revenue" data-empty="true"><p>No data yet: monthly_revenue has no rows</p></div>');
  });
});

describe('labelledIndexes', () => {
  it('keeps every label up to six, then every k-th ending on the newest', () => {
    expect(labelledIndexes(0)).toEqual([]);
    expect(labelledIndexes(1)).toEqual([0]);
    expect(labelledIndexes(6)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(labelledIndexes(7)).toEqual([0, 2, 4, 6]);
    expect(labelledIndexes(13)).toEqual([0, 3, 6, 9, 12]);
    expect(labelledIndexes(24)).toEqual([3, 7, 11, 15, 19, 23]);
  });
});

describe('barChart', () => {
  const months = [{ label: '2026-05', value: 518 }, { label: '2026-06', value: 1250 }, { label: '2026-07', value: 1100 }];

  it('draws one bar per point carrying its label and value', () => {
    const svg = barChart('orders', months);
    expect(attrs(svg, /<rect class="bar"[^>]*>/g, 'data-label')).toEqual(['2026-05', '2026-06', '2026-07']);
    expect(attrs(svg, /<rect class="bar"[^>]*>/g, 'data-value')).toEqual(['518', '1250', '1100']);
    expect(svg).toContain('<title>2026-06: 1,250</title>');
  });

  it('labels its y axis with exact ticks and its x axis with the whole month, year included', () => {
    const svg = barChart('orders', months);
    expect(texts(svg, 'y-tick')).toEqual(['0', '500', '1k', '1.5k']);
    expect(attrs(svg, /<text class="tick y-tick"[^>]*>/g, 'data-value')).toEqual(['0', '500', '1000', '1500']);
    expect(texts(svg, 'x-tick')).toEqual(['2026-05', '2026-06', '2026-07']);
    expect(texts(svg, 'val')).toEqual(['518', '1,250', '1,100']);
  });

  it('scales bar heights to the top tick', () => {
    const svg = barChart('orders', [{ label: 'a', value: 100 }, { label: 'b', value: 50 }], { height: 142 });
    // plot 18..118 (height 142 minus 24 below): top tick 100, so heights 100 and 50
    expect(attrs(svg, /<rect class="bar"[^>]*>/g, 'height')).toEqual(['100.00', '50.00']);
  });

  it('thins x labels and leaves out values when the bars are many', () => {
    const svg = barChart('m', Array.from({ length: 12 }, (_, i) => ({ label: `2026-${String(i + 1).padStart(2, '0')}`, value: i })));
    expect(texts(svg, 'x-tick')).toEqual(['2026-02', '2026-04', '2026-06', '2026-08', '2026-10', '2026-12']);
    expect(texts(svg, 'val')).toEqual([]);
  });

  it('shows the no-data note, with the reason, when there is no point', () => {
    expect(barChart('orders', [], { empty: 'monthly_revenue has no rows' })).toBe(noData('orders', 'monthly_revenue has no rows'));
  });
});

describe('lineChart', () => {
  it('leaves a gap where a value is null, and marks every other value', () => {
    const svg = lineChart('rates', ['2026-01', '2026-02', '2026-03', '2026-04'], [{ name: 'return rate', values: [1, null, 3, 4] }], { suffix: '%' });
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(attrs(svg, /<circle class="point"[^>]*>/g, 'data-label')).toEqual(['2026-01', '2026-03', '2026-04']);
    expect(attrs(svg, /<circle class="point"[^>]*>/g, 'cx')).toEqual(['12.50%', '62.50%', '87.50%']);
    expect(texts(svg, 'y-tick')).toEqual(['0%', '1%', '2%', '3%', '4%']);
    expect(texts(svg, 'x-tick')).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);
    expect(svg).toContain('<ul class="legend"><li><span class="swatch" style="background:#2563eb"></span>return rate</li></ul>');
  });

  it('shows the no-data note when there is no month', () => {
    expect(lineChart('rates', [], [], { empty: 'x' })).toBe(noData('rates', 'x'));
  });
});

describe('titleCase', () => {
  it('turns a region code into words', () => {
    expect(titleCase('MIDDLE_EAST_AFRICA')).toBe('Middle East Africa');
  });
});

describe('smallMultiples', () => {
  const dates = ['2026-01-10', '2026-01-11', '2026-01-12'];
  const svg = smallMultiples('daily', dates, [{ name: 'EUROPE', values: [10, 0, 40] }, { name: 'NORTH_AMERICA', values: [600, 5, 0] }]);

  it('draws one chart per series, each with its own points', () => {
    expect(attrs(svg, /<figure [^>]*>/g, 'data-series')).toEqual(['EUROPE', 'NORTH_AMERICA']);
    expect(attrs(svg, /<div class="chart" [^>]*>/g, 'data-testid')).toEqual(['daily-EUROPE', 'daily-NORTH_AMERICA']);
    expect(attrs(svg, /<circle class="point" data-series="EUROPE"[^>]*>/g, 'data-value')).toEqual(['10', '0', '40']);
    expect(attrs(svg, /<circle class="point" data-series="NORTH_AMERICA"[^>]*>/g, 'cx')).toEqual(['0.00%', '50.00%', '100.00%']);
    expect(svg).toContain('<figcaption><span class="swatch" style="background:#16a34a"></span>North America</figcaption>');
  });

  it('shares one scale and labels the first and last date in full', () => {
    expect(texts(svg, 'y-tick')).toEqual(['0', '200', '400', '600', '0', '200', '400', '600']);
    expect(texts(svg, 'x-tick')).toEqual(['2026-01-10', '2026-01-12', '2026-01-10', '2026-01-12']);
  });

  it('shows the no-data note when there is no date', () => {
    expect(smallMultiples('daily', [], [], { empty: 'x' })).toBe(noData('daily', 'x'));
  });
});

describe('wrapLabel', () => {
  it('keeps a short label on one line', () => {
    expect(wrapLabel('Frozen Concrete Salad (P-10104)', 40)).toEqual(['Frozen Concrete Salad (P-10104)']);
  });

  it('breaks at spaces, and the lines give the label back exactly', () => {
    const label = 'Handcrafted Wooden Sausages (P-10008)';
    expect(wrapLabel(label, 20)).toEqual(['Handcrafted Wooden ', 'Sausages (P-10008)']);
    expect(wrapLabel(label, 20).join('')).toBe(label);
  });

  it('cuts a word longer than a line', () => {
    expect(wrapLabel('Supercalifragilistic (P-1)', 8)).toEqual(['Supercal', 'ifragili', 'stic ', '(P-1)']);
  });
});

describe('hbarChart', () => {
  const points = [{ label: 'Laptop (P3)', value: 600 }, { label: 'Widget B (P1)', value: 60 }, { label: 'Handcrafted Wooden Sausages (P-10008)', value: 150 }];

  it('writes every label in full above its bar', () => {
    const svg = hbarChart('top', points, { wrapAt: 20 });
    expect(attrs(svg, /<text class="label"[^>]*>/g, 'data-label')).toEqual(points.map((p) => p.label));
    expect(svg).toContain('<text class="label" data-label="Handcrafted Wooden Sausages (P-10008)"><tspan x="0" y="86">Handcrafted Wooden </tspan><tspan x="0" y="101">Sausages (P-10008)</tspan></text>');
    expect(svg).not.toContain('…');
  });

  it('draws bars in proportion, the largest at 78% of the width, with the value after each', () => {
    const svg = hbarChart('top', points);
    expect(attrs(svg, /<rect class="bar"[^>]*>/g, 'width')).toEqual(['78.00%', '7.80%', '19.50%']);
    expect(texts(svg, 'val')).toEqual(['600', '60', '150']);
  });

  it('shows the no-data note when there is no point', () => {
    expect(hbarChart('top', [], { empty: 'product_sales has no rows' })).toBe(noData('top', 'product_sales has no rows'));
  });
});

describe('stackedBar', () => {
  it('splits the width by share, with counts and percentages in the legend', () => {
    const svg = stackedBar('flow', [{ label: 'silver', value: 21 }, { label: 'quarantine', value: 1 }, { label: 'dropped', value: 1 }, { label: 'duplicates', value: 1 }]);
    expect(attrs(svg, /<rect class="bar"[^>]*>/g, 'width')).toEqual(['87.50%', '4.17%', '4.17%', '4.17%']);
    expect(attrs(svg, /<rect class="bar"[^>]*>/g, 'x')).toEqual(['0.00%', '87.50%', '91.67%', '95.83%']);
    expect(svg).toContain('silver 21 (87.5%)</li>');
  });

  it('shows the no-data note when nothing was received', () => {
    expect(stackedBar('flow', [{ label: 'silver', value: 0 }], { empty: 'no record has been received' })).toBe(noData('flow', 'no record has been received'));
  });
});
