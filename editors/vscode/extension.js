// The instrc extension: highlighting comes from the TextMate grammar; this
// file starts `instrc lsp` for diagnostics, hover, completion, quick fixes,
// formatting, references, rename,
// go-to-definition and the outline.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('instrc').get('path') || 'instrc';
  const run = { command, args: ['lsp'], transport: TransportKind.stdio };
  client = new LanguageClient('instrc', 'instrc', { run, debug: run }, {
    documentSelector: [{ scheme: 'file', language: 'instr' }, { scheme: 'untitled', language: 'instr' }],
    synchronize: {
      // Workspaces and instrc.yaml: a change re-checks the open files.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}'),
    },
  });
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
