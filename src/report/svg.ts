// Small SVG chart primitives for the report: drawn on the server as plain SVG (no script,
// no network), each mark carrying data-label and data-value so a browser test can read
// back exactly what was drawn.

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export const PALETTE = ['#2563eb', '#16a34a', '#f59e0b', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

export function compact(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e6) return `${(n / 1e6).toFixed(a >= 1e7 ? 0 : 1)}M`;
  if (a >= 1e3) return `${(n / 1e3).toFixed(a >= 1e4 ? 0 : 1)}k`;
  return n.toFixed(Number.isInteger(n) ? 0 : 2);
}

export interface Point {
  label: string;
  value: number;
}

/** Vertical bars with value labels. */
export function barChart(id: string, points: Point[], opts: { color?: string; unit?: string; width?: number; height?: number } = {}): string {
  const w = opts.width ?? 640;
  const h = opts.height ?? 220;
  const pad = { l: 48, r: 8, t: 18, b: 40 };
  const max = niceMax(Math.max(0, ...points.map((p) => p.value)));
  const bw = points.length ? (w - pad.l - pad.r) / points.length : 0;
  const y = (v: number) => pad.t + (h - pad.t - pad.b) * (1 - v / max);
  const bars = points.map((p, i) => {
    const x = pad.l + i * bw + bw * 0.12;
    const top = y(Math.max(0, p.value));
    return `<g><rect class="bar" data-label="${esc(p.label)}" data-value="${p.value}" x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${(bw * 0.76).toFixed(1)}" height="${(h - pad.b - top).toFixed(1)}" fill="${opts.color ?? PALETTE[0]}"><title>${esc(p.label)}: ${esc(p.value.toLocaleString('en-US'))}${opts.unit ?? ''}</title></rect>`
      + `<text x="${(x + bw * 0.38).toFixed(1)}" y="${(top - 4).toFixed(1)}" text-anchor="middle" class="val">${compact(p.value)}</text>`
      + `<text x="${(x + bw * 0.38).toFixed(1)}" y="${h - pad.b + 14}" text-anchor="middle" class="tick">${esc(p.label)}</text></g>`;
  });
  const grid = [0, 0.5, 1].map((f) => `<line x1="${pad.l}" x2="${w - pad.r}" y1="${y(max * f).toFixed(1)}" y2="${y(max * f).toFixed(1)}" class="grid"/><text x="${pad.l - 6}" y="${(y(max * f) + 4).toFixed(1)}" text-anchor="end" class="tick">${compact(max * f)}</text>`);
  return `<svg class="chart" data-testid="${id}" viewBox="0 0 ${w} ${h}" width="100%" role="img">${grid.join('')}${bars.join('')}</svg>`;
}

/** Horizontal bars, largest first: for top products and categories. */
export function hbarChart(id: string, points: Point[], opts: { color?: string; width?: number } = {}): string {
  const w = opts.width ?? 640;
  const row = 22;
  const labelW = 220;
  const h = points.length * row + 8;
  const max = Math.max(1e-9, ...points.map((p) => p.value));
  const bars = points.map((p, i) => {
    const bw = ((w - labelW - 70) * Math.max(0, p.value)) / max;
    return `<g><text x="${labelW - 6}" y="${i * row + 15}" text-anchor="end" class="tick">${esc(p.label.length > 34 ? `${p.label.slice(0, 33)}…` : p.label)}</text>`
      + `<rect class="bar" data-label="${esc(p.label)}" data-value="${p.value}" x="${labelW}" y="${i * row + 3}" width="${bw.toFixed(1)}" height="${row - 6}" fill="${opts.color ?? PALETTE[1]}"/>`
      + `<text x="${(labelW + bw + 4).toFixed(1)}" y="${i * row + 15}" class="val">${compact(p.value)}</text></g>`;
  });
  return `<svg class="chart" data-testid="${id}" viewBox="0 0 ${w} ${h}" width="100%" role="img">${bars.join('')}</svg>`;
}

/** Several lines over shared x labels (e.g. daily revenue per region). */
export function lineChart(id: string, xLabels: string[], series: Array<{ name: string; values: number[] }>, opts: { width?: number; height?: number } = {}): string {
  const w = opts.width ?? 640;
  const h = opts.height ?? 240;
  const pad = { l: 48, r: 8, t: 12, b: 48 };
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const n = Math.max(1, xLabels.length - 1);
  const x = (i: number) => pad.l + ((w - pad.l - pad.r) * i) / n;
  const y = (v: number) => pad.t + (h - pad.t - pad.b) * (1 - v / max);
  const lines = series.map((s, k) => {
    const color = PALETTE[k % PALETTE.length]!;
    const pts = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    const marks = s.values.map((v, i) => `<circle class="point" data-series="${esc(s.name)}" data-label="${esc(xLabels[i] ?? '')}" data-value="${v}" cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="1.6" fill="${color}"/>`).join('');
    return `<g><polyline class="line" data-series="${esc(s.name)}" points="${pts}" fill="none" stroke="${color}" stroke-width="1.6"/>${marks}</g>`;
  });
  const step = Math.max(1, Math.ceil(xLabels.length / 8));
  const ticks = xLabels.map((l, i) => (i % step === 0 ? `<text x="${x(i).toFixed(1)}" y="${h - pad.b + 14}" text-anchor="middle" class="tick">${esc(l.slice(5))}</text>` : '')).join('');
  const grid = [0, 0.5, 1].map((f) => `<line x1="${pad.l}" x2="${w - pad.r}" y1="${y(max * f).toFixed(1)}" y2="${y(max * f).toFixed(1)}" class="grid"/><text x="${pad.l - 6}" y="${(y(max * f) + 4).toFixed(1)}" text-anchor="end" class="tick">${compact(max * f)}</text>`);
  const legend = series.map((s, k) => `<tspan fill="${PALETTE[k % PALETTE.length]}">■</tspan> ${esc(s.name)}  `).join('');
  return `<svg class="chart" data-testid="${id}" viewBox="0 0 ${w} ${h}" width="100%" role="img">${grid.join('')}${lines.join('')}${ticks}<text x="${pad.l}" y="${h - 10}" class="tick">${legend}</text></svg>`;
}

/** One horizontal bar split into parts (the data-quality flow). */
export function stackedBar(id: string, parts: Point[], opts: { width?: number } = {}): string {
  const w = opts.width ?? 640;
  const total = parts.reduce((s, p) => s + Math.max(0, p.value), 0) || 1;
  let x = 0;
  const segs = parts.map((p, i) => {
    const pw = ((w - 2) * Math.max(0, p.value)) / total;
    const seg = `<rect class="bar" data-label="${esc(p.label)}" data-value="${p.value}" x="${(1 + x).toFixed(1)}" y="4" width="${pw.toFixed(1)}" height="30" fill="${PALETTE[i % PALETTE.length]}"><title>${esc(p.label)}: ${p.value.toLocaleString('en-US')}</title></rect>`;
    x += pw;
    return seg;
  });
  const legend = parts.map((p, i) => `<tspan fill="${PALETTE[i % PALETTE.length]}">■</tspan> ${esc(p.label)} ${p.value.toLocaleString('en-US')} (${((100 * p.value) / total).toFixed(1)}%)   `).join('');
  return `<svg class="chart" data-testid="${id}" viewBox="0 0 ${w} 60" width="100%" role="img">${segs.join('')}<text x="2" y="52" class="tick">${legend}</text></svg>`;
}
