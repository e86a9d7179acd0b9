#!/usr/bin/env bash
# Install acrlint for a CI template, or find it.
#
#   ci/install.sh key SOURCE          prints a cache key: a hash of SOURCE's Cargo.lock, Cargo.toml,
#                                     src/ and rules/ (what the binary is built from) and of the
#                                     machine's system and architecture
#   ci/install.sh build SOURCE ROOT   builds SOURCE with `cargo install --locked --path` into ROOT,
#                                     unless ROOT already holds the build of the same key (a cache
#                                     the CI system restored); prints ROOT/bin
#   ci/install.sh path                checks that an `acrlint` is on PATH; prints its folder
#
# Only the folder goes to standard output (for $GITHUB_PATH and the like); cargo writes to
# standard error.
set -euo pipefail

key() {
    (cd "$1" && {
        uname -sm
        find Cargo.lock Cargo.toml src rules -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
    } | sha256sum | cut -c1-32)
}

mode=${1:-}
case "$mode" in
key)
    [ "$#" -eq 2 ] || { echo "usage: $0 key SOURCE" >&2; exit 2; }
    key "$2"
    ;;
build)
    [ "$#" -eq 3 ] || { echo "usage: $0 build SOURCE ROOT" >&2; exit 2; }
    source=$2 root=$3
    [ -f "$source/Cargo.lock" ] || { echo "acrlint: $source is not a checkout of acrlint (no Cargo.lock)" >&2; exit 2; }
    want=$(key "$source")
    if [ -x "$root/bin/acrlint" ] && [ "$(cat "$root/.acrlint-key" 2>/dev/null)" = "$want" ]; then
        echo "acrlint: using the cached build in $root ($want)" >&2
    else
        command -v cargo >/dev/null || { echo "acrlint: building needs cargo (a Rust toolchain, 1.88 or newer)" >&2; exit 2; }
        echo "acrlint: building $source into $root ($want)" >&2
        rm -rf "$root"
        mkdir -p "$root"
        cargo install --locked --path "$source" --root "$root" --force >&2
        echo "$want" >"$root/.acrlint-key"
    fi
    "$root/bin/acrlint" --version >&2
    echo "$root/bin"
    ;;
path)
    found=$(command -v acrlint) || { echo "acrlint: install is 'path' but no acrlint is on PATH" >&2; exit 2; }
    "$found" --version >&2
    dirname "$found"
    ;;
*)
    echo "usage: $0 key SOURCE | build SOURCE ROOT | path" >&2
    exit 2
    ;;
esac
