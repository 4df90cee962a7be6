// Exact decimal money maths. The contract rounds half away from zero at named points;
// binary floats get ties wrong (1.005 is 1.00499.. as a double), so we work on the
// shortest decimal text of each number, which is what the producer wrote.

/** A decimal as integer digits and a power-of-ten scale: value = units / 10^scale. */
interface Scaled {
  units: bigint;
  scale: number;
}

function toScaled(value: number | string): Scaled {
  const text = typeof value === 'number' ? numberToPlain(value) : value.trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) {
    throw new RangeError(`expected a decimal number, got ${JSON.stringify(text)}`);
  }
  const frac = m[3] ?? '';
  const units = BigInt(`${m[1]}${m[2] || '0'}${frac}`);
  return { units, scale: frac.length };
}

/** Plain (non-exponent) decimal text of a finite number, using its shortest round-trip form. */
export function numberToPlain(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`expected a finite number, got ${n}`);
  const s = String(n);
  if (!/e/i.test(s)) return s;
  const [mant = '0', expText = '0'] = s.toLowerCase().split('e');
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const digits = mant.replace(/^[-+]/, '');
  const [int = '', frac = ''] = digits.split('.');
  const all = int + frac;
  const point = int.length + exp;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${all}`;
  else if (point >= all.length) out = all + '0'.repeat(point - all.length);
  else out = `${all.slice(0, point)}.${all.slice(point)}`;
  return (neg ? '-' : '') + out;
}

/** Divide by 10^shift, rounding half away from zero. */
function roundShift(units: bigint, shift: number): bigint {
  if (shift <= 0) return units * 10n ** BigInt(-shift);
  const div = 10n ** BigInt(shift);
  const neg = units < 0n;
  const abs = neg ? -units : units;
  let q = abs / div;
  if ((abs % div) * 2n >= div) q += 1n;
  return neg ? -q : q;
}

/**
 * Product of decimals, rounded half away from zero to whole cents.
 * Returns integer cents so that later sums stay exact.
 */
export function productToCents(...factors: Array<number | string>): number {
  const cents = productCents(factors);
  return typeof cents === 'bigint' ? Number(cents) : cents;
}

/**
 * Product of decimals rounded half away from zero to whole cents, as the double nearest that
 * amount: `productToCents(...) / 100` rounds twice once the cents pass 2^53, and overflows to
 * Infinity for amounts from about 1.8e306, which are finite doubles (contract section 6).
 */
export function productToAmount(...factors: Array<number | string>): number {
  const fast = productCents(factors);
  // Safe integer cents divide exactly rounded; larger ones (the fast path may have rounded
  // them already) are made exactly.
  if (typeof fast === 'number' && Number.isSafeInteger(fast)) return fast / 100;
  const cents = typeof fast === 'bigint' ? fast : bigCents(factors);
  const neg = cents < 0n;
  const abs = neg ? -cents : cents;
  return Number(`${neg ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`);
}

/** The exact product of decimals as plain decimal text (no exponent), for exact comparisons. */
export function exactProduct(...factors: Array<number | string>): string {
  let units = 1n;
  let scale = 0;
  for (const f of factors) {
    const s = toScaled(f);
    units *= s.units;
    scale += s.scale;
  }
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(scale + 1, '0');
  const cut = digits.length - scale;
  return (neg ? '-' : '') + (scale ? `${digits.slice(0, cut)}.${digits.slice(cut)}` : digits);
}

/** Cents of a product: a number on the fast path (safe integers), else exact. */
function productCents(factors: ReadonlyArray<number | string>): number | bigint {
  // Fast path: small integers of units avoid BigInt on the hot path.
  let units = 1;
  let scale = 0;
  let safe = true;
  for (const f of factors) {
    const s = typeof f === 'number' ? fastScaled(f) : undefined;
    if (!s) {
      safe = false;
      break;
    }
    units *= s.units;
    scale += s.scale;
    if (!Number.isSafeInteger(units)) {
      safe = false;
      break;
    }
  }
  if (safe) {
    if (scale <= 2) return units * 10 ** (2 - scale);
    const div = 10 ** (scale - 2);
    const abs = Math.abs(units);
    let q = Math.floor(abs / div);
    if ((abs - q * div) * 2 >= div) q += 1;
    return units < 0 ? -q : q === 0 ? 0 : q;
  }
  return bigCents(factors);
}

function bigCents(factors: ReadonlyArray<number | string>): bigint {
  let big: Scaled = { units: 1n, scale: 0 };
  for (const f of factors) {
    const s = toScaled(f);
    big = { units: big.units * s.units, scale: big.scale + s.scale };
  }
  return roundShift(big.units, big.scale - 2);
}

/**
 * A number as integer units and decimal places, found arithmetically (no string round
 * trip): the fewest places k with round(n x 10^k) / 10^k === n, which is the number of
 * decimals in its shortest text form.
 */
function fastScaled(n: number): { units: number; scale: number } | undefined {
  if (Number.isInteger(n)) return Number.isSafeInteger(n) ? { units: n, scale: 0 } : undefined;
  let p = 1;
  for (let k = 1; k <= 9; k++) {
    p *= 10;
    const u = Math.round(n * p);
    if (!Number.isSafeInteger(u)) return undefined;
    if (u / p === n) return { units: u, scale: k };
  }
  return undefined;
}

/** Exact sum of decimals as a decimal string-free comparison helper: |a - b| in units of 10^-scale. */
export function exactDifferenceExceeds(a: Array<number | string>, b: Array<number | string>, limit: string): boolean {
  const terms = [...a.map((x) => ({ x, sign: 1n })), ...b.map((x) => ({ x, sign: -1n }))];
  const scaled = terms.map((t) => ({ s: toScaled(t.x), sign: t.sign }));
  const lim = toScaled(limit);
  // A loop, not Math.max(...): an order may have more lines than a call has room for arguments.
  let scale = lim.scale;
  for (const t of scaled) if (t.s.scale > scale) scale = t.s.scale;
  let total = 0n;
  for (const t of scaled) total += t.sign * t.s.units * 10n ** BigInt(scale - t.s.scale);
  const abs = total < 0n ? -total : total;
  return abs > lim.units * 10n ** BigInt(scale - lim.scale);
}

/** Round a ratio of integers half away from zero to 2 decimals (exact: the quotient of two integers). */
export function ratioRound2(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  const hundredths = (numerator * 100) / denominator;
  return roundHalfAway(hundredths) / 100;
}

/** Round half away from zero to an integer. */
export function roundHalfAway(x: number): number {
  const r = Math.round(Math.abs(x));
  return x < 0 ? -r : r;
}

