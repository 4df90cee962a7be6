// The report's charts, drawn on the server as plain SVG (no script, no network). Every mark
// carries data-label and data-value so a browser test can read back exactly what was drawn.
//
// Charts keep their text at its real size on any screen: a plot is `width="100%"` with
// horizontal positions in percent and vertical ones in pixels (no viewBox, which would
// shrink the text with the chart). Lines sit in a nested SVG stretched to the plot
// (preserveAspectRatio="none", strokes that do not scale); the y axis is a fixed-width SVG
// beside the plot.
import { niceTicks, tickLabel, markLabel, exactLabel } from './ticks';

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export const PALETTE = ['#2563eb', '#16a34a', '#f59e0b', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];

export interface Point {
  label: string;
  value: number;
}

export interface Series {
  name: string;
  /** One per x label; null draws nothing there (a gap in the line). */
  values: Array<number | null>;
}

const AXIS_W = 44;
/** x labels an axis shows at most: six "2026-06" fit side by side in the narrowest plot (about 300 px). */
const MAX_X_LABELS = 6;
const fx = (n: number) => n.toFixed(2);

/** What a chart shows instead of empty axes: the chart's place, a note, no marks. */
export function noData(id: string, note: string): string {
  return `<div class="chart no-data" data-testid="${esc(id)}" data-empty="true"><p>No data yet: ${esc(note)}</p></div>`;
}

interface Scale {
  ticks: number[];
  y: (v: number) => number;
}

function scale(max: number, height: number, pad: { t: number; b: number }, target = 4): Scale {
  const ticks = niceTicks(max, target);
  const top = ticks[ticks.length - 1]!;
  return { ticks, y: (v: number) => pad.t + (height - pad.t - pad.b) * (1 - v / top) };
}

/** The chart: a y axis (tick labels, each stating its value exactly) beside the plot. */
function frame(id: string, kind: string, height: number, s: Scale, plot: string, opts: { suffix?: string; legend?: string[] } = {}): string {
  const labels = s.ticks.map((t) => `<text class="tick y-tick" data-value="${t}" x="${AXIS_W - 6}" y="${fx(s.y(t) + 4)}" text-anchor="end">${tickLabel(t, opts.suffix)}</text>`).join('');
  const grid = s.ticks.map((t) => `<line class="grid" x1="0" x2="100%" y1="${fx(s.y(t))}" y2="${fx(s.y(t))}"/>`).join('');
  const legend = opts.legend
    ? `<ul class="legend">${opts.legend.map((name, k) => `<li><span class="swatch" style="background:${PALETTE[k % PALETTE.length]}"></span>${esc(name)}</li>`).join('')}</ul>`
    : '';
  return `<div class="chart" data-testid="${esc(id)}" data-kind="${kind}"><div class="chart-body">`
    + `<svg class="y-axis" width="${AXIS_W}" height="${height}" aria-hidden="true">${labels}</svg>`
    + `<svg class="plot" width="100%" height="${height}" role="img">${grid}${plot}</svg></div>${legend}</div>`;
}

/** Which of n x labels to show: at most MAX_X_LABELS, evenly spaced, always the last (the newest). */
export function labelledIndexes(n: number, max = MAX_X_LABELS): number[] {
  const step = Math.max(1, Math.ceil(n / max));
  const out: number[] = [];
  for (let i = n - 1; i >= 0; i -= step) out.unshift(i);
  return out;
}

/** x labels at the centres of n equal bands (bars, months). */
function bandLabels(labels: string[], y: number): string {
  return labelledIndexes(labels.length).map((i) => `<text class="tick x-tick" x="${fx(((i + 0.5) / labels.length) * 100)}%" y="${y}" text-anchor="middle">${esc(labels[i]!)}</text>`).join('');
}

/** Vertical bars, one per point, with the value above each bar when there is room for it. */
export function barChart(id: string, points: Point[], opts: { color?: string; height?: number; empty?: string } = {}): string {
  if (!points.length) return noData(id, opts.empty ?? 'nothing to draw');
  const h = opts.height ?? 220;
  const pad = { t: 18, b: 24 };
  const s = scale(Math.max(0, ...points.map((p) => p.value)), h, pad);
  const n = points.length;
  const showValues = n <= 8;
  const bars = points.map((p, i) => {
    const top = s.y(Math.max(0, p.value));
    const mid = ((i + 0.5) / n) * 100;
    return `<rect class="bar" data-label="${esc(p.label)}" data-value="${p.value}" x="${fx(((i + 0.14) / n) * 100)}%" y="${fx(top)}" width="${fx((0.72 / n) * 100)}%" height="${fx(h - pad.b - top)}" fill="${opts.color ?? PALETTE[0]}"><title>${esc(p.label)}: ${exactLabel(p.value)}</title></rect>`
      + (showValues ? `<text class="val" x="${fx(mid)}%" y="${fx(top - 5)}" text-anchor="middle">${markLabel(p.value)}</text>` : '');
  });
  return frame(id, 'bar', h, s, bars.join('') + bandLabels(points.map((p) => p.label), h - 6));
}

/** Consecutive non-null runs of a series as polyline point lists, x in 0..1000 (the stretched box). */
function runs(values: Array<number | null>, x: (i: number) => number, y: (v: number) => number): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (cur.length) out.push(cur.join(' '));
      cur = [];
    } else cur.push(`${fx(x(i))},${fx(y(v))}`);
  });
  if (cur.length) out.push(cur.join(' '));
  return out;
}

function maxOf(series: Series[]): number {
  let m = 0;
  for (const s of series) for (const v of s.values) if (v !== null && v > m) m = v;
  return m;
}

/** Lines over shared x labels (months): points at band centres, as the bar charts have them. */
export function lineChart(id: string, xLabels: string[], series: Series[], opts: { height?: number; suffix?: string; empty?: string } = {}): string {
  if (!xLabels.length) return noData(id, opts.empty ?? 'nothing to draw');
  const h = opts.height ?? 220;
  const s = scale(maxOf(series), h, { t: 10, b: 24 });
  const n = xLabels.length;
  const band = (i: number) => ((i + 0.5) / n) * 100;
  const lines = series.map((ser, k) => {
    const color = PALETTE[k % PALETTE.length]!;
    const paths = runs(ser.values, (i) => band(i) * 10, s.y).map((pts) => `<polyline class="line" data-series="${esc(ser.name)}" points="${pts}" fill="none" stroke="${color}" stroke-width="2" vector-effect="non-scaling-stroke"/>`).join('');
    const marks = ser.values.map((v, i) => (v === null ? '' : `<circle class="point" data-series="${esc(ser.name)}" data-label="${esc(xLabels[i]!)}" data-value="${v}" cx="${fx(band(i))}%" cy="${fx(s.y(v))}" r="3" fill="${color}"><title>${esc(ser.name)}, ${esc(xLabels[i]!)}: ${exactLabel(v)}${opts.suffix ?? ''}</title></circle>`)).join('');
    return { paths, marks };
  });
  const stretched = `<svg class="lines" width="100%" height="${h}" viewBox="0 0 1000 ${h}" preserveAspectRatio="none">${lines.map((l) => l.paths).join('')}</svg>`;
  return frame(id, 'line', h, s, stretched + lines.map((l) => l.marks).join('') + bandLabels(xLabels, h - 6), { suffix: opts.suffix ?? '', legend: series.map((ser) => ser.name) });
}

/** "NORTH_AMERICA" as "North America". */
export function titleCase(code: string): string {
  return code.toLowerCase().split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
}

/**
 * One small area chart per series on one shared scale (daily revenue per region): five
 * regions stay readable where five lines on one plot tangle. Dates are labelled in full.
 */
export function smallMultiples(id: string, dates: string[], series: Series[], opts: { height?: number; empty?: string } = {}): string {
  if (!dates.length || !series.length) return noData(id, opts.empty ?? 'nothing to draw');
  const h = opts.height ?? 130;
  const pad = { t: 8, b: 22 };
  const s = scale(maxOf(series), h, pad, 3);
  const n = dates.length;
  const at = (i: number) => (n === 1 ? 50 : (i / (n - 1)) * 100);
  const first = n === 1
    ? `<text class="tick x-tick" x="50%" y="${h - 6}" text-anchor="middle">${esc(dates[0]!)}</text>`
    : `<text class="tick x-tick" x="0" y="${h - 6}" text-anchor="start">${esc(dates[0]!)}</text><text class="tick x-tick" x="100%" y="${h - 6}" text-anchor="end">${esc(dates[n - 1]!)}</text>`;
  const charts = series.map((ser, k) => {
    const color = PALETTE[k % PALETTE.length]!;
    const base = fx(s.y(0));
    const areas = runs(ser.values, (i) => at(i) * 10, s.y).map((pts) => {
      const xs = pts.split(' ');
      const x0 = xs[0]!.split(',')[0]!;
      const x1 = xs[xs.length - 1]!.split(',')[0]!;
      return `<polygon points="${x0},${base} ${pts} ${x1},${base}" fill="${color}" fill-opacity="0.18"/><polyline class="line" data-series="${esc(ser.name)}" points="${pts}" fill="none" stroke="${color}" stroke-width="1.5" vector-effect="non-scaling-stroke"/>`;
    }).join('');
    const stretched = `<svg class="lines" width="100%" height="${h}" viewBox="0 0 1000 ${h}" preserveAspectRatio="none">${areas}</svg>`;
    const marks = ser.values.map((v, i) => (v === null ? '' : `<circle class="point" data-series="${esc(ser.name)}" data-label="${esc(dates[i]!)}" data-value="${v}" cx="${fx(at(i))}%" cy="${fx(s.y(v))}" r="1.5" fill="${color}"><title>${esc(titleCase(ser.name))}, ${esc(dates[i]!)}: ${exactLabel(v)}</title></circle>`)).join('');
    return `<figure class="multiple" data-series="${esc(ser.name)}"><figcaption><span class="swatch" style="background:${color}"></span>${esc(titleCase(ser.name))}</figcaption>${frame(`${id}-${ser.name}`, 'area', h, s, stretched + marks + first)}</figure>`;
  });
  return `<div class="multiples" data-testid="${esc(id)}">${charts.join('')}</div>`;
}

/**
 * A label cut into lines of at most `max` characters at spaces (a longer word is cut
 * where it must). The lines joined give the label back exactly, spaces included.
 */
export function wrapLabel(label: string, max: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of label.split(/(?<= )/)) {
    if (cur && (cur + word).trimEnd().length > max) {
      lines.push(cur);
      cur = '';
    }
    cur += word;
    while (cur.trimEnd().length > max) {
      lines.push(cur.slice(0, max));
      cur = cur.slice(max);
    }
  }
  if (cur || !lines.length) lines.push(cur);
  return lines;
}

/**
 * Horizontal bars in the order given (top products, categories, segments). Each label is
 * written in full on its own line(s) above its bar, so no name or id is ever cut.
 */
export function hbarChart(id: string, points: Point[], opts: { color?: string; empty?: string; wrapAt?: number } = {}): string {
  if (!points.length) return noData(id, opts.empty ?? 'nothing to draw');
  const max = Math.max(1e-9, ...points.map((p) => p.value));
  const lineH = 15;
  let y = 0;
  const rows = points.map((p) => {
    const lines = wrapLabel(p.label, opts.wrapAt ?? 40);
    const text = `<text class="label" data-label="${esc(p.label)}">${lines.map((l, k) => `<tspan x="0" y="${y + 12 + k * lineH}">${esc(l)}</tspan>`).join('')}</text>`;
    const barY = y + lines.length * lineH + 2;
    // The longest bar takes 78% of the plot, leaving room for its value after it.
    const pct = (78 * Math.max(0, p.value)) / max;
    const bar = `<rect class="bar" data-label="${esc(p.label)}" data-value="${p.value}" x="0" y="${barY}" width="${fx(pct)}%" height="12" fill="${opts.color ?? PALETTE[1]}"><title>${esc(p.label)}: ${exactLabel(p.value)}</title></rect>`
      + `<text class="val" x="${fx(pct)}%" dx="6" y="${barY + 10}">${markLabel(p.value)}</text>`;
    y = barY + 12 + 8;
    return text + bar;
  });
  return `<div class="chart" data-testid="${esc(id)}" data-kind="hbar"><svg class="plot" width="100%" height="${y}" role="img">${rows.join('')}</svg></div>`;
}

/** One horizontal bar split into parts (where every received record went). */
export function stackedBar(id: string, parts: Point[], opts: { empty?: string } = {}): string {
  const total = parts.reduce((s, p) => s + Math.max(0, p.value), 0);
  if (!total) return noData(id, opts.empty ?? 'nothing to draw');
  let x = 0;
  const segs = parts.map((p, i) => {
    const w = (100 * Math.max(0, p.value)) / total;
    const seg = `<rect class="bar" data-label="${esc(p.label)}" data-value="${p.value}" x="${fx(x)}%" y="0" width="${fx(w)}%" height="28" fill="${PALETTE[i % PALETTE.length]}"><title>${esc(p.label)}: ${exactLabel(p.value)}</title></rect>`;
    x += w;
    return seg;
  });
  const legend = parts.map((p, i) => `<li><span class="swatch" style="background:${PALETTE[i % PALETTE.length]}"></span>${esc(p.label)} ${p.value.toLocaleString('en-US')} (${((100 * p.value) / total).toFixed(1)}%)</li>`).join('');
  return `<div class="chart" data-testid="${esc(id)}" data-kind="stacked"><svg class="plot" width="100%" height="28" role="img">${segs.join('')}</svg><ul class="legend">${legend}</ul></div>`;
}
