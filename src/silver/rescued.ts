// Silver's _rescued: the fields of an event the contract does not know, kept so nothing a
// producer sent is lost on the way to silver. Personal data is the exception: silver holds no
// name or email (contract), under any spelling or at any depth; bronze keeps them.
import { KNOWN_FIELDS, isPlainObject } from './schema';
import { jsonText } from '../util/json-text';
import { arrayElements, jsonKeys, objectMembers, type Span } from './raw-members';

/**
 * A key that names a person's name or email, however spelled: its letters and digits, lower
 * case, contain "email" or end in "name" (full_name, Customer-Name, E_MAIL, buyerEmail).
 * Broad on purpose: a brand_name is left out of silver too, rather than a person's name kept.
 */
export function isPersonalKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return k.includes('email') || k.endsWith('name');
}

/**
 * Fields the contract does not know, as a JSON object string keyed by path; null when none.
 * Kept whole at any size or depth (contract v1.1: size and depth are not defects), each value
 * as the body wrote it when the body is given (numbers a double cannot hold stay exact), in
 * the body's order.
 */
export function rescuedFields(raw: Record<string, unknown>, body?: string): string | null {
  if (!hasUnknownField(raw)) return null; // most events: the body is not scanned
  const paths: Array<{ path: string; value: unknown; text?: string }> = [];
  const top = body === undefined ? undefined : objectMembers(body, 0);
  const textOf = (span: Span | undefined) => (span && body !== undefined ? body.slice(span.start, span.end) : undefined);
  const keysOf = (o: Record<string, unknown>, members: Map<string, Span> | undefined) => (members ? [...members.keys()].filter((k) => Object.hasOwn(o, k)) : Object.keys(o));
  for (const key of keysOf(raw, top)) {
    if (!KNOWN_FIELDS.event.has(key) && !isPersonalKey(key)) paths.push({ path: key, value: raw[key], text: textOf(top?.get(key)) });
  }
  const customer = raw['customer'];
  if (isPlainObject(customer)) {
    const members = top && body !== undefined ? objectMembers(body, top.get('customer')!.start) : undefined;
    for (const key of keysOf(customer, members)) if (!KNOWN_FIELDS.customer.has(key) && !isPersonalKey(key)) paths.push({ path: `customer.${key}`, value: customer[key], text: textOf(members?.get(key)) });
  }
  const items = raw['items'];
  if (Array.isArray(items)) {
    const elements = top && body !== undefined ? arrayElements(body, top.get('items')!.start) : undefined;
    for (let i = 0; i < items.length; i++) {
      const line: unknown = items[i];
      if (!isPlainObject(line)) continue;
      const members = elements && body !== undefined ? objectMembers(body, elements[i]!.start) : undefined;
      for (const key of keysOf(line, members)) if (!KNOWN_FIELDS.item.has(key) && !isPersonalKey(key)) paths.push({ path: `items[${i}].${key}`, value: line[key], text: textOf(members?.get(key)) });
    }
  }
  // A value holding personal data deeper down is written without it, from its parsed form. The
  // body's text is searched, not only the parsed value: a repeated key's earlier copy is in the
  // text (which is what would be written) but not in the value.
  const textOfPath = (p: (typeof paths)[number]) => {
    const personal = p.text !== undefined ? hasPersonalKeyText(p.text) : hasPersonalKey(p.value);
    return personal ? jsonText(p.value, isPersonalKey) : p.text ?? jsonText(p.value);
  };
  return paths.length ? `{${paths.map((p) => `${JSON.stringify(p.path)}:${textOfPath(p)}`).join(',')}}` : null;
}

/** Whether JSON text has a personal key anywhere. */
function hasPersonalKeyText(text: string): boolean {
  for (const key of jsonKeys(text)) if (isPersonalKey(key)) return true;
  return false;
}

/** Whether an object at any depth of `value` has a personal key (an explicit stack: any depth). */
function hasPersonalKey(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (isPlainObject(v)) {
      for (const k of Object.keys(v)) {
        if (isPersonalKey(k)) return true;
        stack.push(v[k]);
      }
    }
  }
  return false;
}

function hasUnknownField(raw: Record<string, unknown>): boolean {
  const unknownIn = (o: Record<string, unknown>, known: ReadonlySet<string>) => Object.keys(o).some((k) => !known.has(k));
  if (unknownIn(raw, KNOWN_FIELDS.event)) return true;
  const customer = raw['customer'];
  if (isPlainObject(customer) && unknownIn(customer, KNOWN_FIELDS.customer)) return true;
  const items = raw['items'];
  return Array.isArray(items) && items.some((line: unknown) => isPlainObject(line) && unknownIn(line, KNOWN_FIELDS.item));
}
