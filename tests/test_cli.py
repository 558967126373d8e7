"""The govreport command: formats, output file and exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from govreport.cli import main

REPORT = """青禾县民政局2022年度政府信息公开工作报告
一、总体情况
全年工作平稳。
二、政府信息公开行政复议、行政诉讼情况
行政复议 | 行政诉讼 | |||||||||||||
结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 | ||||||||
结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | |||||
0 | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 |
"""


@pytest.fixture
def report_file(tmp_path: Path) -> Path:
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


def test_json(report_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(report_file)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["agency"] == "青禾县民政局"
    assert data["review_litigation"]["litigation_direct"]["total"]["value"] == 1


def test_flat_for_two_files(report_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(report_file), str(report_file), "--format", "flat"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["template"] for d in data] == ["2021", "2021"]
    assert data[0]["values"]["litigation_direct.upheld"] == 1
    assert data[0]["values"]["applications.new_received.total"] is None


def test_csv_to_file(report_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    assert main(["parse", str(report_file), "--format", "csv", "-o", str(out)]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8"))))
    assert rows[0] == ["file", "key", "value"]
    assert [str(report_file), "litigation_direct.total", "1"] in rows
    assert [str(report_file), "review.total", "0"] in rows
    assert [str(report_file), "applications.granted.total", ""] in rows


def test_missing_file_is_one_line_and_exit_1(report_file: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.txt"
    assert main(["parse", str(missing), str(report_file), "--format", "flat"]) == 1
    captured = capsys.readouterr()
    assert captured.err == f"govreport: {missing}: no such file\n"
    # Two files named: a list, whatever became of them (here one record).
    [record] = json.loads(captured.out)
    assert record["file"] == str(report_file)


def test_usage_error_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse"]) == 2
    assert main(["frobnicate"]) == 2


def test_layouts_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["layouts"]) == 0
    names = [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()]
    assert "tab_rows" in names and names == sorted(names)


def test_console_script_never_prints_a_traceback(tmp_path: Path) -> None:
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01\x02binary" * 50)
    proc = subprocess.run([sys.executable, "-m", "govreport", "parse", str(binary)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert proc.stderr == f"govreport: {binary}: binary data, not text\n"
