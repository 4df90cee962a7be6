// JSON values from JSON.parse as text, safe at any depth and size. V8's JSON.parse is
// iterative (a 100,000-deep array parses), but JSON.stringify and every recursive walk
// overflow the stack a few thousand levels down: a hostile record must not stop a batch.

/** A value JSON.parse can return. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * JSON text of a parsed value, byte-identical to JSON.stringify(value) (same key order,
 * same escapes), at any depth: the native call first, an explicit stack when it overflows.
 * Object members whose key `omit` names are left out, at any depth.
 */
export function jsonText(value: unknown, omit?: (key: string) => boolean): string {
  try {
    const replacer = omit && function (this: unknown, key: string, v: unknown) {
      return !Array.isArray(this) && omit(key) ? undefined : v;
    };
    return JSON.stringify(value, replacer || undefined) ?? 'null';
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return iterativeJsonText(value as Json, omit);
  }
}

type Frame = { kind: 'array'; items: Json[]; next: number } | { kind: 'object'; obj: { [key: string]: Json }; keys: string[]; next: number };

function iterativeJsonText(root: Json, omit?: (key: string) => boolean): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  let value: Json | undefined = root;
  for (;;) {
    if (value !== undefined) {
      if (Array.isArray(value)) {
        out.push('[');
        stack.push({ kind: 'array', items: value, next: 0 });
      } else if (typeof value === 'object' && value !== null) {
        out.push('{');
        stack.push({ kind: 'object', obj: value, keys: omit ? Object.keys(value).filter((k) => !omit(k)) : Object.keys(value), next: 0 });
      } else {
        out.push(JSON.stringify(value) ?? 'null');
      }
      value = undefined;
    }
    const top = stack[stack.length - 1];
    if (!top) break;
    if (top.kind === 'array') {
      if (top.next < top.items.length) {
        if (top.next > 0) out.push(',');
        value = top.items[top.next++]!;
        continue;
      }
      out.push(']');
    } else {
      if (top.next < top.keys.length) {
        const key = top.keys[top.next++]!;
        out.push(`${top.next > 1 ? ',' : ''}${JSON.stringify(key)}:`);
        value = top.obj[key]!;
        continue;
      }
      out.push('}');
    }
    stack.pop();
  }
  return out.join('');
}

/**
 * A short preview of a value for an error message: JSON-like, at most `limit` characters
 * of it, built without ever serialising more than that (a megabyte string or a
 * 100,000-deep array costs as much as a short one).
 */
export function jsonPreview(value: unknown, limit: number): { text: string; cut: boolean } {
  const out: string[] = [];
  let length = 0;
  let cut = false;
  const emit = (s: string): boolean => {
    if (length + s.length > limit) {
      out.push(s.slice(0, limit - length));
      length = limit;
      cut = true;
      return false;
    }
    out.push(s);
    length += s.length;
    return true;
  };
  // Each step is a token to print or a value to open; a value's children are pushed lazily.
  type Step = { token: string } | { value: unknown } | { array: unknown[]; next: number } | { obj: Record<string, unknown>; keys: string[]; next: number };
  const stack: Step[] = [{ value }];
  while (stack.length) {
    const step = stack[stack.length - 1]!;
    if ('token' in step) {
      stack.pop();
      if (!emit(step.token)) break;
    } else if ('value' in step) {
      stack.pop();
      const v = step.value;
      if (Array.isArray(v)) {
        if (!emit('[')) break;
        stack.push({ token: ']' }, { array: v, next: 0 });
      } else if (typeof v === 'object' && v !== null) {
        if (!emit('{')) break;
        stack.push({ token: '}' }, { obj: v as Record<string, unknown>, keys: Object.keys(v), next: 0 });
      } else if (typeof v === 'string') {
        // Only the part that can be shown is escaped.
        const head = JSON.stringify(v.length > limit ? v.slice(0, limit) : v);
        if (!emit(v.length > limit ? head.slice(0, -1) : head)) break;
        if (v.length > limit) {
          cut = true;
          break;
        }
      } else if (!emit(typeof v === 'number' ? (Object.is(v, -0) ? '-0' : String(v)) : v === undefined ? 'undefined' : String(v))) break;
    } else if ('array' in step) {
      if (step.next >= step.array.length) {
        stack.pop();
        continue;
      }
      if (step.next > 0 && !emit(',')) break;
      stack.push({ value: step.array[step.next++] });
    } else {
      if (step.next >= step.keys.length) {
        stack.pop();
        continue;
      }
      const key = step.keys[step.next++]!;
      if (!emit(`${step.next > 1 ? ',' : ''}${JSON.stringify(key.length > limit ? key.slice(0, limit) : key)}:`)) break;
      stack.push({ value: step.obj[key] });
    }
  }
  return { text: out.join(''), cut };
}

/**
 * True when no string in a parsed value (key or value) holds an unpaired UTF-16 surrogate.
 * JSON.parse only makes one from a `\uD800`-style escape, so a body without `\u` is
 * well-formed without a walk (the common case costs one indexOf).
 */
export function isWellFormedJson(body: string, parsed: unknown): boolean {
  if (body.indexOf('\\u') < 0) return true;
  const stack: unknown[] = [parsed];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (!v.isWellFormed()) return false;
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push(v[i]);
    } else if (typeof v === 'object' && v !== null) {
      for (const key of Object.keys(v)) {
        if (!key.isWellFormed()) return false;
        stack.push((v as Record<string, unknown>)[key]);
      }
    }
  }
  return true;
}
