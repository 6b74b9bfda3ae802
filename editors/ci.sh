#!/bin/sh
# Builds and tests the editor integrations: the VS Code extension installs
# from its lock file, checks itself, and tokenizes sample lines with the
# TextMate engine VS Code uses.
set -eu
cd "$(dirname "$0")/vscode"
npm ci --no-audit --no-fund
npm run build
npm test
