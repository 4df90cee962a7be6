// infra/*.bicep parsed with the real Bicep grammar (tree-sitter-bicep, in a child process:
// see parse-bicep.js), and small readers over the syntax tree for the infra tests.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

type Serialised = [type: string, named: 0 | 1, missing: 0 | 1, start: number, end: number, row: number, column: number, children: Serialised[]];

/** A syntax node with the parts of tree-sitter's SyntaxNode the tests read. */
export class Node {
  readonly type: string;
  readonly isNamed: boolean;
  readonly isMissing: boolean;
  readonly startPosition: { row: number; column: number };
  readonly children: Node[];
  parent: Node | null = null;
  private readonly start: number;
  private readonly end: number;

  constructor(s: Serialised, private readonly source: string) {
    [this.type, , , this.start, this.end, , ,] = s;
    this.isNamed = s[1] === 1;
    this.isMissing = s[2] === 1;
    this.startPosition = { row: s[5], column: s[6] };
    this.children = s[7].map((c) => new Node(c, source));
    for (const c of this.children) c.parent = this;
  }

  get text(): string {
    return this.source.slice(this.start, this.end);
  }
  get namedChildren(): Node[] {
    return this.children.filter((c) => c.isNamed);
  }
  get previousNamedSibling(): Node | null {
    const siblings = this.parent?.namedChildren ?? [];
    return siblings[siblings.indexOf(this) - 1] ?? null;
  }
  get hasError(): boolean {
    return this.type === 'ERROR' || this.isMissing || this.children.some((c) => c.hasError);
  }
}

/** Parses Bicep sources with the real grammar; one child process for the whole list. */
export function parseBicep(sources: string[]): Node[] {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'parse-bicep.js')], { input: JSON.stringify(sources), maxBuffer: 256 * 1024 * 1024 });
  return (JSON.parse(out.toString('utf8')) as Serialised[]).map((s, i) => new Node(s, sources[i]!));
}

export const INFRA = path.resolve(__dirname, '../../infra');
export const parser = { parse: (source: string) => ({ rootNode: parseBicep([source])[0]! }) };

const files = [path.join(INFRA, 'main.bicep'), ...readdirSync(path.join(INFRA, 'modules')).map((f) => path.join(INFRA, 'modules', f))].filter((f) => f.endsWith('.bicep'));
const roots = parseBicep(files.map((f) => readFileSync(f, 'utf8')));
/** Every Bicep file by its path under infra/ (`main.bicep`, `modules/x.bicep`). */
export const trees = new Map(files.map((f, i) => [path.relative(INFRA, f), { rootNode: roots[i]! }]));

export function tree(name: string): Node {
  const t = trees.get(name);
  if (!t) throw new Error(`expected infra/${name} among the Bicep files, got ${[...trees.keys()].join(', ')}`);
  return t.rootNode;
}

/** Every node of a type under n, in document order. */
export function all(n: Node, type: string, out: Node[] = []): Node[] {
  if (n.type === type) out.push(n);
  for (const c of n.namedChildren) all(c, type, out);
  return out;
}

/** The value of an object's property (keys quoted or not). */
export function prop(obj: Node, key: string): Node | undefined {
  return obj.namedChildren.find((p) => p.type === 'object_property' && unquote(p.namedChildren[0]?.text ?? '') === key)?.namedChildren[1];
}

/** The keys of an object, in order. */
export function keys(obj: Node): string[] {
  return obj.namedChildren.filter((p) => p.type === 'object_property').map((p) => unquote(p.namedChildren[0]!.text));
}

export function unquote(s: string): string {
  return s.replace(/^'(.*)'$/s, '$1');
}

/** `Microsoft.X/y@version` of a resource declaration. */
export function resourceType(r: Node): string {
  return r.namedChildren.find((c) => c.type === 'string')?.text.replace(/'/g, '') ?? '';
}

/** The object body of a resource or module declaration (inside `if (...)` or `[for ...]` too). */
export function bodyOf(r: Node): Node | undefined {
  const body = r.namedChildren.find((c) => c.type === 'object' || c.type === 'if_statement' || c.type === 'for_statement');
  if (!body || body.type === 'object') return body;
  return all(body, 'object')[0];
}

/** Declarations of a kind (resource_declaration, module_declaration, ...) by symbolic name. */
export function declarations(file: string, type: string): Map<string, Node> {
  return new Map(all(tree(file), type).map((d) => [d.namedChildren[0]!.text, d]));
}

export function resource(file: string, name: string): Node {
  const r = declarations(file, 'resource_declaration').get(name);
  if (!r) throw new Error(`expected resource ${name} in infra/${file}`);
  return r;
}

export function moduleDecl(file: string, name: string): Node {
  const m = declarations(file, 'module_declaration').get(name);
  if (!m) throw new Error(`expected module ${name} in infra/${file}`);
  return m;
}

/** The decorators of a parameter, e.g. ['@minValue(40)', "@description('...')"]. */
export function decoratorsOf(file: string, param: string): string[] {
  const p = all(tree(file), 'parameter_declaration').find((d) => d.namedChildren[0]?.text === param);
  if (!p) throw new Error(`expected param ${param} in infra/${file}`);
  const d = p.previousNamedSibling;
  return d?.type === 'decorators' ? d.namedChildren.map((c) => c.text) : [];
}

/** The default value of a parameter, as written. */
export function defaultOf(file: string, param: string): string | undefined {
  const p = all(tree(file), 'parameter_declaration').find((d) => d.namedChildren[0]?.text === param);
  if (!p) throw new Error(`expected param ${param} in infra/${file}`);
  const last = p.namedChildren[p.namedChildren.length - 1]!;
  return last.type === 'type' ? undefined : last.text;
}

/** The expression a variable is set to. */
export function variable(file: string, name: string): Node {
  const v = all(tree(file), 'variable_declaration').find((d) => d.namedChildren[0]?.text === name);
  if (!v) throw new Error(`expected var ${name} in infra/${file}`);
  return v.namedChildren[v.namedChildren.length - 1]!;
}

/** The string items of an array literal (quotes removed). */
export function strings(array: Node): string[] {
  return array.namedChildren.filter((c) => c.type === 'string').map((c) => unquote(c.text));
}
