"""govreport check: output grouped by file, JSON, exit codes, colour, --strict, --series."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from synth import generate
from test_cli import REPORT

from govreport.cli import main

# The parse tests' Table C with review total 5 ≠ 0 + 0 + 0 + 0: C1 breaks (an error).
BROKEN = REPORT.replace("0 | 0 | 0 | 0 | 0 | 1", "0 | 0 | 0 | 0 | 5 | 1", 1)
assert BROKEN != REPORT


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.txt"
    path.write_text(BROKEN, encoding="utf-8")
    return path


@pytest.fixture
def balanced(tmp_path: Path) -> Path:
    text, _ = generate(0, "pipe_rows", "2021")
    path = tmp_path / "balanced.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def warned(tmp_path: Path) -> Path:
    # A 2021 report whose Table B is gone: D03 (a warning), nothing worse.
    text, _ = generate(0, "pipe_rows", "2021")
    head, _, tail = text.partition("三、收到和处理政府信息公开申请情况")
    rest = tail[tail.index("\n四、政府信息公开"):]
    path = tmp_path / "warned.txt"
    path.write_text(head + "三、收到和处理政府信息公开申请情况\n本年度情况见下。\n" + rest,
                    encoding="utf-8")
    return path


def test_balanced_report_exits_0(balanced: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(balanced)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{balanced}: ") and "0 errors" in out


def test_error_exits_1_and_is_listed(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(broken)]) == 1
    out = capsys.readouterr().out
    assert "C1" in out and "error" in out and "line 8" in out
    assert "\x1b[" not in out  # not a terminal: no colour


def test_warning_exits_0_unless_strict(warned: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(warned)]) == 0
    assert "D03" in capsys.readouterr().out
    assert main(["check", "--strict", str(warned)]) == 1


def test_json_format(broken: Path, balanced: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "json", str(broken), str(balanced)]) == 1
    docs = json.loads(capsys.readouterr().out)
    assert [d["file"] for d in docs] == [str(broken), str(balanced)]
    c1 = [f for f in docs[0]["findings"] if f["code"] == "C1"]
    assert c1 == [{"code": "C1", "severity": "error", "status": "failed",
                   "keys": ["review.total", "review.upheld", "review.corrected", "review.other",
                            "review.pending"],
                   "expected": 0, "actual": 5, "message_zh": c1[0]["message_zh"],
                   "message_en": c1[0]["message_en"], "line": 8, "column": c1[0]["column"],
                   "file": str(broken)}]
    assert docs[0]["agency"] == "青禾县民政局" and docs[0]["error"] is None
    assert all(f["status"] != "passed" for d in docs for f in d["findings"])


def test_all_lists_passed(balanced: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "json", "--all", str(balanced)]) == 0
    docs = json.loads(capsys.readouterr().out)
    assert any(f["status"] == "passed" for f in docs[0]["findings"])


def test_unusable_input_exits_2_in_one_line(broken: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.txt"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["check", str(missing), str(empty), str(broken)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 2 and str(missing) in lines[0] and str(empty) in lines[1]
    assert "Traceback" not in captured.err
    assert "C1" in captured.out  # the usable file is still checked


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 2
    assert main(["check", "--format", "xml", "x.txt"]) == 2


def test_colour(broken: Path, capsys: pytest.CaptureFixture[str],
                monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["check", "--color", "always", str(broken)]) == 1
    assert "\x1b[1;31m" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.setenv("NO_COLOR", "1")
    main(["check", str(broken)])
    assert "\x1b[" not in capsys.readouterr().out
    monkeypatch.delenv("NO_COLOR")
    main(["check", str(broken)])
    assert "\x1b[" in capsys.readouterr().out


def test_lang_and_verbose(warned: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--lang", "zh", str(warned)])
    out = capsys.readouterr().out
    assert "缺少模板规定的表格" in out and "B1 ×7" in out
    main(["check", "-v", str(warned)])
    out = capsys.readouterr().out
    assert "not checkable" in out and "B1 ×7" not in out


def test_series(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = []
    for year, seed in ((2022, 1), (2023, 2)):
        text, _ = generate(seed, "pipe_rows", "2021")
        text = text.replace(text.split("\n", 1)[0], f"青禾县民政局{year}年度政府信息公开工作报告", 1)
        p = tmp_path / f"{year}.txt"
        p.write_text(text, encoding="utf-8")
        paths.append(str(p))
    assert main(["check", "--series", "--format", "json", "--all", *paths]) in (0, 1)
    docs = json.loads(capsys.readouterr().out)
    assert not [f for f in docs[0]["findings"] if f["code"] in ("B6", "A2")]
    assert {f["code"] for f in docs[1]["findings"]} >= {"B6", "A2"}
    assert main(["check", "--series", paths[0], paths[0]]) == 2
    assert "two reports for 2022" in capsys.readouterr().err


def test_seeds_exit_codes(needs_shared: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seeds = sorted(str(p) for p in (needs_shared / "corpus" / "seeds").glob("*.txt"))
    assert main(["check", *seeds]) == 0
    assert main(["check", "--strict", *seeds]) == 1
