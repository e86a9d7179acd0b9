#!/usr/bin/env bash
# Validate SARIF logs with Microsoft's SARIF multitool, failing on any error or warning.
#
#   .ci/sarif-validate.sh FILE.sarif...
#
# The tool is installed with npm into .ci/tools (once; set SARIF_MULTITOOL_VERSION to change the
# pinned version). Its npm package bundles a self-contained Linux/macOS/Windows build, so no
# .NET runtime is needed. `validate` exits 0 even when it reports warnings, so this script reads
# the tool's own SARIF output and counts the error and warning results and notifications.
# SARIF_VALIDATE_ALLOW names validator rules (comma-separated, for example SARIF2005) whose results
# are shown but not counted; the caller says why.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 FILE.sarif..." >&2
    exit 2
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prefix="$here/tools"
version="${SARIF_MULTITOOL_VERSION:-5.7.0}"
package_dir="$prefix/node_modules/@microsoft/sarif-multitool"

if [ ! -f "$package_dir/package.json" ] ||
    ! grep -q "\"version\": \"$version\"" "$package_dir/package.json"; then
    npm install --prefix "$prefix" --no-save --no-audit --no-fund \
        "@microsoft/sarif-multitool@$version" >&2
fi

# The platform binary is installed by an optional dependency whose postinstall only sets the
# executable bit; npm may skip install scripts, so set it here.
platform="$(node -p 'process.platform')"
binary="$prefix/node_modules/@microsoft/sarif-multitool-$platform/Sarif.Multitool"
[ "$platform" = win32 ] && binary="$binary.exe"
if [ ! -f "$binary" ]; then
    echo "sarif-validate: no multitool binary for platform '$platform' at $binary" >&2
    exit 2
fi
chmod u+x "$binary"

# The multitool is a .NET app; without ICU libraries it needs invariant globalization.
if ! ldconfig -p 2>/dev/null | grep -q libicu; then
    export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
fi

status=0
workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
for file in "$@"; do
    if [ ! -f "$file" ]; then
        echo "sarif-validate: $file: no such file" >&2
        status=1
        continue
    fi
    out="$workdir/validation.sarif"
    rm -f "$out"
    if ! "$binary" validate "$file" --output "$out" --log ForceOverwrite; then
        echo "sarif-validate: $file: the validator failed" >&2
        status=1
        continue
    fi
    # Count every error or warning the validator reported, as results (a result without a level
    # is a warning) or as notifications (for example a file that is not JSON).
    if ! node - "$out" "$file" "${SARIF_VALIDATE_ALLOW:-}" <<'EOF'
const fs = require('fs');
const [out, file, allowList] = process.argv.slice(2);
const allowed = new Set((allowList || '').split(',').filter(Boolean));
const log = JSON.parse(fs.readFileSync(out, 'utf8'));
const bad = (level) => level === undefined || level === 'error' || level === 'warning';
let problems = 0;
for (const run of log.runs || []) {
  for (const r of run.results || []) {
    if (bad(r.level) && (r.kind === undefined || r.kind === 'fail')) {
      if (allowed.has(r.ruleId)) {
        console.error(`${file}: allowed ${r.ruleId}: ${(r.message && r.message.text) || JSON.stringify(r.message)}`);
        continue;
      }
      problems++;
      console.error(`${file}: ${r.level || 'warning'} ${r.ruleId}: ${(r.message && r.message.text) || JSON.stringify(r.message)}`);
    }
  }
  for (const inv of run.invocations || []) {
    if (inv.executionSuccessful === false) {
      problems++;
      console.error(`${file}: the validator did not run successfully`);
    }
    for (const n of [...(inv.toolExecutionNotifications || []), ...(inv.toolConfigurationNotifications || [])]) {
      if (n.level === 'error' || n.level === 'warning') {
        problems++;
        console.error(`${file}: ${n.level}: ${n.message && n.message.text}`);
      }
    }
  }
}
if (problems > 0) {
  console.error(`${file}: ${problems} validation problem(s)`);
  process.exit(1);
}
console.error(`${file}: valid SARIF, no errors or warnings`);
EOF
    then
        status=1
    fi
done
exit "$status"
