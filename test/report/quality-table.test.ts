import { codeRows, qualityTable, ACTION_TEXT } from '../../src/report/quality-table';

const statsCodes = { duplicate_event: 4, invalid_email: 1, malformed_json: 2, test_order: 1, total_mismatch: 3 };
const dq = [
  { ingest_date: '2026-03-02', code: 'malformed_json', action: 'quarantine', records: 1 },
  { ingest_date: '2026-03-01', code: 'malformed_json', action: 'quarantine', records: 1 },
  { ingest_date: '2026-03-01', code: 'total_mismatch', action: 'warn', records: 3 },
  { ingest_date: '2026-03-02', code: 'invalid_email', action: 'warn', records: 1 },
  { ingest_date: '2026-03-01', code: 'test_order', action: 'drop', records: 1 },
  { ingest_date: '2026-03-02', code: 'duplicate_event', action: 'drop', records: 4 },
];

describe('codeRows', () => {
  it('lists every code stats counts, quarantine first, then drop, then warn, in the contract\'s order', () => {
    const rows = codeRows(statsCodes, dq);
    expect(rows.map((r) => [r.code, r.action, r.total])).toEqual([
      ['malformed_json', 'quarantine', 2],
      ['test_order', 'drop', 1],
      ['duplicate_event', 'drop', 4],
      ['total_mismatch', 'warn', 3],
      ['invalid_email', 'warn', 1],
    ]);
    expect([...rows[0]!.byDate]).toEqual([['2026-03-02', 1], ['2026-03-01', 1]]);
  });

  it('takes the rule\'s action from the rules, and an unknown code\'s from data_quality', () => {
    const rows = codeRows({ total_mismatch: 1 }, [{ ingest_date: '2026-03-01', code: 'new_rule', action: 'warn', records: 2 }]);
    expect(rows.map((r) => [r.code, r.action, r.total, [...r.byDate]])).toEqual([
      ['total_mismatch', 'warn', 1, []],
      ['new_rule', 'warn', 0, [['2026-03-01', 2]]],
    ]);
  });

  it('is empty when no record failed a rule', () => {
    expect(codeRows({}, [])).toEqual([]);
  });
});

describe('qualityTable', () => {
  const html = qualityTable('dq', codeRows(statsCodes, dq));
  const rowOf = (code: string) => new RegExp(`<tr class="action-[a-z]+" data-code="${code}"[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';

  it('says for each code whether it quarantines, drops or only warns, with its total', () => {
    expect([...html.matchAll(/<tr class="action-([a-z]+)" data-code="([a-z_]+)"/g)].map((m) => [m[2], m[1]])).toEqual([
      ['malformed_json', 'quarantine'], ['test_order', 'drop'], ['duplicate_event', 'drop'], ['total_mismatch', 'warn'], ['invalid_email', 'warn'],
    ]);
    expect(rowOf('total_mismatch')).toContain('<th>total_mismatch</th><td class="num total" data-value="3">3</td><td class="action"><span class="badge">warn only</span></td>');
    expect(rowOf('malformed_json')).toContain('<th>malformed_json</th><td class="num total" data-value="2">2</td><td class="action"><span class="badge">quarantine</span></td>');
    expect(ACTION_TEXT['warn']).toEqual({ name: 'warn only', meaning: 'kept in silver, flagged' });
  });

  it('explains each action it shows in a legend', () => {
    expect(html).toContain('<ul class="legend actions"><li class="action-quarantine"><span class="badge">quarantine</span> kept out of silver, in quarantine</li><li class="action-drop"><span class="badge">drop</span> discarded (test traffic, duplicates)</li><li class="action-warn"><span class="badge">warn only</span> kept in silver, flagged</li></ul>');
    expect(qualityTable('dq', codeRows({ invalid_email: 1 }, []))).toContain('<ul class="legend actions"><li class="action-warn">');
  });

  it('has a column per ingest date, dates in full, with the records of each code', () => {
    expect(html).toContain('<th>code</th><th class="num">total</th><th>action</th><th class="num">2026-03-01</th><th class="num">2026-03-02</th>');
    expect([...rowOf('invalid_email').matchAll(/data-date="([^"]+)" data-value="(\d+)"/g)].map((m) => [m[1], Number(m[2])])).toEqual([['2026-03-01', 0], ['2026-03-02', 1]]);
  });

  it('keeps the latest dates only', () => {
    const one = qualityTable('dq', codeRows(statsCodes, dq), 1);
    expect([...one.matchAll(/<th class="num">(\d{4}-\d{2}-\d{2})<\/th>/g)].map((m) => m[1])).toEqual(['2026-03-02']);
  });

  it('scrolls inside its section rather than widening the page', () => {
    expect(html.startsWith('<div class="scroll-x"><table class="dq" data-testid="dq">')).toBe(true);
  });

  it('is a note when no record failed a rule', () => {
    expect(qualityTable('dq', [])).toBe('<p class="muted" data-testid="dq" data-empty="true">No record has failed a rule.</p>');
  });
});
