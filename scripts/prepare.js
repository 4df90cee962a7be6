// `npm install` runs this (the package's prepare script): build dist/ from the TypeScript
// sources. Where TypeScript is not installed (a production-only install on a server that
// was handed a built dist/), keep the dist/ that is there instead of failing the install.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
} catch {
  if (fs.existsSync(path.join(root, 'dist', 'functions'))) {
    console.log('prepare: TypeScript is not installed; using the dist/ that was built before');
    process.exit(0);
  }
  console.error('prepare: TypeScript is not installed and there is no dist/: run npm install with dev dependencies');
  process.exit(1);
}
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
require('./copy-assets');
