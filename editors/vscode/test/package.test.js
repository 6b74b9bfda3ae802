// Checks the built extension (npm run build): the bundle carries the
// language client, the schemas YAML validation points at are the
// repository's, and the package holds what VS Code needs and no
// node_modules.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const repo = path.join(root, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

test('the bundle needs nothing but vscode', () => {
  const js = fs.readFileSync(path.join(root, pkg.main), 'utf8');
  const required = [...js.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
  assert.ok(required.includes('vscode'), 'requires vscode');
  for (const r of required) {
    assert.ok(r === 'vscode' || !r.startsWith('.') && !r.includes('languageclient'), `the bundle requires ${r}`);
  }
  assert.match(js, /LanguageClient|languageclient/i);
});

test('yamlValidation points at the repository schemas', () => {
  const files = new Set();
  for (const v of pkg.contributes.yamlValidation) {
    const built = fs.readFileSync(path.join(root, v.url), 'utf8');
    const source = fs.readFileSync(path.join(repo, 'schemas', path.basename(v.url)), 'utf8');
    assert.strictEqual(built, source, v.url);
    assert.ok(JSON.parse(built).$schema, `${v.url} declares its draft`);
    files.add(path.basename(v.url));
  }
  assert.deepStrictEqual([...files].sort(), ['instrc.schema.json', 'scenario-test.schema.json', 'workspace.schema.json']);
});

test('the licence is the one package.json declares', () => {
  assert.strictEqual(pkg.license, 'Apache-2.0');
  const text = fs.readFileSync(path.join(repo, 'LICENSE'), 'utf8');
  assert.match(text, /Apache License\s+Version 2\.0, January 2004/);
});

test('the package holds the bundle, schemas, README and LICENSE, no node_modules', () => {
  const vsce = path.join(root, 'node_modules', '.bin', 'vsce');
  const out = execFileSync(vsce, ['ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' });
  const files = out.split('\n').filter(Boolean);
  for (const want of ['package.json', 'dist/extension.js', 'README.md', 'LICENSE', 'syntaxes/instr.tmLanguage.json',
    'language-configuration.json', 'schemas/workspace.schema.json', 'schemas/instrc.schema.json', 'schemas/scenario-test.schema.json']) {
    assert.ok(files.includes(want), `the package has no ${want}: ${files.join(', ')}`);
  }
  assert.ok(!files.some((f) => f.startsWith('node_modules/')), 'the package holds node_modules');
  assert.ok(!files.includes('extension.js'), 'the package holds the unbundled source');
});
