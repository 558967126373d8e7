"""govreport corpus and parse_many: order, failures, dead workers, outputs, resume, the CLI."""

from __future__ import annotations

import csv
import itertools
import json
import multiprocessing
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import synth

import govreport
from govreport import corpus
from govreport.cli import main

COMBOS = [("pipe_rows", "2021"), ("tab_cells", "2019"), ("tab_rows", "2021"),
          ("pipe_cells", "2019"), ("prose", "freeform")]
needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="the dead-worker tests patch the parser in forked workers")


def write_reports(directory: Path, n: int, *, start: int = 0) -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(start, start + n):
        layout, template = COMBOS[i % len(COMBOS)]
        text, _ = synth.generate(i, layout, template)
        path = directory / f"r{i:03d}.txt"
        path.write_text(text, encoding="utf-8")
        names.append(str(path))
    return names


@pytest.fixture
def reports(tmp_path: Path) -> list[str]:
    return write_reports(tmp_path / "reports", 6)


@pytest.fixture
def mixed(tmp_path: Path, reports: list[str]) -> list[str]:
    """Good reports with a binary, an empty and a missing file among them."""
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (bad / "empty.txt").write_bytes(b"")
    return [reports[0], str(bad / "binary.txt"), reports[1], str(bad / "empty.txt"),
            str(tmp_path / "missing.txt"), *reports[2:]]


# --------------------------------------------------------------------------- inputs


def test_iter_files_walks_directories_and_globs(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / ".hidden").mkdir()
    for name in ("a/2.txt", "a/1.TXT", "a/b/3.html", "a/b/4.docx", "a/b/5.pdf", "a/notes.md",
                 "a/.hidden/6.txt", "top.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    walked = list(corpus.iter_files([tmp_path / "a"]))
    assert [Path(p).relative_to(tmp_path).as_posix() for p in walked] == [
        "a/1.TXT", "a/2.txt", "a/b/3.html", "a/b/4.docx", "a/b/5.pdf"]
    globbed = list(corpus.iter_files([str(tmp_path / "**" / "*.txt")]))
    assert [Path(p).relative_to(tmp_path).as_posix() for p in globbed] == ["a/2.txt", "top.txt"]
    # each file once; a file named outright is kept even when missing; empty patterns reported
    nothing: list[str] = []
    named = list(corpus.iter_files(
        [str(tmp_path / "top.txt"), str(tmp_path / "*.txt"), str(tmp_path / "gone.txt"),
         str(tmp_path / "*.nope")], on_nothing=nothing.append))
    assert named == [str(tmp_path / "top.txt"), str(tmp_path / "gone.txt")]
    # *.txt names top.txt, read once already: not "nothing there"
    assert nothing == [str(tmp_path / "*.nope")]


# --------------------------------------------------------------------------- parse_many


def test_parse_many_keeps_input_order(tmp_path: Path) -> None:
    names = write_reports(tmp_path, 24)
    shuffled = names[::2] + names[1::2]
    results = list(govreport.parse_many(shuffled, workers=2, batch_size=1, window=3))
    assert [r.path for r in results] == shuffled
    assert all(r.ok and r.report is not None for r in results)
    assert results[0].report == govreport.parse_file(shuffled[0])
    assert results[0].report.source == shuffled[0]


def test_parse_many_records_bad_files_and_goes_on(mixed: list[str]) -> None:
    for workers in (0, 2):
        results = list(govreport.parse_many(mixed, workers=workers))
        assert [r.path for r in results] == mixed
        assert [r.status for r in results] == ["ok", "error", "ok", "error", "error",
                                               "ok", "ok", "ok", "ok"]
        assert "binary" in (results[1].error or "")
        assert "empty" in (results[3].error or "")
        assert "no such file" in (results[4].error or "")
        assert results[1].report is None and results[1].diagnostics == 0


def test_parse_many_is_lazy_and_bounded(reports: list[str]) -> None:
    taken: list[str] = []

    def feed() -> Iterator[str]:
        for name in itertools.cycle(reports):
            taken.append(name)
            yield name

    results = govreport.parse_many(feed(), workers=1, batch_size=2, window=3)
    first = [next(results) for _ in range(5)]
    results.close()  # type: ignore[attr-defined]
    assert all(r.ok for r in first)
    assert len(taken) <= 5 + 2 * 3 + 2  # what was yielded plus one window of tasks


def test_an_exception_is_a_crash_not_a_stop(monkeypatch: pytest.MonkeyPatch,
                                            reports: list[str]) -> None:
    real = corpus.parse_file

    def flaky(path: str, **kwargs: Any) -> govreport.Report:
        if path == reports[2]:
            raise RuntimeError("boom")
        return real(path, **kwargs)

    monkeypatch.setattr(corpus, "parse_file", flaky)
    for workers in (0, 2):
        results = list(govreport.parse_many(reports, workers=workers))
        assert [r.status for r in results] == ["ok", "ok", "crash", "ok", "ok", "ok"]
        assert results[2].error == "internal error: RuntimeError: boom"


@needs_fork
def test_a_worker_that_dies_is_recorded_and_replaced(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    names = write_reports(tmp_path, 12)
    real = corpus.parse_file
    doomed = {names[3], names[9]}

    def deadly(path: str, **kwargs: Any) -> govreport.Report:
        if path in doomed:
            os._exit(7)
        return real(path, **kwargs)

    monkeypatch.setattr(corpus, "parse_file", deadly)
    results = list(govreport.parse_many(names, workers=2, batch_size=3))
    assert [r.path for r in results] == names
    died = [r.path for r in results if r.status == "died"]
    assert set(died) == doomed  # the batch-mates were retried alone and parsed
    assert all(r.ok for r in results if r.path not in doomed)
    assert "worker process died" in (results[3].error or "")


# --------------------------------------------------------------------------- outputs


def test_jsonl_records(tmp_path: Path, mixed: list[str]) -> None:
    out = tmp_path / "out.jsonl"
    summary = corpus.run(mixed, str(out), workers=2, progress=False)
    assert summary.counts == {"ok": 6, "error": 3} and summary.failed == 3
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["file"] for r in records] == mixed
    first = records[0]
    report = govreport.parse_file(mixed[0])
    assert first["status"] == "ok" and first["error"] is None
    assert (first["agency"], first["year"], first["template"], first["layout"]) == (
        report.agency, report.year, report.template, report.layout)
    assert first["diagnostics"] == len(report.diagnostics)
    flat = govreport.flatten(report)
    assert first["values"] == {k: str(v) if isinstance(v, Decimal) else v
                               for k, v in flat.items()}
    assert records[1]["status"] == "error" and records[1]["values"] == {}
    assert "binary" in records[1]["error"]


def test_csv_long_form(tmp_path: Path, mixed: list[str]) -> None:
    out = tmp_path / "out.csv"
    corpus.run(mixed, str(out), workers=0, progress=False)
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["file", "key", "value"]
    by_file: dict[str, dict[str, str]] = {}
    for name, key, value in rows[1:]:
        by_file.setdefault(name, {})[key] = value
    assert list(by_file) == mixed
    report = govreport.parse_file(mixed[2])
    got = by_file[mixed[2]]
    for key, value in govreport.flatten(report).items():
        assert got[key] == ("" if value is None else str(value))
    assert got["status"] == "ok" and got["template"] == report.template
    assert by_file[mixed[3]]["status"] == "error" and "empty" in by_file[mixed[3]]["error"]
    statuses = [r for r in rows[1:] if r[1] == "status"]
    assert len(statuses) == len(mixed)
    # the status row closes each file's rows
    last = {name: i for i, (name, _, _) in enumerate(rows)}
    assert all(rows[last[name]][1] == "status" for name in mixed)


def test_parquet_rows(tmp_path: Path, mixed: list[str]) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "out.parquet"
    corpus.run(mixed, str(out), workers=2, progress=False, row_group=4)
    parquet = pq.ParquetFile(out)
    assert parquet.num_row_groups == 3
    table = parquet.read()
    assert table.column_names == list(corpus.columns())
    rows = table.to_pylist()
    assert [r["file"] for r in rows] == mixed
    for row, name in zip(rows, mixed, strict=True):
        if row["status"] != "ok":
            continue
        flat = govreport.flatten(govreport.parse_file(name))
        for key, value in flat.items():
            expected = float(value) if isinstance(value, Decimal) else value
            assert row[key] == expected, key
    assert rows[1]["status"] == "error" and rows[1]["year"] is None


# --------------------------------------------------------------------------- resume


def test_resume_jsonl_after_a_killed_run(tmp_path: Path, reports: list[str]) -> None:
    out = tmp_path / "out.jsonl"
    corpus.run(reports[:3], str(out), workers=0, progress=False)
    with out.open("a", encoding="utf-8") as f:
        f.write('{"file": "' + reports[3] + '", "sta')  # a record cut short
    summary = corpus.run([str(tmp_path / "reports")], str(out), workers=2, resume=True,
                         progress=False)
    assert summary.skipped == 3 and summary.total == 3
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["file"] for r in records] == reports
    again = corpus.run([str(tmp_path / "reports")], str(out), resume=True, progress=False)
    assert again.total == 0 and again.skipped == 6


def test_resume_csv_drops_a_partial_file(tmp_path: Path, reports: list[str]) -> None:
    out = tmp_path / "out.csv"
    corpus.run(reports[:2], str(out), workers=0, progress=False)
    complete = out.read_text("utf-8")
    with out.open("a", encoding="utf-8") as f:
        f.write(f"{reports[2]},proactive.rules.issued,3\n{reports[2]},proac")
    summary = corpus.run(reports, str(out), workers=0, resume=True, progress=False)
    assert summary.skipped == 2 and summary.total == 4
    text = out.read_text("utf-8")
    assert text.startswith(complete) and text.count("file,key,value") == 1
    rows = list(csv.reader(text.splitlines()))[1:]
    assert [r[0] for r in rows if r[1] == "status"] == reports
    assert len([r for r in rows if r[0] == reports[2] and r[1] == "proactive.rules.issued"]) == 1


def test_resume_parquet(tmp_path: Path, reports: list[str]) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "out.parquet"
    corpus.run(reports[:4], str(out), workers=0, progress=False)
    summary = corpus.run(reports, str(out), workers=0, resume=True, progress=False)
    assert summary.skipped == 4 and summary.total == 2
    assert pq.read_table(out).column("file").to_pylist() == reports
    assert not (tmp_path / "out.parquet.partial").exists()


def test_resume_refuses_an_output_that_is_not_ours(tmp_path: Path,
                                                   reports: list[str]) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("hello\n", encoding="utf-8")
    with pytest.raises(govreport.InputError, match="not a JSON record"):
        corpus.run(reports, str(out), resume=True, progress=False)


# --------------------------------------------------------------------------- CLI


def test_cli_completes_despite_failures(tmp_path: Path, mixed: list[str],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["corpus", *mixed, "-o", str(out), "-j", "2"]) == 1  # the run completes: 1
    err = capsys.readouterr().err
    assert "6 ok, 3 failed (3 error)" in err and "files/s" in err
    assert f"govreport: {mixed[1]}: binary data, not text (error)" in err
    assert "Traceback" not in err
    assert len(out.read_text("utf-8").splitlines()) == 9
    assert main(["corpus", *mixed, "-o", str(out), "--strict", "--force"]) == 1
    capsys.readouterr()


def test_cli_walks_directories_and_globs(tmp_path: Path, reports: list[str],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.csv"
    pattern = str(tmp_path / "**" / "r00[0-2].txt")
    assert main(["corpus", pattern, str(tmp_path / "reports"), "-o", str(out),
                 "-j", "0", "--no-progress"]) == 0
    rows = list(csv.reader(out.read_text("utf-8").splitlines()))
    assert [r[0] for r in rows if r[1] == "status"] == reports
    assert "6 ok, 0 failed" in capsys.readouterr().err


def test_cli_usage_and_input_errors(tmp_path: Path, reports: list[str],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["corpus", *reports, "--format", "parquet"]) == 2
    assert "give -o OUT" in capsys.readouterr().err
    assert main(["corpus", *reports, "--resume"]) == 2
    assert main(["corpus", *reports, "-j", "-1"]) == 2
    capsys.readouterr()
    assert main(["corpus", str(tmp_path / "empty-dir*"), "-o", str(tmp_path / "o.jsonl")]) == 1
    assert "no report files found" in capsys.readouterr().err
    assert main(["corpus", *reports, "-o", str(tmp_path / "no" / "dir" / "o.jsonl")]) == 1
    err = capsys.readouterr().err
    assert "cannot write" in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_cli_stdout_and_progress(reports: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    assert main(["corpus", *reports, "-j", "0", "--progress"]) == 0
    captured = capsys.readouterr()
    assert [json.loads(line)["file"] for line in captured.out.splitlines()] == reports
    assert "files/s" in captured.err and "6/6" in captured.err
