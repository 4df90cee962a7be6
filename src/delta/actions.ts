// Commit files: newline-delimited JSON, one action per line (PROTOCOL.md §Delta Log Entries).
// Parsing checks each action's required fields (P §Actions), so a malformed log fails where it
// is malformed, not later as a wrong snapshot.
import { createHash } from 'node:crypto';
import { DeltaLogError } from './errors';
import type { Action, AddAction, MetadataAction, ProtocolAction, RemoveAction, TxnAction } from './types';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Check {
  constructor(
    private readonly o: Obj,
    private readonly where: string,
  ) {}

  private fail(field: string, expected: string): never {
    throw new DeltaLogError(`${this.where}: expected ${field} to be ${expected}, got ${JSON.stringify(this.o[field])}`);
  }

  str(field: string): string {
    const v = this.o[field];
    return typeof v === 'string' ? v : this.fail(field, 'a string');
  }

  num(field: string): number {
    const v = this.o[field];
    return typeof v === 'number' && Number.isFinite(v) ? v : this.fail(field, 'a number');
  }

  bool(field: string): boolean {
    const v = this.o[field];
    return typeof v === 'boolean' ? v : this.fail(field, 'a boolean');
  }

  optNum(field: string): number | undefined {
    const v = this.o[field];
    return v === undefined || v === null ? undefined : this.num(field);
  }

  optStr(field: string): string | undefined {
    const v = this.o[field];
    return v === undefined || v === null ? undefined : this.str(field);
  }

  optBool(field: string): boolean | undefined {
    const v = this.o[field];
    return v === undefined || v === null ? undefined : this.bool(field);
  }

  /** A map<string,string> whose values may be null. */
  map(field: string): Record<string, string | null> {
    const v = this.o[field];
    if (!isObj(v) || Object.values(v).some((x) => x !== null && typeof x !== 'string')) return this.fail(field, 'a map of strings');
    return v as Record<string, string | null>;
  }

  optMap(field: string): Record<string, string | null> | undefined {
    const v = this.o[field];
    return v === undefined || v === null ? undefined : this.map(field);
  }

  strings(field: string): string[] {
    const v = this.o[field];
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : this.fail(field, 'an array of strings');
  }
}

function parseProtocol(o: Obj, where: string): ProtocolAction {
  const c = new Check(o, where);
  const p: ProtocolAction = { minReaderVersion: c.num('minReaderVersion'), minWriterVersion: c.num('minWriterVersion') };
  if (o['readerFeatures'] != null) p.readerFeatures = c.strings('readerFeatures');
  if (o['writerFeatures'] != null) p.writerFeatures = c.strings('writerFeatures');
  return p;
}

function parseMetadata(o: Obj, where: string): MetadataAction {
  const c = new Check(o, where);
  const format = o['format'];
  if (!isObj(format)) throw new DeltaLogError(`${where}: expected format to be {"provider":..,"options":{}}, got ${JSON.stringify(format)}`);
  const fc = new Check(format, `${where} format`);
  const md: MetadataAction = {
    id: c.str('id'),
    format: { provider: fc.str('provider'), options: (fc.optMap('options') ?? {}) as Record<string, string> },
    schemaString: c.str('schemaString'),
    partitionColumns: c.strings('partitionColumns'),
    configuration: (c.optMap('configuration') ?? {}) as Record<string, string>,
  };
  const name = c.optStr('name');
  if (name !== undefined) md.name = name;
  const description = c.optStr('description');
  if (description !== undefined) md.description = description;
  const createdTime = c.optNum('createdTime');
  if (createdTime !== undefined) md.createdTime = createdTime;
  return md;
}

function parseAdd(o: Obj, where: string): AddAction {
  const c = new Check(o, where);
  const add: AddAction = {
    path: c.str('path'),
    partitionValues: c.map('partitionValues'),
    size: c.num('size'),
    modificationTime: c.num('modificationTime'),
    dataChange: c.bool('dataChange'),
  };
  const stats = c.optStr('stats');
  if (stats !== undefined) add.stats = stats;
  const tags = c.optMap('tags');
  if (tags !== undefined) add.tags = tags;
  if (o['deletionVector'] != null) throw new DeltaLogError(`${where}: add ${add.path} has a deletion vector, a reader version 3 feature this reader does not support`);
  return add;
}

function parseRemove(o: Obj, where: string): RemoveAction {
  const c = new Check(o, where);
  const remove: RemoveAction = { path: c.str('path'), dataChange: c.bool('dataChange') };
  const ts = c.optNum('deletionTimestamp');
  if (ts !== undefined) remove.deletionTimestamp = ts;
  const ext = c.optBool('extendedFileMetadata');
  if (ext !== undefined) remove.extendedFileMetadata = ext;
  const pv = c.optMap('partitionValues');
  if (pv !== undefined) remove.partitionValues = pv;
  const size = c.optNum('size');
  if (size !== undefined) remove.size = size;
  const stats = c.optStr('stats');
  if (stats !== undefined) remove.stats = stats;
  const tags = c.optMap('tags');
  if (tags !== undefined) remove.tags = tags;
  return remove;
}

function parseTxn(o: Obj, where: string): TxnAction {
  const c = new Check(o, where);
  const txn: TxnAction = { appId: c.str('appId'), version: c.num('version') };
  const lastUpdated = c.optNum('lastUpdated');
  if (lastUpdated !== undefined) txn.lastUpdated = lastUpdated;
  return txn;
}

/**
 * One action object (a JSON line, or a checkpoint row with its null columns left out), or
 * undefined for actions a reader 1 snapshot does not use (cdc, domainMetadata, ...).
 */
export function parseAction(o: unknown, where: string): Action | undefined {
  if (!isObj(o)) throw new DeltaLogError(`${where}: expected an action object, got ${JSON.stringify(o)}`);
  const keys = Object.keys(o).filter((k) => o[k] !== null && o[k] !== undefined);
  if (keys.length !== 1) throw new DeltaLogError(`${where}: expected exactly one action per line, got ${JSON.stringify(keys)}`);
  const key = keys[0]!;
  const body = o[key];
  if (!isObj(body)) throw new DeltaLogError(`${where}: expected ${key} to be an object, got ${JSON.stringify(body)}`);
  const at = `${where} ${key}`;
  switch (key) {
    case 'protocol':
      return { protocol: parseProtocol(body, at) };
    case 'metaData':
      return { metaData: parseMetadata(body, at) };
    case 'add':
      return { add: parseAdd(body, at) };
    case 'remove':
      return { remove: parseRemove(body, at) };
    case 'txn':
      return { txn: parseTxn(body, at) };
    case 'commitInfo':
      return { commitInfo: body };
    default:
      return undefined;
  }
}

/** The actions of a commit file's text. `where` names the file in errors. */
export function parseCommit(text: string, where: string): Action[] {
  const out: Action[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch (e) {
      throw new DeltaLogError(`${where} line ${i + 1}: expected a JSON action, got ${JSON.stringify(line.slice(0, 80))} (${(e as Error).message})`);
    }
    const action = parseAction(o, `${where} line ${i + 1}`);
    if (action) out.push(action);
  }
  return out;
}

/**
 * A fingerprint of a commit file's text. A reader that keeps a snapshot between processes
 * (snapshot-seeds.ts) checks it against the file still there: the same version of a table
 * deleted and written again has other text.
 */
export function commitDigest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url');
}

/** A commit file's text: one action per line, a trailing newline. */
export function serializeCommit(actions: readonly Action[]): string {
  return actions.map((a) => JSON.stringify(a)).join('\n') + '\n';
}
