// Loads the TextMate grammar with the engine VS Code uses (vscode-textmate
// and Oniguruma) and checks how sample lines tokenize, in English and French.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const root = path.join(__dirname, '..');

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) => {
      if (scope !== 'text.instr') return null;
      const file = path.join(root, 'syntaxes', 'instr.tmLanguage.json');
      return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  return registry.loadGrammar('text.instr');
}

// scopesOf tokenizes lines and returns, for each wanted text, the scopes of
// the token that holds it.
function tokenize(grammar, lines) {
  let state = vsctm.INITIAL;
  const out = [];
  for (const line of lines) {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) {
      out.push({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
    state = r.ruleStack;
  }
  return out;
}

function scopeOf(tokens, text) {
  const t = tokens.find((x) => x.text === text);
  assert.ok(t, `no token ${JSON.stringify(text)} in ${JSON.stringify(tokens.map((x) => x.text))}`);
  return t.scopes[t.scopes.length - 1];
}

test('English scenario', async () => {
  const g = await loadGrammar();
  const toks = tokenize(g, [
    '- If the contact asks about pricing, assign to @Sales by round robin, then add %Pricing and trigger !refund_processing.',
    '- When they say thanks, reply to the contact: "Bye {{$contact.firstname}}" and close the conversation with closing note "Issue Resolved".',
  ]);
  assert.strictEqual(scopeOf(toks, '-'), 'punctuation.definition.list.begin.instr');
  assert.strictEqual(scopeOf(toks, 'If'), 'keyword.control.conditional.instr');
  assert.strictEqual(scopeOf(toks, 'When'), 'keyword.control.conditional.instr');
  assert.strictEqual(scopeOf(toks, 'assign'), 'keyword.other.action.instr');
  assert.strictEqual(scopeOf(toks, 'then'), 'keyword.control.flow.instr');
  assert.strictEqual(scopeOf(toks, '@'), 'punctuation.definition.variable.instr');
  assert.strictEqual(scopeOf(toks, 'Sales'), 'variable.other.assignee.instr');
  assert.strictEqual(scopeOf(toks, 'Pricing'), 'entity.name.tag.instr');
  assert.strictEqual(scopeOf(toks, 'refund_processing'), 'entity.name.function.workflow.instr');
  assert.strictEqual(scopeOf(toks, '{{$contact.firstname}}'), 'variable.other.field.instr');
  assert.strictEqual(scopeOf(toks, 'closing note'), 'support.type.property-name.instr');
  assert.strictEqual(scopeOf(toks, 'Issue Resolved'), 'string.quoted.double.instr');
  // Words that merely contain a keyword are not keywords.
  assert.notStrictEqual(scopeOf(toks, ' the contact asks about pricing, '), 'keyword.other.action.instr');
});

test('French scenario', async () => {
  const g = await loadGrammar();
  const toks = tokenize(g, [
    '---',
    'workspace: workspace.yaml',
    '---',
    '# Boutique',
    '- Si le client donne son budget, enregistre-le comme champ Budget, puis assigne à @"Équipe Logistique".',
    "- Lorsqu'il n'a plus de questions, ferme la conversation avec la note de clôture « Problème Résolu ».",
  ]);
  assert.strictEqual(scopeOf(toks, 'workspace'), 'entity.name.tag.key.instr');
  assert.strictEqual(scopeOf(toks, 'Boutique'), 'entity.name.section.instr');
  assert.strictEqual(scopeOf(toks, 'Si'), 'keyword.control.conditional.instr');
  assert.strictEqual(scopeOf(toks, "Lorsqu'"), 'keyword.control.conditional.instr');
  assert.strictEqual(scopeOf(toks, 'enregistre-le'), 'keyword.other.action.instr');
  assert.strictEqual(scopeOf(toks, 'puis'), 'keyword.control.flow.instr');
  assert.strictEqual(scopeOf(toks, 'ferme'), 'keyword.other.action.instr');
  assert.strictEqual(scopeOf(toks, '"Équipe Logistique"'), 'variable.other.assignee.instr');
  assert.strictEqual(scopeOf(toks, 'note de clôture'), 'support.type.property-name.instr');
  assert.strictEqual(scopeOf(toks, ' Problème Résolu '), 'string.quoted.other.guillemets.instr');
});
