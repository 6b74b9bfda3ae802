// Builds the extension into dist/ and checks that it is complete: every
// JSON file parses, the grammar has its rules (test/ compiles and runs them
// with Oniguruma), the JSON Schemas of the repository's schemas/ folder are
// copied in for yamlValidation, the project's LICENSE is copied in, and
// extension.js is bundled with the language client into
// dist/extension.js, so that the packaged extension needs no node_modules.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
const repo = path.join(root, '..', '..');
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

// The schemas YAML validation points at, copied from the repository.
fs.mkdirSync(path.join(root, 'schemas'), { recursive: true });
for (const v of pkg.contributes.yamlValidation) {
  const name = path.basename(v.url);
  fs.copyFileSync(path.join(repo, 'schemas', name), path.join(root, 'schemas', name));
  JSON.parse(fs.readFileSync(path.join(root, v.url), 'utf8'));
}
fs.copyFileSync(path.join(repo, 'LICENSE'), path.join(root, 'LICENSE'));

esbuild.buildSync({
  entryPoints: [path.join(root, 'extension.js')],
  outfile: path.join(root, pkg.main),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  external: ['vscode'],
  minify: true,
  sourcemap: false,
  logLevel: 'warning',
});
console.log(`instrc extension ${pkg.version}: built ${pkg.main}`);
