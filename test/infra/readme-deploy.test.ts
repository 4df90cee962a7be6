// The README's build and deploy sections against the infra they describe: the commands a
// data engineer copies must name outputs, parameters and flags that exist.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { all, tree, INFRA } from '../helpers/bicep';

const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
function section(heading: string): string {
  const start = readme.indexOf(`${heading}\n`);
  if (start < 0) throw new Error(`expected README section "${heading}"`);
  const level = heading.split(' ')[0]!;
  const next = readme.slice(start + heading.length).search(new RegExp(`\\n#{1,${level.length}} `));
  return readme.slice(start, next < 0 ? undefined : start + heading.length + next);
}
const deploy = section('## Deploy to Azure');
const build = section('### Build, run, deploy');
/** Shell in fenced bash blocks and in inline code spans. */
const code = (s: string) => [...[...s.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!), ...[...s.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!)].join('\n');
const outputs = all(tree('main.bicep'), 'output_declaration').map((o) => o.namedChildren[0]!.text);
const params = all(tree('main.bicep'), 'parameter_declaration').map((p) => p.namedChildren[0]!.text);

describe('README.md, "Build, run, deploy" and "Deploy to Azure"', () => {
  it('publishes with Core Tools with a remote build and the worker runtime set (a fresh clone has no local.settings.json)', () => {
    const publish = [...`${code(build)}\n${code(deploy)}`.matchAll(/^.*func azure functionapp publish.*$/gm)].map((m) => m[0]);
    expect(publish.length).toBeGreaterThan(0);
    for (const line of publish) expect(line).toMatch(/^FUNCTIONS_WORKER_RUNTIME=node func azure functionapp publish \S+ --build remote$/);
  });

  it('reads only outputs the deployment has', () => {
    const used = [...code(deploy).matchAll(/properties\.outputs\.(\w+)\.value|\$\{?([A-Za-z_]\w*)/g)].map((m) => m[1] ?? m[2]!);
    const locals = ['KEY', 'APP'];
    expect(used.filter((u) => !locals.includes(u) && !outputs.includes(u))).toEqual([]);
    expect(used).toEqual(expect.arrayContaining(['AZURE_FUNCTION_APP_NAME', 'LAKE_DFS_URL', 'EVENTHUB_FULLY_QUALIFIED_NAMESPACE', 'StateStorage__queueServiceUri']));
  });

  it('sets only parameters main.bicep has, and azd settings main.parameters.json maps', () => {
    const bicepArgs = [...code(deploy).matchAll(/\b(\w+)=(?!\S*func)/g)].map((m) => m[1]!).filter((a) => a !== 'FUNCTIONS_WORKER_RUNTIME' && a !== 'KEY' && a !== 'APP' && a !== 'code');
    expect(bicepArgs.filter((a) => !params.includes(a))).toEqual([]);
    const mapped = JSON.stringify(JSON.parse(readFileSync(path.join(INFRA, 'main.parameters.json'), 'utf8')));
    for (const name of [...deploy.matchAll(/azd env set (\w+)/g)].map((m) => m[1]!)) expect([name, new RegExp(`\\$\\{${name}(=[^}]*)?\\}`).test(mapped)]).toEqual([name, true]); // ${NAME}, or ${NAME=default} (azd's envsubst)
  });

  it('says what was checked here and what only Azure can check', () => {
    expect(deploy).toContain('### What was checked here, and what only Azure can check');
    expect(deploy).toMatch(/Only Azure can check:/);
  });
});
