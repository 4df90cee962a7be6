// The deployment package as `func azure functionapp publish` and azd build it from this
// folder through .funcignore, and what the remote build (Oryx) then does with it: npm
// install (dev dependencies too, so `prepare` compiles dist/), npm run build, npm run
// build:azure (microsoft/Oryx NodeBashBuildSnippet.sh.tpl; Functions' remote build passes no
// prune option, Azure-App-Service/KuduLite FunctionAppOryxArguments.cs).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { azdPackageFiles, CoreToolsIgnore, packageFiles } from '../helpers/func-package';
import { tempDirs } from '../helpers/tmp';

const ROOT = path.resolve(__dirname, '../..');
const funcignore = readFileSync(path.join(ROOT, '.funcignore'), 'utf8');
const ignore = new CoreToolsIgnore(funcignore);
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string>; devDependencies: Record<string, string> };
const tmp = tempDirs();

describe('CoreToolsIgnore', () => {
  // The cases of Core Tools' own GitIgnoreParserTests.cs, with their expected answers.
  const gitignore = new CoreToolsIgnore('# This is a comment in a .gitignore file!\nnode_modules\n*.log\n\n# Ignore this nonexistent file\nnonexistent\n\n# Do not ignore this file\n!/nonexistent/foo\n\n# Ignore some files\n\n/baz\n\nfoo/*.wat\n\n/test1\n\ntest2\n\n# Ignore some deep sub folders\nothernonexistent/**/what\n\n# Unignore some other sub folders\n!/othernonexistent/**/what/foo\n\n\n*.swp\n');

  it('accepts and denies what Core Tools does', () => {
    const accepted = (p: string) => gitignore.accepts(p);
    expect(['test/index.js', 'wat/test/index.js', '/othernonexistent/blah/adsasd/whatads', '/othernonexistent/blah/adsasd/what/foo', 'test1File.wat', 'nonexistent/foo', 'nonexistent/foo/wat'].map(accepted)).toEqual([true, true, true, true, true, true, true]);
    expect(['test2', 'test.swp', 'node_modules/what.js', 'foo/bar.wat', 'othernonexistent/blah/what', 'nonexistent', 'nonexistent/bar', 'test1'].map(accepted)).toEqual([false, false, false, false, false, false, false, false]);
    expect(new CoreToolsIgnore('node_modules').accepts('node_modules/foo')).toBe(false);
  });

  it('anchors every pattern at the root, unlike git (why .funcignore keeps to /name lines)', () => {
    const p = new CoreToolsIgnore('*.log\ntest');
    expect([p.accepts('a.log'), p.accepts('logs/a.log'), p.accepts('test/x.ts'), p.accepts('src/test/x.ts')]).toEqual([false, true, false, true]);
  });
});

describe('.funcignore', () => {
  it('has only lines that Core Tools and azd read alike: /<name>, no wildcard, no negation', () => {
    const lines = funcignore.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    expect(lines.filter((l) => !/^\/[A-Za-z0-9._-]+$/.test(l))).toEqual([]);
  });

  it('gives the same package through Core Tools and through azd', () => {
    expect(azdPackageFiles(ROOT, '.funcignore', funcignore)).toEqual(packageFiles(ROOT, ignore));
  });

  it('would catch a line azd reads differently (the check can fail)', () => {
    // go-gitignore's `*` also matches `/`: `/*` would leave nothing below the root in azd's zip.
    expect(() => azdPackageFiles(ROOT, '.funcignore', '/*\n!/src')).toThrow('expected only /<name> lines in .funcignore, got "/*"');
  });

  it('makes a package of sources and build files only: no node_modules, no dist, nothing for development', () => {
    const files = packageFiles(ROOT, ignore);
    expect([...new Set(files.map((f) => f.split('/')[0]))]).toEqual(['functions', 'host.json', 'package-lock.json', 'package.json', 'producer', 'scripts', 'src', 'tsconfig.build.json', 'tsconfig.json']);
    const devOnly = Object.keys(pkg.devDependencies);
    expect(files.filter((f) => f.startsWith('node_modules/') || f.startsWith('dist/') || devOnly.some((d) => f.includes(`/${d}/`)))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['functions/ingestBronze.ts', 'src/gold/sql/monthly_revenue.sql', 'scripts/prepare.js', 'scripts/copy-assets.js']));
    // Sources and lock file: about 0.6 MB here (the local folder with node_modules is about 470 MB).
    expect(files.reduce((s, f) => s + statSync(path.join(ROOT, f)).size, 0)).toBeLessThan(2_000_000);
  });

  it('leaves out what a working copy gathers after a deploy: .azure, .env, local settings, node_modules, dist', () => {
    const dir = tmp();
    for (const f of ['.azure/dev/.env', '.env', 'local.settings.json', 'node_modules/jest/index.js', 'dist/functions/a.js', 'lake/bronze/x.jsonl', 'report.html', 'src/a.ts', 'package.json']) {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      writeFileSync(path.join(dir, f), 'x');
    }
    expect(packageFiles(dir, ignore)).toEqual(['package.json', 'src/a.ts']);
    expect(azdPackageFiles(dir, '.funcignore', funcignore)).toEqual(['package.json', 'src/a.ts']);
  });
});

describe('package.json', () => {
  it('prunes the dev dependencies after the remote build, keeping DuckDB\'s Linux x64 binding', () => {
    expect(pkg.scripts['build:azure']).toBe('npm prune --omit=dev');
    // What `npm prune --omit=dev` keeps: the lock's entries not marked dev.
    const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; os?: string[]; cpu?: string[] }> };
    const kept = Object.entries(lock.packages).filter(([k, v]) => k && !v.dev).map(([k]) => k.replace(/^.*node_modules\//, ''));
    // rhea stays: it is also a dependency of @azure/event-hubs (through rhea-promise).
    expect(Object.keys(pkg.devDependencies).filter((d) => kept.includes(d))).toEqual(['rhea']);
    const binding = lock.packages['node_modules/@duckdb/node-bindings-linux-x64'];
    expect(binding).toMatchObject({ os: ['linux'], cpu: ['x64'] });
    expect(binding!.dev).toBeUndefined();
  });

  it('builds the app from the package alone, as the remote build\'s npm install does (prepare), and every function loads', () => {
    const dir = tmp();
    for (const f of packageFiles(ROOT, ignore)) {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      copyFileSync(path.join(ROOT, f), path.join(dir, f));
    }
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    execFileSync(process.execPath, ['scripts/prepare.js'], { cwd: dir, stdio: 'pipe' });
    // package.json "main" (dist/functions/*.js) is how the host finds the functions.
    const [mainDir, mainGlob] = [path.dirname(pkg.main), path.basename(pkg.main)];
    expect(mainGlob).toBe('*.js');
    const built = readdirSync(path.join(dir, mainDir)).filter((f) => f.endsWith('.js')).sort();
    expect(built).toEqual(['buildGold.js', 'health.js', 'ingestBronze.js', 'refineSilver.js']);
    expect(existsSync(path.join(dir, 'dist/src/gold/sql/monthly_revenue.sql'))).toBe(true);
    for (const f of built) execFileSync(process.execPath, ['-e', `require('./${mainDir}/${f}')`], { cwd: dir, stdio: 'pipe' });
  }, 180_000);
});

describe('azure.yaml', () => {
  it('asks azd for a remote build, which azd allows only when .funcignore leaves node_modules out', () => {
    const yaml = readFileSync(path.join(ROOT, 'azure.yaml'), 'utf8');
    const service = yaml.slice(yaml.indexOf('services:'));
    expect(service).toMatch(/\n {4}host: function\n {4}remoteBuild: true\n/);
    expect(ignore.accepts('node_modules')).toBe(false);
  });
});
