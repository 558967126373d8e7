"""Corpus benchmarks: per-report parse time against the floor, and ``corpus`` throughput.

1. Every report of ``shared/corpus/seeds`` and ``shared/corpus/extra`` (text, web
   page, Word, PDF) is parsed with ``parse_file``; pytest-benchmark gives each one's
   median, ``extra_info`` its p95. The floor of ``test_parse.py`` (NFKC, split
   lines, one regex pass) is measured on each text file right after its parse. The
   target: a typical report (the median of the ratios) parses in at most 5× its
   floor.
2. ``corpus`` throughput: N synthetic reports (random valid reports in every text
   layout, with random values, written once per session) go through the function
   behind ``govreport corpus`` (JSONL output) with 1 and 2 workers, each run in a
   fresh Python process so its peak RSS (main process, and the largest worker)
   is its own. Targets: at least 1.8× from 1 to 2 workers; the peak RSS at
   10 000 reports within 10 % of that at 1 000.

N is ``GOVREPORT_BENCH_N`` (default ``1000,10000``), the worker counts
``GOVREPORT_BENCH_WORKERS`` (default ``1,2``). The figures are printed at the
end of the run; nothing is asserted about them, since they depend on the machine.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import synth

import govreport

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
NS = [int(n) for n in os.environ.get("GOVREPORT_BENCH_N", "1000,10000").split(",") if n]
WORKERS = [int(w) for w in os.environ.get("GOVREPORT_BENCH_WORKERS", "1,2").split(",") if w]
COMBOS = [(layout, template) for layout in synth.LAYOUTS for template in synth.TEMPLATES
          if (layout == "prose") == (template == "freeform")]

PARSE: dict[str, tuple[float, float]] = {}  # name -> (median, p95) seconds
FLOOR: dict[str, float] = {}
SIZES: dict[str, int] = {}  # name -> bytes
RUNS: dict[tuple[int, int], dict[str, float]] = {}


def real_reports() -> list[Path]:
    found: list[Path] = []
    for sub in ("seeds", "extra"):
        d = CORPUS / sub
        if d.is_dir():
            found += sorted(p for p in d.iterdir()
                            if p.suffix.lower() in (".txt", ".html", ".docx", ".pdf"))
    return found


def label(path: Path) -> str:
    return f"{path.parent.name[0]}/{path.name.split('_')[0]}{path.suffix}"


_NUMBERS = re.compile(r"\d+(?:\.\d+)?")


def floor(text: str) -> int:
    """Normalise, split lines, one regex pass: as ``test_parse.floor``."""
    normal = unicodedata.normalize("NFKC", text)
    lines = normal.split("\n")
    return len(lines) + len(_NUMBERS.findall(normal))


def _p95(data: list[float]) -> float:
    ordered = sorted(data)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _rounds(seconds: float) -> int:
    return max(5, min(200, int(0.5 / max(seconds, 1e-6))))


def _timed(fn: Any, *args: Any) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


PATHS = real_reports()


# A report's floor is taken right after its parse, so a machine whose speed
# drifts during the run (a shared host) skews their ratio the least.
CASES = [(path, kind) for path in PATHS
         for kind in (("parse", "floor") if path.suffix == ".txt" else ("parse",))]


@pytest.mark.parametrize(("path", "kind"), CASES,
                         ids=[f"{label(p)}-{kind}" for p, kind in CASES])
def test_report(benchmark: Any, path: Path, kind: str) -> None:
    benchmark.group = f"report {kind}"
    if kind == "floor":
        raw = path.read_bytes()
        SIZES[label(path)] = len(raw)
        text = govreport.decode(raw)
        one = _timed(floor, text)
        assert benchmark.pedantic(floor, (text,), rounds=_rounds(one), warmup_rounds=1) > 0
        if benchmark.stats is not None:  # None under --benchmark-disable
            FLOOR[label(path)] = statistics.median(benchmark.stats.stats.data)
        return
    _timed(govreport.parse_file, path)  # builds the cached parsers
    one = _timed(govreport.parse_file, path)
    report = benchmark.pedantic(govreport.parse_file, (path,), rounds=_rounds(one),
                                warmup_rounds=1)
    assert report.layout
    if benchmark.stats is not None:
        times = list(benchmark.stats.stats.data)
        PARSE[label(path)] = (statistics.median(times), _p95(times))
        benchmark.extra_info["p95_ms"] = round(_p95(times) * 1e3, 3)


def test_report_summary(note: Any) -> None:
    """After the two above: median and p95 over the reports, and the ratio to the floor."""
    if not PARSE:
        pytest.skip("no timings (no ../shared corpus, or benchmarks disabled)")
    medians = [m for m, _ in PARSE.values()]
    ratios = sorted(PARSE[n][0] / FLOOR[n] for n in FLOOR if n in PARSE)
    lines = [f"per-report parse over {len(PARSE)} reports: median "
             f"{statistics.median(medians) * 1e3:.2f} ms, p95 {_p95(medians) * 1e3:.2f} ms "
             "(of the per-report medians)"]
    if ratios:
        lines.append(f"parse/floor over {len(ratios)} text reports: typical (median) "
                     f"{statistics.median(ratios):.1f}x, p95 {_p95(ratios):.1f}x, "
                     f"max {ratios[-1]:.1f}x (target: typical <= 5x)")
        # A parse has a fixed cost (~0.15 ms) that a 2 KB text's floor (~0.02 ms)
        # does not: the ratio depends on size, so it is shown by size too.
        # The corpus's E* files are excerpts cut at 2 KB, not whole reports.
        for name, keep in (("under 4 KB", lambda n: SIZES[n] < 4096),
                           ("4 KB and over", lambda n: SIZES[n] >= 4096),
                           ("whole reports (E* excerpts left out)",
                            lambda n: not n.split("/")[-1].startswith("E"))):
            part = sorted(PARSE[n][0] / FLOOR[n] for n in FLOOR if n in PARSE and keep(n))
            if part:
                lines.append(f"  {name}: {len(part)} reports, median "
                             f"{statistics.median(part):.1f}x, min {part[0]:.1f}x, "
                             f"max {part[-1]:.1f}x")
    for name in sorted(PARSE):
        med, p95 = PARSE[name]
        ratio = f"  {med / FLOOR[name]:6.1f}x floor" if name in FLOOR else ""
        lines.append(f"  {name:>14}  median {med * 1e3:8.3f} ms  p95 {p95 * 1e3:8.3f} ms{ratio}")
    note(lines)


# --------------------------------------------------------------------------- corpus throughput


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """max(N) random valid reports, every text layout and template in turn, written once."""
    directory = tmp_path_factory.mktemp("synthetic")
    names = []
    for i in range(max(NS, default=0)):
        layout, template = COMBOS[i % len(COMBOS)]
        text, _ = synth.generate(10_000 + i, layout, template, blanks=i % 7 == 0)
        path = directory / f"{i // 1000:02d}" / f"r{i:05d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        names.append(str(path))
    return names


_DRIVER = """
import json, resource, sys
from govreport import corpus

UNIT = 1024.0 if sys.platform != "darwin" else 1024.0 ** 2  # ru_maxrss: KiB, macOS bytes

def peak_mib():
    # VmHWM: this process's own high-water mark; ru_maxrss would carry the RSS of
    # the pytest process this one was started from across exec.
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / UNIT

files = open(sys.argv[1], encoding="utf-8").read().split("\\n")
summary = corpus.run(files, sys.argv[2], workers=int(sys.argv[3]), progress=False)
# the workers are forked from this process and reaped when the pool shuts down
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": summary.seconds, "ok": summary.counts.get("ok", 0),
                  "total": summary.total, "rss_main_mib": peak_mib(),
                  "rss_worker_mib": children / UNIT}))
"""


def _corpus_run(listing: Path, out: Path, workers: int) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", _DRIVER, str(listing), str(out), str(workers)],
                          capture_output=True, text=True, check=True, cwd=out.parent)
    result: dict[str, float] = json.loads(done.stdout)
    return result


@pytest.mark.skipif(sys.platform == "win32", reason="peak RSS from the resource module")
@pytest.mark.parametrize("workers", WORKERS, ids=[f"{w}w" for w in WORKERS])
@pytest.mark.parametrize("n", NS, ids=[f"n{n}" for n in NS])
def test_corpus_throughput(benchmark: Any, synthetic: list[str], tmp_path: Path,
                           n: int, workers: int) -> None:
    benchmark.group = f"corpus n={n}"
    listing = tmp_path / "files.txt"
    listing.write_text("\n".join(synthetic[:n]), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run = benchmark.pedantic(_corpus_run, (listing, out, workers), rounds=1, iterations=1)
    assert run["total"] == n
    assert run["ok"] == n, "synthetic reports are valid"
    run["files_per_s"] = n / run["seconds"]
    RUNS[(n, workers)] = run
    benchmark.extra_info.update({k: round(v, 2) for k, v in run.items()})


def test_corpus_summary(note: Any) -> None:
    """After the runs above: speed-up from 1 to 2 workers, and RSS against N."""
    if not RUNS:
        pytest.skip("no corpus runs")
    lines = []
    for (n, w), run in sorted(RUNS.items()):
        lines.append(f"corpus n={n:>6} workers={w}: {run['files_per_s']:7.1f} files/s "
                     f"({run['seconds']:.1f} s), peak RSS main {run['rss_main_mib']:.0f} MiB, "
                     f"largest worker {run['rss_worker_mib']:.0f} MiB")
    for n in NS:
        if (n, 1) in RUNS and (n, 2) in RUNS:
            gain = RUNS[(n, 2)]["files_per_s"] / RUNS[(n, 1)]["files_per_s"]
            lines.append(f"corpus n={n}: 2 workers / 1 worker = {gain:.2f}x (target >= 1.8x)")
    if len(NS) > 1:
        small, large = min(NS), max(NS)
        for w in WORKERS:
            if (small, w) in RUNS and (large, w) in RUNS:
                for kind in ("rss_main_mib", "rss_worker_mib"):
                    ratio = RUNS[(large, w)][kind] / RUNS[(small, w)][kind]
                    lines.append(f"corpus workers={w}: {kind[4:-4]} peak RSS n={large} / "
                                 f"n={small} = {ratio:.3f} (target <= 1.10)")
    note(lines)


class _Notes:
    """A plugin registered at run time: prints the summaries after pytest-benchmark's tables."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        terminalreporter.section("corpus benchmarks (this run)")
        for line in self.lines:
            terminalreporter.write_line(line)


@pytest.fixture
def note(request: pytest.FixtureRequest) -> Any:
    manager = request.config.pluginmanager
    notes = manager.get_plugin("govreport-corpus-notes")
    if notes is None:
        notes = _Notes()
        manager.register(notes, "govreport-corpus-notes")
    return notes.lines.extend
