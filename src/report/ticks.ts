// Numbers on the report's axes and marks. An axis label states its tick exactly (1,250 is
// "1.25k", never "1.3k"): ticks are multiples of a step of 1, 2, 2.5 or 5 times a power of
// ten, and labels keep every digit such a multiple has.

const STEPS = [1, 2, 2.5, 5, 10];
const UNITS: ReadonlyArray<readonly [number, string]> = [[1e9, 'B'], [1e6, 'M'], [1e3, 'k']];

/** Decimal places of a step m * 10^p (m in STEPS): 2.5e-3 has 4. */
function decimalsOf(step: number): number {
  let d = 0;
  while (d < 20 && Math.abs(step * 10 ** d - Math.round(step * 10 ** d)) > 1e-9 * step * 10 ** d) d++;
  return d;
}

/**
 * Ticks from 0 to the first multiple of a nice step at or above `max` (about `target`
 * intervals). A max of 0 or less gives [0, 1], so an all-zero chart still has a scale.
 */
export function niceTicks(max: number, target = 4): number[] {
  if (!Number.isFinite(max) || max <= 0) return [0, 1];
  const raw = max / target;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = (STEPS.find((m) => m * p >= raw * (1 - 1e-12)) ?? 10) * p;
  const d = decimalsOf(step);
  const out: number[] = [];
  for (let i = 0; ; i++) {
    // Rounded to the step's decimals: 3 * 0.1 is 0.30000000000000004 in floating point.
    const v = Number((i * step).toFixed(d));
    out.push(v);
    if (v >= max * (1 - 1e-12)) return out;
  }
}

/** The shortest text without float noise: 0.30000000000000004 is "0.3". */
function plain(x: number): string {
  return String(Number(x.toPrecision(12)));
}

/** An axis label that states the tick exactly: 0, 500, 1k, 1.25k, 2.5M, 0.25; `suffix` after it (%). */
export function tickLabel(v: number, suffix = ''): string {
  const a = Math.abs(v);
  for (const [unit, name] of UNITS) if (a >= unit) return `${plain(v / unit)}${name}${suffix}`;
  return `${plain(v)}${suffix}`;
}

/** The value an axis label states: the inverse of tickLabel ("1.25k" is 1250). */
export function labelValue(label: string): number {
  const m = /^(-?\d+(?:\.\d+)?)([kMB]?)%?$/.exec(label);
  if (!m) throw new Error(`expected an axis label such as 1.25k, 2.5M or 7.5%, got ${JSON.stringify(label)}`);
  const unit = UNITS.find(([, name]) => name === m[2])?.[0] ?? 1;
  return Number(m[1]) * unit;
}

/**
 * A value printed on a mark (above a bar, after a bar): as it is below 10,000 (2,345 and
 * 76.2), else 3 significant digits, trailing zeros kept so that a rounded value says so
 * (1,300,997 is 1.30M, not 1.3M); the mark's tooltip has the exact value.
 */
export function markLabel(v: number): string {
  if (Math.abs(v) < 10_000) return v.toLocaleString('en-US', { maximumFractionDigits: 2 });
  const r = Number(v.toPrecision(3));
  const a = Math.abs(r);
  for (const [unit, name] of UNITS) if (a >= unit) return `${(r / unit).toPrecision(3)}${name}`;
  return r.toPrecision(3);
}

/** Exact value for a tooltip: 1,312,457.25. */
export function exactLabel(v: number): string {
  return v.toLocaleString('en-US', { maximumFractionDigits: 2 });
}
