#!/usr/bin/env bash
# The language server's end-to-end tests (tests/lsp, driven by pytest-lsp) and the VS Code
# extension's build (npm) and package (@vscode/vsce, not published). Needs Python 3 and Node.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "-- acrlint (debug build)"
cargo build --quiet
export ACRLINT_BIN="$PWD/target/debug/acrlint"

echo "-- VS Code extension: build and package"
(
    cd editors/vscode
    npm ci --no-audit --no-fund --loglevel=error
    npm run --silent compile
    npm run --silent package
    test -s acrlint.vsix
)

echo "-- pytest-lsp in a virtual environment under target/"
venv=target/lsp-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check pytest-lsp==1.0.1 pytest==9.2.0 \
    pytest-asyncio==1.5.0 pygls==2.1.1 lsprotocol==2025.0.0

echo "-- end-to-end tests"
"$venv/bin/python" -m pytest tests/lsp -q -p no:cacheprovider
