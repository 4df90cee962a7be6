import { renderPage } from '../../src/report/page';

const base = { title: 'shop <1>', subtitle: 'Generated now', sections: [{ title: 'A & B', body: '<p>x</p>', wide: true, id: 'a' }, { title: 'C', body: '' }], footer: 'foot' };

describe('renderPage', () => {
  it('is one document with a CSP that forbids every request, and no script', () => {
    const html = renderPage(base);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).not.toMatch(/<script|<link|<img|\bsrc=|\bhref=|url\(|@import/i);
  });

  it('escapes titles and lays sections out in order', () => {
    const html = renderPage(base);
    expect(html).toContain('<title>shop &lt;1&gt; report</title>');
    expect(html).toContain('<section class="wide" data-testid="a"><h2>A &amp; B</h2><p>x</p></section>\n<section><h2>C</h2></section>');
  });

  it('writes a title note after the title, in a span kept on one line', () => {
    const html = renderPage({ ...base, sections: [{ title: 'Customer segments (RFM)', titleNote: 'as of 2026-11-18', body: '' }] });
    expect(html).toContain('<section><h2>Customer segments (RFM) <span class="title-note">as of 2026-11-18</span></h2></section>');
    expect(html).toContain('.title-note{font-weight:400;color:#475569;white-space:nowrap}');
  });

  it('shows the empty-lake note only when there is one', () => {
    expect(renderPage(base)).not.toContain('data-testid="empty-lake"');
    expect(renderPage({ ...base, emptyNoteHtml: 'Run <code>orderlake run</code>.' }))
      .toContain('<div class="empty-lake" data-testid="empty-lake" role="status"><h2>No data yet</h2><p>Run <code>orderlake run</code>.</p></div>');
  });
});
