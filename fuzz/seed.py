#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, made from the fixtures under testdata/ (so nothing is
committed twice and new fixtures seed the fuzzer by themselves).

    python3 fuzz/seed.py [CORPUS_ROOT]      # default: fuzz/corpus

Writes CORPUS_ROOT/<target>/<sha1 of the input>, libFuzzer's own naming, so that running it again
over a corpus the fuzzer has grown adds nothing twice.
"""

import hashlib
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTDATA = os.path.join(ROOT, "testdata")
# Seeds larger than this only slow libFuzzer down (it mutates small inputs best); no fixture of
# interest is near it.
MAX_SEED = 64 * 1024


def files():
    for folder, dirs, names in os.walk(TESTDATA):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                yield path, f.read()


def arm_strings(value, out):
    """The expressions in a template: JSON strings in brackets, without the brackets."""
    if isinstance(value, str):
        if len(value) > 2 and value.startswith("[") and value.endswith("]") and not value.startswith("[["):
            out.append(value[1:-1])
    elif isinstance(value, list):
        for v in value:
            arm_strings(v, out)
    elif isinstance(value, dict):
        for k, v in value.items():
            arm_strings(k, out)
            arm_strings(v, out)


# One-line attribute values (`name = <expression>`), the HCL expressions that fit on a line.
HCL_ATTR = re.compile(rb"^\s*[A-Za-z_][A-Za-z0-9_-]*\s*=\s*(\S.*?)\s*$", re.M)


def pipeline_seed(folder):
    """A folder's files (and those one level down) as one pipeline input: `--- NAME` sections."""
    parts = []
    for dirpath, dirs, names in os.walk(folder):
        dirs.sort()
        rel = os.path.relpath(dirpath, folder)
        if rel.count(os.sep) > 0:
            continue
        for name in sorted(names):
            if name.endswith((".txt", ".md")) or name.startswith("."):
                continue
            with open(os.path.join(dirpath, name), "rb") as f:
                body = f.read()
            path = name if rel == "." else rel + "/" + name
            parts.append(b"--- " + path.encode() + b"\n" + body)
    return b"".join(parts)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "fuzz", "corpus")
    seeds = {t: set() for t in (
        "hcl_module", "tf_json", "tfvars", "json", "arm_template", "arm_expression",
        "hcl_expression", "pipeline", "bicep", "plan",
    )}
    for path, data in files():
        name = os.path.basename(path)
        if name.endswith(".tf.json"):
            seeds["tf_json"].add(data)
            seeds["json"].add(data)
        elif name.endswith(".tf"):
            seeds["hcl_module"].add(data)
            seeds["hcl_expression"].update(m.group(1) for m in HCL_ATTR.finditer(data))
        elif name.endswith((".bicep", ".bicepparam")):
            seeds["bicep"].add(data)
        elif name.endswith((".tfvars", ".tfvars.json")):
            seeds["tfvars"].add(data)
        elif name.endswith(".json") and b'"format_version"' in data:
            seeds["plan"].add(data)
            seeds["json"].add(data)
        elif name.endswith(".json"):
            seeds["json"].add(data)
            if b"deploymenttemplate.json" in data.lower():
                seeds["arm_template"].add(data)
            try:
                doc = json.loads(data)
            except ValueError:
                continue
            exprs = []
            arm_strings(doc, exprs)
            seeds["arm_expression"].update(e.encode() for e in exprs)
    # Every folder that holds files: a scope with its neighbours, as the pipeline meets it.
    for folder, _, names in os.walk(TESTDATA):
        if names:
            seeds["pipeline"].add(pipeline_seed(folder))
    total = 0
    for target, inputs in seeds.items():
        folder = os.path.join(out, target)
        os.makedirs(folder, exist_ok=True)
        for data in inputs:
            if not data or len(data) > MAX_SEED:
                continue
            with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as f:
                f.write(data)
            total += 1
        print(f"{target}: {len(os.listdir(folder))} inputs")
    print(f"{total} seeds written under {out}")


if __name__ == "__main__":
    main()
