// The report's page: one self-contained HTML document (inline CSS, no script, a CSP that
// forbids every request) laid out for any width: two columns on wide screens, one below
// 800 px, key figures that wrap (each as wide as its number, so a number is never split),
// tables that scroll inside their section.
import { esc } from './svg';

export interface Section {
  title: string;
  /** After the title, never split across lines (a date). */
  titleNote?: string;
  body: string;
  wide?: boolean;
  id?: string;
}

export interface PageInput {
  title: string;
  subtitle: string;
  /** HTML (escaped by the caller), shown above everything when set: why the page has no data, and what to run. */
  emptyNoteHtml?: string | undefined;
  sections: Section[];
  footer: string;
}

const CSS = `
*{box-sizing:border-box}
body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f8fafc;color:#0f172a}
header{background:#0f172a;color:#f8fafc;padding:16px 24px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;color:#cbd5e1;overflow-wrap:anywhere}
main{max-width:1200px;margin:0 auto;padding:16px 24px;display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:16px}
section{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:12px 16px;min-width:0}section.wide{grid-column:1/-1}
h2{font-size:15px;margin:0 0 8px}
.empty-lake{grid-column:1/-1;background:#fffbeb;border:1px solid #f59e0b;border-radius:8px;padding:12px 16px}.empty-lake h2{margin:0 0 4px}
.kpis{display:flex;flex-wrap:wrap;gap:12px}
.kpi{flex:1 1 auto;min-width:min(100%,9rem);background:#f1f5f9;border-radius:6px;padding:10px}.kpi-label{color:#475569;font-size:12px}
.kpi-value{font-size:22px;font-weight:600;overflow-wrap:anywhere}
.chart{min-width:0}.chart-body{display:flex;align-items:flex-start}
.chart svg{display:block;overflow:visible}.chart svg.plot{flex:1 1 auto;min-width:0}
.chart.no-data{display:flex;align-items:center;justify-content:center;min-height:96px;border:1px dashed #cbd5e1;border-radius:6px;background:#f8fafc;color:#475569;text-align:center;padding:8px}
.chart.no-data p{margin:0}
.grid{stroke:#e2e8f0}.tick{font-size:11px;fill:#475569}.val{font-size:10px;fill:#0f172a}.label{font-size:12px;fill:#0f172a}
.legend{list-style:none;margin:6px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;color:#334155}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,300px),1fr));gap:12px 20px}
.multiple{margin:0;min-width:0}.multiple figcaption{font-size:12px;font-weight:600;margin-bottom:2px}
.scroll-x{overflow-x:auto;max-width:100%}
table.dq{border-collapse:collapse;font-size:12px}table.dq th,table.dq td{padding:3px 8px;border:1px solid #f1f5f9;white-space:nowrap}
table.dq th{text-align:left;font-weight:500}table.dq .num{text-align:right}table.dq thead th{font-weight:600;color:#475569}
.badge{display:inline-block;padding:0 6px;border-radius:9px;font-size:11px;font-weight:600;white-space:nowrap}
.action-quarantine .badge{background:#fee2e2;color:#991b1b}.action-drop .badge{background:#e2e8f0;color:#334155}.action-warn .badge{background:#fef3c7;color:#92400e}
tr.action-quarantine td.heat{background:rgba(220,38,38,var(--heat))}
tr.action-drop td.heat{background:rgba(100,116,139,var(--heat))}
tr.action-warn td.heat{background:rgba(245,158,11,var(--heat))}
.title-note{font-weight:400;color:#475569;white-space:nowrap}
dl.fresh{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px;margin:0}dl.fresh dt{color:#475569}dl.fresh dd{margin:0;overflow-wrap:anywhere}
.muted{color:#64748b}
footer{max-width:1200px;margin:0 auto;padding:0 24px 24px;color:#64748b;font-size:12px}
@media (max-width:800px){
  header{padding:12px}main{grid-template-columns:minmax(0,1fr);padding:12px;gap:12px}
  section{padding:10px 12px}footer{padding:0 12px 12px}.kpi-value{font-size:19px}
}
`;

export function renderPage(p: PageInput): string {
  const sections = p.sections.map((s) => `<section${s.wide ? ' class="wide"' : ''}${s.id ? ` data-testid="${esc(s.id)}"` : ''}><h2>${esc(s.title)}${s.titleNote ? ` <span class="title-note">${esc(s.titleNote)}</span>` : ''}</h2>${s.body}</section>`).join('\n');
  const empty = p.emptyNoteHtml ? `<div class="empty-lake" data-testid="empty-lake" role="status"><h2>No data yet</h2><p>${p.emptyNoteHtml}</p></div>\n` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(p.title)} report</title>
<style>${CSS}</style></head><body>
<header><h1>${esc(p.title)}: orders report</h1><p>${esc(p.subtitle)}</p></header>
<main>
${empty}${sections}
</main>
<footer>${esc(p.footer)}</footer>
</body></html>
`;
}
