"""govreport corpus against data loss and batch failures (issue 19): every entry gets a record.

The output never replaces an input and is written through a temporary file;
names that are not UTF-8 or hold a line break are carried and resumed; a FIFO
never hangs a run; a directory that cannot be listed is recorded; SIGTERM and
SIGHUP stop a run as Ctrl-C does, without orphaned workers; a full disk is an
I/O error; a file past its time budget is recorded and the run goes on.
Runs that could hang if broken go through a subprocess with a generous
timeout, so a regression fails instead of stalling the suite.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import json
import multiprocessing
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from test_corpus import write_reports

import govreport
from govreport import corpus, records
from govreport.cli import main

ROOT = Path(__file__).resolve().parent.parent
needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="patches the parser in forked workers")
linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")
BAD = b"b\xff.txt"
BAD_SHOWN = "b\\xff.txt"

# A govreport command whose parse of each file first sleeps GOVREPORT_TEST_SLOW
# seconds, so that a run lasts long enough to be signalled.
SLOW_CLI = """
import os, sys, time
import govreport.corpus as c
real = c.parse_file
def slow(path, **kwargs):
    time.sleep(float(os.environ.get("GOVREPORT_TEST_SLOW", "0")))
    return real(path, **kwargs)
c.parse_file = slow
from govreport.cli import main
sys.exit(main(sys.argv[1:]))
"""


def cli(*args: str, slow: float = 0.0, **kwargs: Any) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GOVREPORT_TEST_SLOW": str(slow)}
    env.pop("CI", None)
    kwargs.setdefault("stdout", subprocess.PIPE)
    return subprocess.Popen([sys.executable, "-c", SLOW_CLI, *args], env=env, text=True,
                            stderr=subprocess.PIPE, **kwargs)


def finish(proc: subprocess.Popen[str], seconds: float = 120) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"the command hung: {err}")
    return proc.returncode, out, err


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_for(condition: Callable[[], bool], seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            pytest.fail("waited too long")
        time.sleep(0.05)


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def csv_files(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["file", "key", "value"]
    by_file: dict[str, dict[str, str]] = {}
    for name, key, value in rows[1:]:
        by_file.setdefault(name, {})[key] = value
    return by_file


def read_back(out: Path, fmt: str) -> dict[str, dict[str, Any]]:
    """The records of an output by file: status, error and the flat values (as text)."""
    if fmt == "jsonl":
        return {r["file"]: {"status": r["status"], "error": r["error"],
                            **{k: None if v is None else str(v) for k, v in r["values"].items()}}
                for r in jsonl(out)}
    if fmt == "csv":
        return {name: {k: (v or None) for k, v in row.items()}
                for name, row in csv_files(out).items()}
    pq = pytest.importorskip("pyarrow.parquet")
    got = {}
    for row in pq.read_table(out).to_pylist():
        got[row["file"]] = {k: None if v is None else str(v) for k, v in row.items()}
    return got


def expected_values(path: str) -> dict[str, str | None]:
    flat = govreport.flatten(govreport.parse_file(path))
    return {k: None if v is None else str(v) for k, v in flat.items()}


def same_value(got: Any, want: str | None, fmt: str) -> bool:
    if want is None or got is None:
        return got == want
    if fmt == "parquet":
        return Decimal(got) == Decimal(want)
    return bool(got == want)


def no_partials(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.endswith(".partial")]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write_reports(tmp_path / "d", 4)
    return tmp_path / "d"


# --------------------------------------------------------------------------- output = input


def test_an_output_that_is_an_input_is_a_usage_error(folder: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    victim = folder / "r001.txt"
    before = victim.read_bytes()
    os.link(victim, folder.parent / "alias.txt")  # the same file under another name
    for args in ([str(folder), "-o", str(victim)],
                 [str(folder / "*.txt"), "-o", str(victim)],
                 [str(victim), "-o", str(folder.parent / "alias.txt")],
                 # not there yet, but the inputs would pick it up (and --resume read it)
                 [str(folder), "-o", str(folder / "new.txt")],
                 [str(folder.parent / "**" / "*.txt"), "-o", str(folder / "sub" / "x.txt")],
                 [str(folder.parent / "d*"), "-o", str(folder / "new.html")]):
        (folder / "sub").mkdir(exist_ok=True)
        assert main(["corpus", *args, "--format", "jsonl", "-j", "0", "--force"]) == 2, args
        err = capsys.readouterr().err
        assert "choose another -o" in err and "Traceback" not in err
        assert victim.read_bytes() == before
        assert not (folder / "new.txt").exists() and not (folder / "new.html").exists()
        assert no_partials(folder) == []
    # outside the input set, or not a report suffix: fine
    assert main(["corpus", str(folder), "-o", str(folder / "out.jsonl"), "-j", "0"]) == 0
    assert len(jsonl(folder / "out.jsonl")) == 4
    capsys.readouterr()


def test_check_output_lets_devices_and_other_names_through(folder: Path) -> None:
    files = list(corpus.iter_files([str(folder)]))
    corpus.check_output("/dev/null", [str(folder)], files)
    corpus.check_output(None, [str(folder)], files)
    corpus.check_output(str(folder / "out.csv"), [str(folder)], files)
    corpus.check_output(str(folder / ".hidden" / "x.txt"), [str(folder)], files)
    with pytest.raises(corpus.OutputClash):
        corpus.check_output(str(folder / "sub" / "x.pdf"), [str(folder)], files)


# --------------------------------------------------------------------------- atomic output


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_a_failed_run_leaves_the_old_output_whole(folder: Path, fmt: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    out = folder.parent / f"out.{fmt}"
    corpus.run([str(folder)], str(out), workers=0, progress=False, timeout=None)
    before = out.read_bytes()
    write_reports(folder, 3, start=10)
    calls = []
    real = records._TextWriter.write if fmt != "parquet" else records._ParquetWriter.write

    def failing(self: Any, done: records.Encoded) -> None:
        calls.append(done.path)
        if len(calls) == 3:
            raise records._cannot_write(str(out), OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
        real(self, done)

    writer = records._ParquetWriter if fmt == "parquet" else records._TextWriter
    monkeypatch.setattr(writer, "write", failing)
    with pytest.raises(govreport.InputError, match="No space left on device"):
        corpus.run([str(folder)], str(out), workers=2, progress=False, row_group=1)
    assert out.read_bytes() == before
    assert no_partials(folder.parent) == []


@linux
def test_a_killed_run_leaves_the_old_output_and_no_worker(folder: Path) -> None:
    write_reports(folder, 20, start=10)
    for fmt in ("jsonl", "parquet"):
        if fmt == "parquet":
            pytest.importorskip("pyarrow")
        out = folder.parent / f"old.{fmt}"
        out.write_bytes(b"the old output")
        proc = cli("corpus", str(folder), "-o", str(out), "-j", "2", "--no-progress",
                   "--force", slow=0.3)
        pid = proc.pid
        wait_for(lambda: len(children(pid)) == 2)  # noqa: B023 (called at once)
        workers = children(pid)
        time.sleep(1.0)  # some records are written by now
        proc.kill()
        finish(proc)
        assert out.read_bytes() == b"the old output"
        # killed with their parent
        wait_for(lambda: not any(alive(w) for w in workers), 10)  # noqa: B023


# --------------------------------------------------------------------------- names


def make_bad_name(directory: Path) -> str:
    """A good report under a name that is not UTF-8; its name as Python gives it."""
    text = (directory / "r000.txt").read_bytes()
    raw = os.fsencode(str(directory)) + b"/" + BAD
    fd = os.open(raw, os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, text)
    os.close(fd)
    return os.fsdecode(raw)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_a_name_that_is_not_utf8_is_written_escaped_and_resumed(
        folder: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    try:
        bad = make_bad_name(folder)
    except OSError:
        pytest.skip("the file system refuses names that are not UTF-8")
    out = folder.parent / f"out.{fmt}"
    assert main(["corpus", str(folder), "-o", str(out), "-j", "2"]) == 0
    got = read_back(out, fmt)
    shown = str(folder / BAD_SHOWN)
    assert shown in got and got[shown]["status"] == "ok"
    for key, value in expected_values(bad).items():
        assert same_value(got[shown].get(key), value, fmt), key
    assert len(got) == 5
    assert main(["corpus", str(folder), "-o", str(out), "--resume"]) == 0
    assert "5 skipped" in capsys.readouterr().err
    assert len(read_back(out, fmt)) == 5


def test_a_name_with_a_line_break_resumes_in_csv(folder: Path) -> None:
    odd = folder / "a\nb\r.txt"
    odd.write_bytes((folder / "r001.txt").read_bytes())
    out = folder.parent / "out.csv"
    corpus.run([str(folder)], str(out), workers=0, progress=False, timeout=None)
    by_file = csv_files(out)
    assert by_file[str(odd)]["status"] == "ok"
    assert by_file[str(odd)]["agency"] == by_file[str(folder / "r001.txt")]["agency"]
    again = corpus.run([str(folder)], str(out), workers=0, progress=False, resume=True)
    assert again.skipped == 5 and again.total == 0
    # cut inside the quoted name: the partial record is dropped, the file parsed again
    text = out.read_bytes()
    last = text.rindex(b'"' + os.fsencode(str(folder)) + b"/a\n")
    out.write_bytes(text[:last + len(str(folder)) + 4])
    resumed = corpus.run([str(folder)], str(out), workers=0, progress=False, resume=True)
    assert resumed.total >= 1
    assert sorted(csv_files(out)) == sorted(by_file)


# --------------------------------------------------------------------------- special files


def test_parse_file_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    # in a subprocess: opening a FIFO the usual way would block for ever
    script = (f"import govreport\ntry:\n    govreport.parse_file({str(fifo)!r})\n"
              "except govreport.InputError as e:\n    print(e)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert done.stdout == f"{fifo}: not a regular file: a FIFO (named pipe)\n", done.stderr
    if os.path.exists("/dev/zero"):
        with pytest.raises(govreport.InputError, match="device"):
            govreport.parse_file("/dev/zero")
    with pytest.raises(govreport.InputError, match="is a directory"):
        govreport.parse_file(tmp_path)


@pytest.mark.parametrize("workers", ["0", "1", "2"])
def test_a_fifo_gets_an_error_record_with_any_workers(folder: Path, workers: str) -> None:
    os.mkfifo(folder / "pipe.txt")
    out = folder.parent / "out.jsonl"
    code, _, err = finish(cli("corpus", str(folder), "-o", str(out), "-j", workers,
                              "--timeout", "0"), 60)
    assert code == 1, err  # the FIFO failed
    got = {r["file"]: r for r in jsonl(out)}
    assert len(got) == 5
    fifo = got[str(folder / "pipe.txt")]
    assert fifo["status"] == "error" and "FIFO" in fifo["error"]
    assert "4 ok, 1 failed (1 error)" in err


# --------------------------------------------------------------------------- unlistable dirs


def unlistable(monkeypatch: pytest.MonkeyPatch, locked: Path) -> None:
    """Listing ``locked`` fails, as for a directory root may not read (chmod does not stop root)."""
    real = os.scandir

    def scandir(path: Any = ".") -> Any:
        if os.path.abspath(os.fspath(path)) == str(locked):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


@needs_fork
@pytest.mark.parametrize("workers", [0, 2])
def test_a_directory_that_cannot_be_listed_gets_an_error_record(
        folder: Path, workers: int, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = folder / "locked"
    write_reports(locked, 2, start=20)
    unlistable(monkeypatch, locked)
    for spec in (str(folder), str(folder / "**" / "*.txt")):
        out = folder.parent / "out.jsonl"
        summary = corpus.run([spec], str(out), workers=workers, progress=False)
        got = {r["file"]: r for r in jsonl(out)}
        assert got[str(locked)]["status"] == "error", spec
        assert got[str(locked)]["error"] == "cannot list this directory: Permission denied"
        assert summary.failed == 1 and summary.counts["ok"] == 4
    # a top-level input that cannot be listed, too: not "no report file there"
    summary = corpus.run([str(locked)], str(out), workers=workers, progress=False)
    assert summary.counts == {"error": 1}


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root reads a directory whatever its mode")
def test_a_directory_without_read_permission_is_recorded(folder: Path) -> None:
    locked = folder / "locked"
    write_reports(locked, 1, start=20)
    locked.chmod(0)
    try:
        out = folder.parent / "out.jsonl"
        code, _, err = finish(cli("corpus", str(folder), "-o", str(out), "--strict"))
        assert code == 1, err
        got = {r["file"]: r for r in jsonl(out)}
        assert "cannot list this directory" in got[str(locked)]["error"]
    finally:
        locked.chmod(0o755)


# --------------------------------------------------------------------------- signals


@linux
@pytest.mark.parametrize(("signum", "fmt"), [(signal.SIGTERM, "parquet"),
                                             (signal.SIGHUP, "jsonl"),
                                             (signal.SIGTERM, "csv")])
def test_sigterm_and_sighup_stop_like_ctrl_c(folder: Path, signum: int, fmt: str) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    names = write_reports(folder, 26, start=10)
    out = folder.parent / f"out.{fmt}"
    proc = cli("corpus", str(folder), "-o", str(out), "-j", "2", slow=0.2)
    wait_for(lambda: len(children(proc.pid)) == 2)
    workers = children(proc.pid)
    time.sleep(1.5)
    proc.send_signal(signum)
    code, _, err = finish(proc)
    assert code == 128 + signum, err
    assert "interrupted" in err and "Traceback" not in err
    assert not any(alive(w) for w in workers)  # no orphans
    assert no_partials(folder.parent) == []
    first = read_back(out, fmt)
    assert 0 < len(first) < 30
    assert all(r["status"] == "ok" for r in first.values())
    code, _, err = finish(cli("corpus", str(folder), "-o", str(out), "-j", "2", "--resume"))
    assert code == 0, err
    assert f"{len(first)} skipped" in err
    assert sorted(read_back(out, fmt)) == sorted([*(str(folder / f"r{i:03d}.txt")
                                                  for i in range(4)), *names])


# --------------------------------------------------------------------------- a full disk


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_a_full_disk_is_an_io_error(folder: Path, fmt: str,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    # Through a link: a writer that wrongly moved a file onto OUT would replace the
    # link, not the machine's /dev/full.
    full = folder.parent / f"full.{fmt}"
    full.symlink_to("/dev/full")
    assert main(["corpus", str(folder), "-o", str(full), "-j", "0"]) == 1
    err = capsys.readouterr().err
    assert f"{full}: cannot write: No space left on device" in err
    assert "internal error" not in err and "Traceback" not in err
    assert full.is_symlink() and stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert no_partials(folder.parent) == [] and no_partials(Path("/dev")) == []


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_stdout_is_an_io_error(folder: Path) -> None:
    with open("/dev/full", "w") as full:
        proc = cli("corpus", str(folder), "-j", "0", stdout=full)
        code, _, err = finish(proc)
    assert code == 1
    assert "cannot write: No space left on device" in err
    assert "internal error" not in err and "Exception ignored" not in err


# --------------------------------------------------------------------------- time budget


@pytest.fixture
def stuck(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[tuple[set[str], Path]]:
    """Files whose parse never ends; each worker stuck on one writes its pid to ``pids``."""
    doomed: set[str] = set()
    pids = tmp_path / "pids"
    real = corpus.parse_file

    def hang(path: str, **kwargs: Any) -> govreport.Report:
        if path in doomed:
            with pids.open("a") as f:
                f.write(f"{os.getpid()}\n")
            time.sleep(3600)
        return real(path, **kwargs)

    monkeypatch.setattr(corpus, "parse_file", hang)
    yield doomed, pids


@needs_fork
@pytest.mark.parametrize("workers", [0, 1, 2])
def test_a_file_past_its_time_budget_is_recorded_and_its_worker_replaced(
        folder: Path, workers: int, stuck: tuple[set[str], Path]) -> None:
    doomed, pids = stuck
    names = write_reports(folder, 12, start=10)
    doomed.update({names[1], names[6]})
    out = folder.parent / "out.jsonl"
    start = time.monotonic()
    summary = corpus.run(names, str(out), workers=workers, progress=False, timeout=0.5,
                         batch_size=3)
    assert time.monotonic() - start < 60  # a guard against a hang, not a timing goal
    got = jsonl(out)
    assert [r["file"] for r in got] == names  # in order, none held back by the slow ones
    for r in got:
        if r["file"] in doomed:
            assert r["status"] == "error"
            assert "still running after 0.5 s (the time budget per file)" in r["error"]
        else:
            assert r["status"] == "ok"
            assert r["values"] == {k: str(v) if isinstance(v, Decimal) else v
                                   for k, v in govreport.flatten(
                                       govreport.parse_file(r["file"])).items()}
    assert summary.counts == {"ok": 10, "error": 2} and summary.workers >= 1
    stopped = [int(p) for p in pids.read_text().split()]
    assert len(stopped) == 2 and os.getpid() not in stopped
    assert not any(os.path.exists(f"/proc/{p}") for p in stopped if sys.platform == "linux")


@needs_fork
def test_the_time_budget_from_the_command_line(folder: Path, stuck: tuple[set[str], Path],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    doomed, _ = stuck
    doomed.add(str(folder / "r002.txt"))
    out = folder.parent / "out.csv"
    assert main(["corpus", str(folder), "-o", str(out), "-j", "0", "--timeout", "0.3"]) == 1
    err = capsys.readouterr().err
    assert "3 ok, 1 failed (1 error)" in err and "time budget" in err
    assert csv_files(out)[str(folder / "r002.txt")]["status"] == "error"
    assert main(["corpus", str(folder), "--timeout", "-1"]) == 2
    capsys.readouterr()


def test_no_time_budget_parses_in_this_process(folder: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    real = corpus.parse_file

    def spy(path: str, **kwargs: Any) -> govreport.Report:
        seen.append(os.getpid())
        return real(path, **kwargs)

    monkeypatch.setattr(corpus, "parse_file", spy)
    results = list(govreport.parse_many(list(corpus.iter_files([folder])), workers=0))
    assert all(r.ok for r in results) and seen == [os.getpid()] * 4
    with pytest.raises(ValueError, match="timeout"):
        corpus.run([str(folder)], None, timeout=0)


# --------------------------------------------------------------------------- all at once


@needs_fork
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_every_entry_of_a_hostile_folder_gets_a_record(
        folder: Path, fmt: str, monkeypatch: pytest.MonkeyPatch,
        stuck: tuple[set[str], Path]) -> None:
    """A FIFO, an unlistable directory, a bad name, hostile files and good ones: all recorded."""
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    doomed, _ = stuck
    good = sorted(str(p) for p in folder.iterdir())
    with contextlib.suppress(OSError):  # a file system that refuses names that are not UTF-8
        good.append(make_bad_name(folder))
    os.mkfifo(folder / "pipe.txt")
    locked = folder / "locked"
    write_reports(locked, 1, start=30)
    unlistable(monkeypatch, locked)
    (folder / "binary.txt").write_bytes(b"\x00\xff" * 500)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "zip.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    (folder / "slow.txt").write_bytes((folder / "r003.txt").read_bytes())
    doomed.add(str(folder / "slow.txt"))
    out = folder.parent / f"all.{fmt}"
    summary = corpus.run([str(folder)], str(out), workers=2, progress=False, timeout=1.0)
    got = read_back(out, fmt)
    failed = {str(folder / n) for n in ("pipe.txt", "locked", "binary.txt", "empty.txt",
                                        "zip.docx", "slow.txt")}
    assert set(got) == {records.escape_name(p) for p in good} | failed
    for name in failed:
        assert got[name]["status"] == "error" and got[name]["error"], name
    for path in good:
        row = got[records.escape_name(path)]
        assert row["status"] == "ok"
        for key, value in expected_values(path).items():
            assert same_value(row.get(key), value, fmt), (path, key)
    assert summary.failed == len(failed) and summary.counts["ok"] == len(good)


def test_the_command_over_a_hostile_folder(folder: Path) -> None:
    """The same through the real command in its own process: nothing hangs, nothing is lost."""
    good = sorted(str(p) for p in folder.iterdir())
    with contextlib.suppress(OSError):
        good.append(make_bad_name(folder))
    os.mkfifo(folder / "pipe.txt")
    (folder / "binary.txt").write_bytes(b"\x00\xff" * 500)
    (folder / "sub").mkdir()
    (folder / "sub" / "empty.txt").write_bytes(b"")
    out = folder.parent / "all.csv"
    code, _, err = finish(cli("corpus", str(folder), "-o", str(out), "-j", "2", "--strict"))
    assert code == 1, err  # --strict: some file failed
    assert f"{len(good)} ok, 3 failed (3 error)" in err and "Traceback" not in err
    got = read_back(out, "csv")
    assert set(got) == {records.escape_name(p) for p in good} | {
        str(folder / "pipe.txt"), str(folder / "binary.txt"), str(folder / "sub" / "empty.txt")}
    for path in good:
        for key, value in expected_values(path).items():
            assert same_value(got[records.escape_name(path)].get(key), value, "csv"), key


def test_globs_expand_as_glob_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """govreport expands patterns itself (to see what it cannot list) with glob's meaning."""
    import glob

    from govreport.inputs import _expand

    for name in ("a/1.txt", "a/b/2.txt", "a/b/c/3.TXT", "a/.h/4.txt", "x/5.pdf", ".hid/6.txt",
                 "7.txt", "a/.dot.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "a" / "lnk").symlink_to(tmp_path / "x")
    monkeypatch.chdir(tmp_path)
    for pattern in ("*", "*.txt", "**", "**/*.txt", "a/**", "a/**/*.txt", "**/b", "a/*/*.txt",
                    "[ax]/*", ".*", ".hid/*", "a/.*", f"{tmp_path}/**/*.txt", "./**/*.pdf",
                    "a/**/c/*", "**/", "*/b/*", "nope/*", "**/**/*.txt", f"{tmp_path}/**"):
        assert _expand(pattern) == sorted(set(glob.glob(pattern, recursive=True))), pattern


# --------------------------------------------------------------------------- the pool


@needs_fork
def test_a_result_that_does_not_pickle_costs_only_its_file(folder: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    names = sorted(str(p) for p in folder.iterdir())
    real = corpus.parse_file

    def odd(path: str, **kwargs: Any) -> Any:
        if path == names[1]:
            return lambda: None  # a "report" no pipe can carry
        return real(path, **kwargs)

    monkeypatch.setattr(corpus, "parse_file", odd)
    results = list(govreport.parse_many(names, workers=1, batch_size=4))
    assert [r.status for r in results] == ["ok", "crash", "ok", "ok"]
    assert "internal error" in (results[1].error or "")


@needs_fork
def test_a_worker_stopped_from_outside_is_not_its_files_fault(
        folder: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    names = write_reports(folder, 8, start=10)
    marker = tmp_path / "once"
    real = corpus.parse_file

    def stopped(path: str, **kwargs: Any) -> govreport.Report:
        if path == names[5] and not marker.exists():
            marker.write_text("x")
            os.kill(os.getpid(), signal.SIGTERM)  # as `kill PID` would
            time.sleep(60)
        return real(path, **kwargs)

    monkeypatch.setattr(corpus, "parse_file", stopped)
    results = list(govreport.parse_many(names, workers=2, batch_size=3))
    assert marker.exists()
    assert [r.path for r in results] == names and all(r.ok for r in results)
