#!/usr/bin/env bash
# The chain diagrams through the tools that draw them: every Mermaid block of `--format markdown`
# parsed by Mermaid itself (mermaid.parse under jsdom, from npm) and rendered to SVG by mermaid-cli
# in Debian's Chromium, every `--format dot` output read by Graphviz `dot`. Checked: the demo,
# names made of quotes, brackets and unicode (testdata/report/hostile_names), every rule fixture
# folder, the Markdown and DOT snapshots the tests compare against (tests/snapshots), and the
# README's example. Run from .ci/run; needs Node and npm (the npm registry), Graphviz for the DOT
# half and Chromium for rendering (both installed with apt-get when running as root, else
# skipped, saying so).
set -euo pipefail
cd "$(dirname "$0")/.."

MERMAID_VERSION=11.12.3
JSDOM_VERSION=26.1.0
cache=target/ci/mermaid
out=target/ci/diagrams
rm -rf "$out"
mkdir -p "$cache" "$out"

installed() {
    node -p "require('./$cache/node_modules/$1/package.json').version" 2>/dev/null || true
}
if [ "$(installed mermaid)" != "$MERMAID_VERSION" ] || [ "$(installed jsdom)" != "$JSDOM_VERSION" ]; then
    echo "installing mermaid@$MERMAID_VERSION and jsdom@$JSDOM_VERSION into $cache"
    npm install --prefix "$cache" --no-audit --no-fund --no-save --loglevel=error \
        "mermaid@$MERMAID_VERSION" "jsdom@$JSDOM_VERSION" >/dev/null
fi
# An ES module resolves packages from its own folder: run the parser from the cache.
cp .ci/mermaid-parse.mjs "$cache/"

cargo build --quiet
acrlint="$PWD/target/debug/acrlint"

# acrlint exits 1 when it reports findings: only 0 and 1 are expected.
run() {
    local dir=$1 format=$2 file=$3 status=0
    (cd "$dir" && "$acrlint" check . --format "$format") >"$file" || status=$?
    if [ "$status" -gt 1 ]; then
        echo "acrlint exited $status in $dir (--format $format)" >&2
        exit 1
    fi
}

n=0
targets=(testdata/demo testdata/report/hostile_names)
while IFS= read -r dir; do targets+=("$dir"); done < <(find testdata/rules -mindepth 3 -maxdepth 3 -type d | sort)
for dir in "${targets[@]}"; do
    n=$((n + 1))
    run "$dir" markdown "$out/$n.md"
    run "$dir" dot "$out/$n.dot"
    # Only reports with a chain have a diagram to check.
    grep -q '^```mermaid$' "$out/$n.md" || rm "$out/$n.md"
done
# The snapshots: strip insta's header (up to the second `---` line).
for snap in tests/snapshots/*.snap; do
    case "$snap" in
    *markdown*.snap) awk 'h >= 2 { print } /^---$/ && h < 2 { h++ }' "$snap" >"$out/$(basename "$snap" .snap).md" ;;
    *dot*.snap) awk 'h >= 2 { print } /^---$/ && h < 2 { h++ }' "$snap" >"$out/$(basename "$snap" .snap).dot" ;;
    esac
done

echo "-- Mermaid"
node "$cache/mermaid-parse.mjs" "$out"/*.md README.md

echo "-- Graphviz"
if ! command -v dot >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing graphviz with apt-get"
        apt-get install -y --no-install-recommends graphviz >/dev/null 2>&1 ||
            { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends graphviz >/dev/null 2>&1; } || true
    fi
fi
if command -v dot >/dev/null; then
    checked=0
    for file in "$out"/*.dot; do
        # An error exits non-zero; a warning (a syntax ambiguity) is a failure too.
        if ! errors=$(dot -Tsvg "$file" 2>&1 >/dev/null) || [ -n "$errors" ]; then
            echo "$file: dot: $errors" >&2
            exit 1
        fi
        checked=$((checked + 1))
    done
    echo "$(dot -V 2>&1): $checked DOT file(s) read without error or warning"
else
    echo "Graphviz is not installed and could not be installed here: DOT output NOT validated"
fi

echo "-- Mermaid, rendered"
# Parsing says the text is Mermaid; rendering (mermaid-cli driving Debian's Chromium; puppeteer
# cannot download a browser here) says it draws. Every block of every report goes into one
# Markdown file, so that one browser renders them all.
MERMAID_CLI_VERSION=11.17.0
chromium=$(command -v chromium || true)
if [ -z "$chromium" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing chromium with apt-get"
    apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 ||
        { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends chromium >/dev/null 2>&1; } || true
    chromium=$(command -v chromium || true)
fi
if [ -n "$chromium" ]; then
    if [ "$(installed @mermaid-js/mermaid-cli)" != "$MERMAID_CLI_VERSION" ]; then
        echo "installing @mermaid-js/mermaid-cli@$MERMAID_CLI_VERSION into $cache"
        PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix "$cache" --no-audit --no-fund --no-save \
            --loglevel=error "@mermaid-js/mermaid-cli@$MERMAID_CLI_VERSION" \
            "mermaid@$MERMAID_VERSION" "jsdom@$JSDOM_VERSION" >/dev/null
    fi
    rendered="$out/rendered"
    mkdir -p "$rendered"
    # Headless, and none of Chromium's own network traffic (this machine's network is closed).
    cat >"$rendered/puppeteer.json" <<JSON
{"executablePath": "$chromium", "args": ["--no-sandbox", "--headless", "--disable-gpu",
 "--disable-quic", "--no-first-run", "--disable-background-networking",
 "--disable-component-update", "--disable-sync"]}
JSON
    awk '/^```mermaid$/ { print; f = 1; next } f { print } /^```$/ && f { f = 0; print "" }' \
        "$out"/*.md README.md >"$rendered/all.md"
    blocks=$(grep -c '^```mermaid$' "$rendered/all.md")
    "$cache/node_modules/.bin/mmdc" --quiet -p "$rendered/puppeteer.json" \
        -i "$rendered/all.md" -o "$rendered/all-out.md" >"$rendered/mmdc.log" 2>&1 ||
        { cat "$rendered/mmdc.log" >&2; echo "mermaid-cli failed" >&2; exit 1; }
    svgs=$(find "$rendered" -name 'all-out-*.svg' | wc -l)
    [ "$svgs" -eq "$blocks" ] || { echo "$blocks Mermaid blocks, but $svgs SVG files drawn" >&2; exit 1; }
    # Mermaid draws a diagram it cannot read as a picture of the error: none may be one.
    if grep -l -e 'Syntax error' -e 'aria-roledescription="error"' "$rendered"/all-out-*.svg >&2; then
        echo "Mermaid drew an error diagram for the files above" >&2
        exit 1
    fi
    echo "mermaid-cli $MERMAID_CLI_VERSION with $("$chromium" --version 2>/dev/null | head -n 1): $svgs diagram(s) rendered to SVG"
else
    echo "Chromium is not installed and could not be installed here: Mermaid blocks parsed but NOT rendered"
fi
