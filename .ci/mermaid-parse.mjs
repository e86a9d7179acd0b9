// Parse every ```mermaid block of the Markdown files named on the command line with Mermaid
// itself (`mermaid.parse`, under jsdom): exit 1 when one does not parse, naming file and block.
// Run by .ci/diagrams.sh, which installs mermaid and jsdom from npm.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>", { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
for (const name of ["navigator", "Element", "HTMLElement", "SVGElement", "DOMParser", "Node"]) {
  if (!(name in globalThis)) globalThis[name] = dom.window[name];
}
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });

let blocks = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  const found = [...text.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)];
  if (found.length === 0) {
    console.error(`${file}: no mermaid block`);
    failed++;
  }
  for (const [i, m] of found.entries()) {
    blocks++;
    try {
      const result = await mermaid.parse(m[1]);
      if (!result || result.diagramType !== "flowchart-v2") {
        throw new Error(`parsed as ${result && result.diagramType}, not a flowchart`);
      }
    } catch (e) {
      failed++;
      console.error(`${file}: mermaid block ${i + 1} does not parse: ${e.message ?? e}`);
    }
  }
}
const { version } = createRequire(import.meta.url)("mermaid/package.json");
console.log(`mermaid ${version}: ${blocks} block(s) parsed, ${failed} failure(s)`);
process.exit(failed ? 1 : 0);
