"""Time and peak memory of each hostile input of issue 19 (tests/hostile.py), one process each.

Usage::

    python benchmarks/hostile_figures.py [TREE ...]

For each source tree (default: this one) every attack is parsed in a fresh
subprocess with that tree first on ``PYTHONPATH``, under an address-space cap
(``--as-bytes``, default 6 GB) and a wall-clock timeout (``--timeout``, default
120 s), so a bomb cannot take the machine down. Prints a Markdown table: wall
time, peak RSS of the process (``ru_maxrss``, building the input included) and
what came back. Giving the base commit's tree as a second argument gives the
before/after table of the issue's closing note.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent

_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
import hostile, govreport
assert govreport.__file__.startswith(sys.argv[3]), govreport.__file__
data = hostile.ATTACKS[sys.argv[1]]()
start = time.perf_counter()
try:
    report = govreport.parse(data)
except govreport.GovReportError as e:
    outcome = f"{type(e).__name__}: {str(e)[:90]}"
except MemoryError:
    outcome = "MemoryError"
else:
    right, total = hostile.count_values(report)
    codes = sorted({d.code for d in report.diagnostics} - {"no-title", "no-metadata"})
    outcome = f"Report, {right}/{total} values" + (f", {', '.join(codes)}" if codes else "")
seconds = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "rss": rss, "outcome": outcome}))
"""


def measure(tree: Path, name: str, timeout: float, as_bytes: int) -> dict[str, object]:
    """Parse attack ``name`` with the govreport of ``tree``; seconds, peak RSS and outcome."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (as_bytes, as_bytes))

    env = {"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"}
    try:
        command = [sys.executable, "-c", _CHILD, name, str(HERE / "tests"), str(tree.resolve())]
        proc = subprocess.run(command,
                              capture_output=True, text=True, timeout=timeout, env=env,
                              cwd=tree, preexec_fn=cap, check=False)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "rss": None, "outcome": f"killed after {timeout:.0f} s"}
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {"seconds": None, "rss": None, "outcome": f"crashed: {last[:90]}"}
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _cell(result: dict[str, object]) -> str:
    seconds, rss = result["seconds"], result["rss"]
    if not isinstance(seconds, float) or not isinstance(rss, int):
        return f"– | – | {result['outcome']}"
    return f"{seconds:.2f} s | {rss / 1e6:,.0f} MB | {result['outcome']}"


def main() -> None:
    """Measure every attack in every tree given and print the table."""
    sys.path.insert(0, str(HERE / "tests"))
    import hostile

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("trees", nargs="*", type=Path, default=[HERE])
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--as-bytes", type=int, default=6_000_000_000)
    parser.add_argument("--only", default="", help="attacks whose name holds this text")
    args = parser.parse_args()
    names = [n for n in hostile.ATTACKS if args.only in n]
    header = " | ".join(f"time | peak RSS | result ({tree})" for tree in args.trees)
    print(f"| attack | {header} |")
    print("|---" * (1 + 3 * len(args.trees)) + "|", flush=True)
    for name in names:
        cells = [_cell(measure(tree, name, args.timeout, args.as_bytes)) for tree in args.trees]
        print(f"| {name} | {' | '.join(cells)} |", flush=True)


if __name__ == "__main__":
    main()
