// Completes package-lock.json with the optional per-platform packages (DuckDB's native
// bindings for macOS, Windows, ARM) that this project's registry does not serve, so npm
// could not record them. Without them `npm ci` refuses the lock ("Missing ... from lock
// file") on every machine. The entries carry os/cpu/libc, so npm skips them where they do
// not apply and fetches them (by version) where they do.
// Run after `npm install` changes dependencies: node scripts/complete-lock.js
const fs = require('node:fs');
const path = require('node:path');

const file = path.resolve(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));

function platformOf(name) {
  const os = /darwin/.test(name) ? 'darwin' : /win32/.test(name) ? 'win32' : /linux/.test(name) ? 'linux' : undefined;
  const cpu = /arm64/.test(name) ? 'arm64' : /x64/.test(name) ? 'x64' : undefined;
  if (!os || !cpu) return undefined;
  const entry = { cpu: [cpu], os: [os] };
  if (os === 'linux') entry.libc = [/musl/.test(name) ? 'musl' : 'glibc'];
  return entry;
}

let added = 0;
for (const [key, pkg] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const nested = `${key ? `${key}/` : ''}node_modules/${dep}`;
    const hoisted = `node_modules/${dep}`;
    if (lock.packages[nested] || lock.packages[hoisted]) continue;
    const platform = platformOf(dep);
    if (!platform) continue;
    lock.packages[hoisted] = { version, optional: true, license: pkg.license, ...platform };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`complete-lock: added ${added} optional platform package(s)`);
