// Parses Bicep sources with tree-sitter-bicep and prints the syntax trees as JSON. Run as a
// child process by test/helpers/bicep.ts: tree-sitter's native binding is shared by the whole
// process, and when jest loads its JavaScript again for a second test file, the nodes it
// hands out there come back empty. One process per parse keeps every test file correct.
// Input (stdin): a JSON array of sources. Output: per source, the root node as
// [type, named, missing, startIndex, endIndex, row, column, children].
const { readFileSync } = require('node:fs');
const Parser = require('tree-sitter');
const Bicep = require('tree-sitter-bicep');

const parser = new Parser();
parser.setLanguage(Bicep);
const serialise = (n) => [n.type, n.isNamed ? 1 : 0, n.isMissing ? 1 : 0, n.startIndex, n.endIndex, n.startPosition.row, n.startPosition.column, n.children.map(serialise)];
const sources = JSON.parse(readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(sources.map((s) => serialise(parser.parse(s).rootNode))));
