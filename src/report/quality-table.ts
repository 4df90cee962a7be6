// The report's table of records by rule code: every code `orderlake stats` counts (quarantine,
// drop and warn codes alike), what the rule does with a record, the total, and the last
// ingest dates from gold's data_quality table.
import { RECORD_RULES, ACTION_STRENGTH, type Action } from '../silver/rules';
import { DUPLICATE_CODE } from '../silver/refine';
import { esc } from './svg';

export interface DataQualityRow {
  ingest_date: string;
  code: string;
  action: string;
  records: number;
}

export interface CodeRow {
  code: string;
  action: string;
  /** All committed batches, as `orderlake stats` counts them. */
  total: number;
  /** Records per ingest date, from gold data_quality. */
  byDate: Map<string, number>;
}

const RULE_ACTION = new Map<string, string>([...RECORD_RULES.map((r) => [r.code, r.action] as const), [DUPLICATE_CODE, 'drop']]);
const RULE_ORDER = new Map<string, number>([...RECORD_RULES.map((r, i) => [r.code, i] as const), [DUPLICATE_CODE, RECORD_RULES.length]]);

/** What each action does with the record: the table's action column and its legend. */
export const ACTION_TEXT: Record<string, { name: string; meaning: string }> = {
  quarantine: { name: 'quarantine', meaning: 'kept out of silver, in quarantine' },
  drop: { name: 'drop', meaning: 'discarded (test traffic, duplicates)' },
  warn: { name: 'warn only', meaning: 'kept in silver, flagged' },
};

/**
 * One row per code that stats or data_quality knows, strongest action first (quarantine,
 * drop, warn), then in the contract's order of rules.
 */
export function codeRows(statsCodes: Readonly<Record<string, number>>, dq: readonly DataQualityRow[]): CodeRow[] {
  const rows = new Map<string, CodeRow>();
  const row = (code: string, action?: string) => {
    let r = rows.get(code);
    if (!r) rows.set(code, (r = { code, action: RULE_ACTION.get(code) ?? action ?? 'quarantine', total: statsCodes[code] ?? 0, byDate: new Map() }));
    return r;
  };
  for (const code of Object.keys(statsCodes)) row(code);
  for (const d of dq) {
    const r = row(d.code, d.action);
    r.byDate.set(d.ingest_date, (r.byDate.get(d.ingest_date) ?? 0) + d.records);
  }
  const strength = (a: string) => ACTION_STRENGTH[a as Action] ?? 0;
  const order = (c: string) => RULE_ORDER.get(c) ?? Number.MAX_SAFE_INTEGER;
  return [...rows.values()].sort((a, b) => strength(b.action) - strength(a.action) || order(a.code) - order(b.code) || a.code.localeCompare(b.code));
}

/**
 * The table, or a note when no record has failed a rule. Code and total come first, so
 * they show on a narrow screen without scrolling; the action says what the rule did.
 */
export function qualityTable(id: string, rows: readonly CodeRow[], maxDates = 14): string {
  if (!rows.length) return `<p class="muted" data-testid="${esc(id)}" data-empty="true">No record has failed a rule.</p>`;
  const dates = [...new Set(rows.flatMap((r) => [...r.byDate.keys()]))].sort().slice(-maxDates);
  const max = Math.max(1, ...rows.flatMap((r) => dates.map((d) => r.byDate.get(d) ?? 0)));
  const head = `<tr><th>code</th><th class="num">total</th><th>action</th>${dates.map((d) => `<th class="num">${esc(d)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => {
    const cells = dates.map((d) => {
      const v = r.byDate.get(d) ?? 0;
      return `<td class="num heat" data-code="${esc(r.code)}" data-date="${esc(d)}" data-value="${v}" style="--heat:${(0.08 + (0.6 * v) / max).toFixed(2)}">${v ? v.toLocaleString('en-US') : ''}</td>`;
    }).join('');
    return `<tr class="action-${esc(r.action)}" data-code="${esc(r.code)}" data-action="${esc(r.action)}"><th>${esc(r.code)}</th><td class="num total" data-value="${r.total}">${r.total.toLocaleString('en-US')}</td><td class="action"><span class="badge">${esc(ACTION_TEXT[r.action]?.name ?? r.action)}</span></td>${cells}</tr>`;
  }).join('');
  const actions = [...new Set(rows.map((r) => r.action))];
  const legend = `<ul class="legend actions">${actions.map((a) => `<li class="action-${esc(a)}"><span class="badge">${esc(ACTION_TEXT[a]?.name ?? a)}</span> ${esc(ACTION_TEXT[a]?.meaning ?? '')}</li>`).join('')}</ul>`;
  return `<div class="scroll-x"><table class="dq" data-testid="${esc(id)}"><thead>${head}</thead><tbody>${body}</tbody></table></div>${legend}`;
}
