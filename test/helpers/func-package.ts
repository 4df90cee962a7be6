// The files `func azure functionapp publish` puts in the deployment package, computed the
// way Azure Functions Core Tools does it (read from its source, 2026-08):
// - src/Cli/func/Common/GitIgnoreParser.cs: a C# port of codemix/gitignore-parser. Every
//   pattern is anchored at the start of the relative path and only needs a word boundary
//   after it (`^(p1|p2|...)\b`), so `test` matches `test/x` and `test.ts` but not `src/test/x`,
//   and `*.log` matches only at the root. Not git's semantics: hence the portable subset the
//   tests hold .funcignore to.
// - src/Cli/func/Common/FileSystemHelpers.cs GetLocalFiles: walks every folder except those
//   named `.git` or `.vscode`, leaves out files named `.funcignore`, `.gitignore`,
//   `local.settings.json` and `project.lock.json` at any depth, then applies the parser.
// - src/Cli/func/Helpers/ZipHelper.cs: for Node, with or without `--build remote`, that file
//   list is the package; nothing else (no node_modules rule of its own).
// And the way azd does it (azure-dev pkg/project/project_utils.go createDeployableZip, with
// denormal/go-gitignore), for the one form of line .funcignore keeps to.
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

const ALWAYS_SKIPPED_DIRS = ['.git', '.vscode'];
const ALWAYS_SKIPPED_FILES = ['.funcignore', '.gitignore', 'local.settings.json', 'project.lock.json'];

/** Core Tools' GitIgnoreParser: `accepts(path)` is true when the file goes into the package. */
export class CoreToolsIgnore {
  private readonly positive: RegExp;
  private readonly negative: RegExp;
  /** True when a `!` line may re-include a path below a denied folder. */
  readonly hasNegations: boolean;

  constructor(content: string) {
    const positive: string[] = [];
    const negative: string[] = [];
    for (const raw of content.split('\n')) {
      let line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const isNegative = line.startsWith('!');
      if (isNegative) line = line.slice(1);
      if (line.startsWith('/')) line = line.slice(1);
      (isNegative ? negative : positive).push(line);
    }
    this.positive = CoreToolsIgnore.regex(positive);
    this.negative = CoreToolsIgnore.regex(negative);
    this.hasNegations = negative.length > 0;
  }

  private static regex(patterns: string[]): RegExp {
    if (!patterns.length) return /$^/;
    return new RegExp('^((' + patterns.map(CoreToolsIgnore.pattern).join(')|(') + '))\\b');
  }

  private static pattern(p: string): string {
    return p.replace(/[-[\]/{}()+?.\\^$|]/g, '\\$&').replace(/\*\*/g, '(.+)').replace(/\*/g, '([^\\/]+)');
  }

  accepts(relativePath: string): boolean {
    const input = relativePath === '/' ? '' : relativePath;
    return this.negative.test(input) || !this.positive.test(input);
  }
}

/** Relative paths (with `/`) of the files Core Tools would zip from `root`, sorted. */
export function packageFiles(root: string, ignore: CoreToolsIgnore): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      // .NET's Directory.GetDirectories lists a symbolic link to a folder as a folder.
      const isDir = entry.isDirectory() || (entry.isSymbolicLink() && statSync(full).isDirectory());
      const rel = path.relative(root, full).split(path.sep).join('/');
      if (isDir) {
        if (ALWAYS_SKIPPED_DIRS.includes(entry.name.toLowerCase())) continue;
        // Shortcut, not a rule of Core Tools (same result, without walking node_modules):
        // a pattern that matches the folder's path ends within it at a word boundary, so it
        // matches every path below it too; only a `!` line could re-include one.
        if (!ignore.hasNegations && !ignore.accepts(rel)) continue;
        walk(full);
      } else if (!ALWAYS_SKIPPED_FILES.includes(entry.name.toLowerCase()) && ignore.accepts(rel)) {
        out.push(rel);
      }
    }
  };
  walk(root);
  return out.sort();
}

/**
 * The files azd zips from `root`, for an ignore file of `/<name>` lines only (anything else
 * throws): azd walks the folder, skips a `.azure` folder, any file named like the ignore file
 * or `local.settings.json`, and every path go-gitignore matches. An anchored pattern without
 * a separator is fnmatch'ed against the whole relative path, so `/<name>` matches exactly the
 * top-level entry of that name (and a skipped folder is not walked).
 */
export function azdPackageFiles(root: string, ignoreFile: string, content: string): string[] {
  const names = new Set<string>();
  for (const raw of content.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^\/([A-Za-z0-9._-]+)$/.exec(line);
    if (!m) throw new Error(`expected only /<name> lines in ${ignoreFile}, got ${JSON.stringify(line)}`);
    names.add(m[1]!);
  }
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const isDir = entry.isDirectory() || (entry.isSymbolicLink() && statSync(full).isDirectory());
      if (isDir && entry.name === '.azure') continue;
      if (!isDir && (entry.name === ignoreFile || entry.name === 'local.settings.json')) continue;
      if (depth === 0 && names.has(entry.name)) continue;
      if (isDir) walk(full, depth + 1);
      else out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(root, 0);
  return out.sort();
}
