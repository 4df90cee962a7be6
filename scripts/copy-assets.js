// The gold SQL files ship next to the compiled code that reads them.
const fs = require('node:fs');
const path = require('node:path');
const root = path.resolve(__dirname, '..');
fs.cpSync(path.join(root, 'src/gold/sql'), path.join(root, 'dist/src/gold/sql'), { recursive: true });
