// infra/*.bicep parsed with the real Bicep grammar (tree-sitter-bicep), and small readers
// over the syntax tree for the infra tests.
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
// tree-sitter and its Bicep grammar load prebuilt N-API binaries (no install script needed).
import Parser = require('tree-sitter');

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Bicep = require('tree-sitter-bicep') as Parser.Language;

export type Node = Parser.SyntaxNode;
export const INFRA = path.resolve(__dirname, '../../infra');
export const parser = new Parser();
parser.setLanguage(Bicep);

const files = [path.join(INFRA, 'main.bicep'), ...readdirSync(path.join(INFRA, 'modules')).map((f) => path.join(INFRA, 'modules', f))].filter((f) => f.endsWith('.bicep'));
/** Every Bicep file by its path under infra/ (`main.bicep`, `modules/x.bicep`). */
export const trees = new Map(files.map((f) => [path.relative(INFRA, f), parser.parse(readFileSync(f, 'utf8'))]));

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
