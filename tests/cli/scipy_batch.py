"""Runs checks through one `regnet-explore stats --batch` process (shared by *_vs_scipy.py).

run(tool, work, cases, name) writes the requests of cases = [(description, request, check)] to
WORK/NAME.json, runs the tool once, calls check(result) -> (ok, why) on each result (a result
with "error" fails unless allow_error(description)), prints the failures and a summary, and
exits 1 if any failed.
"""
import json
import subprocess
import sys

import numpy as np
import scipy


def run(tool, work, cases, name="batch", allow_error=lambda desc: False):
    batch = f"{work}/{name}.json"
    with open(batch, "w") as f:
        json.dump([req for _, req, _ in cases], f)
    out = subprocess.run([tool, "stats", "--batch", batch], capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stdout, out.stderr)
        sys.exit(1)
    results = json.loads(out.stdout)
    assert len(results) == len(cases)
    failed = 0
    for (desc, _, check), r in zip(cases, results):
        ok, why = (False, r["error"]) if "error" in r and not allow_error(desc) else check(r)
        if not ok:
            failed += 1
            print(f"FAIL {desc}: {why}")
    print(f"scipy {scipy.__version__}, numpy {np.__version__}")
    print(f"{len(cases) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
