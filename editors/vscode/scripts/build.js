// Checks that the extension is complete: every JSON file parses, the
// grammar has its rules (test/ compiles and runs them with Oniguruma), and
// the language client resolves. The extension is plain JavaScript, so there is nothing to
// compile.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const read = (f) => JSON.parse(fs.readFileSync(path.join(root, f), 'utf8'));

const pkg = read('package.json');
const grammar = read('syntaxes/instr.tmLanguage.json');
read('language-configuration.json');

if (grammar.scopeName !== pkg.contributes.grammars[0].scopeName) {
  throw new Error(`grammar scope ${grammar.scopeName} does not match package.json`);
}
for (const name of ['sigils', 'conditions', 'verbs', 'strings']) {
  if (!grammar.repository[name]) {
    throw new Error(`the grammar has no repository.${name}`);
  }
}
require.resolve('vscode-languageclient/node', { paths: [root] });
fs.accessSync(path.join(root, pkg.main));
console.log(`instrc extension ${pkg.version}: OK`);
