"""Command line and outputs (issue 23): exit codes, resume, OUT, parse formats, stdin,
encodings, extras, check --series by agency, a plugin's values in every output."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import synth
from conftest import FIXTURES, ROOT
from registered import registered, without

import govreport
from govreport import corpus
from govreport.charsets import decode_chinese, plausibility
from govreport.cli import main
from govreport.pipeline import decode

PLUGIN = ROOT / "examples" / "plugin"
QINGHE = FIXTURES / "plugin" / "qinghe_2023.txt"


def write(directory: Path, n: int, start: int = 0) -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(start, start + n):
        text, _ = synth.generate(i, ("pipe_rows", "tab_rows")[i % 2], "2021")
        path = directory / f"r{i:02d}.txt"
        path.write_text(text, encoding="utf-8")
        names.append(str(path))
    return names


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


# --------------------------------------------------------------------------- exit codes


def test_corpus_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path / "good", 2)
    assert main(["corpus", *good, "-o", str(tmp_path / "a.jsonl"), "-j", "0"]) == 0
    (tmp_path / "good" / "bad.txt").write_bytes(b"\x00\x01" * 50)
    assert main(["corpus", str(tmp_path / "good"), "-o", str(tmp_path / "b.jsonl"),
                 "-j", "0"]) == 1  # one failed: recorded, and exit 1
    assert len(jsonl(tmp_path / "b.jsonl")) == 3
    (tmp_path / "empty").mkdir()
    capsys.readouterr()
    assert main(["corpus", str(tmp_path / "empty"), "-o", str(tmp_path / "c.jsonl")]) == 1
    assert "no report file" in capsys.readouterr().err
    # a mistyped directory is 1, as an empty one is
    assert main(["corpus", str(tmp_path / "godo"), "-o", str(tmp_path / "d.jsonl")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_an_unknown_layout_is_a_usage_error_once(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    files = write(tmp_path / "d", 3)
    out = tmp_path / "o.jsonl"
    assert main(["corpus", *files, "-o", str(out), "--layout", "tab_rowz"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "unknown layout 'tab_rowz'" in err
    assert not out.exists()
    for command in (["parse"], ["check"], ["panel"], ["report", "-o", str(tmp_path / "s")]):
        assert main([*command, *files, "--layout", "tab_rowz"]) == 2, command
        assert len(capsys.readouterr().err.splitlines()) == 1
    assert main(["compare", *files[:2], "--layout", "tab_rowz"]) == 2
    assert main(["corpus", *files, "-o", str(out), "--layout", "tab_rows", "-j", "0"]) == 0


def test_the_readme_exit_status_table_has_every_command() -> None:
    from govreport.cli import _parser

    readme = (ROOT / "README.md").read_text("utf-8")
    rows = {line.split("|")[1].strip(" `"): [c.strip() for c in line.split("|")[2:-1]]
            for line in readme.splitlines() if line.startswith("| `")}
    sub = next(a for a in _parser()._actions if a.dest == "command")
    assert set(rows) == set(sub.choices)  # type: ignore[attr-defined]
    assert "some file failed" in rows["corpus"][1] and "missing directory" in rows["corpus"][1]
    assert "unknown `--layout`" in rows["corpus"][2] and "--force" in rows["corpus"][2]
    for command, parser in sub.choices.items():  # type: ignore[attr-defined]
        if parser.epilog:  # the --help text says the same
            assert "2 usage error" in parser.epilog or "2 some file" in parser.epilog, command


# --------------------------------------------------------------------------- OUT


def test_an_existing_output_needs_resume_or_force(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    files = write(tmp_path / "d", 2)
    out = tmp_path / "o.jsonl"
    out.write_text("precious\n", "utf-8")
    assert main(["corpus", *files, "-o", str(out), "-j", "0"]) == 2
    assert "--resume" in capsys.readouterr().err and out.read_text("utf-8") == "precious\n"
    assert main(["corpus", *files, "-o", str(out), "-j", "0", "--resume", "--force"]) == 2
    assert main(["corpus", *files, "-o", str(out), "-j", "0", "--force"]) == 0
    assert [r["file"] for r in jsonl(out)] == files
    # not a regular file: written in place, whatever its name
    assert main(["corpus", *files, "-o", os.devnull, "-j", "0"]) == 0


def test_an_unknown_output_suffix_is_an_error(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    files = write(tmp_path / "d", 1)
    for name in ("x.xlsx", "x.json", "x"):
        assert main(["corpus", *files, "-o", str(tmp_path / name)]) == 2, name
        assert "give --format" in capsys.readouterr().err
        assert not (tmp_path / name).exists()
    assert main(["corpus", *files, "-o", str(tmp_path / "x.ndjson"), "-j", "0"]) == 0
    assert main(["corpus", *files, "-o", str(tmp_path / "x.xlsx"), "--format", "csv",
                 "-j", "0"]) == 0
    assert (tmp_path / "x.xlsx").read_text("utf-8").startswith("file,key,value\n")


# --------------------------------------------------------------------------- resume


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_resume_knows_a_file_by_any_name_and_by_its_content(
        in_tmp: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    write(in_tmp / "big", 3)
    out = f"out.{fmt}"
    assert main(["corpus", "big", "-o", out, "-j", "0"]) == 0
    # the same files by other names: nothing new, nothing twice
    for name in ("./big", str(in_tmp / "big"), "big/../big"):
        assert main(["corpus", name, "-o", out, "--resume", "-j", "0"]) == 0
        assert "3 skipped" in capsys.readouterr().err
    assert _files(in_tmp / out, fmt) == ["big/r00.txt", "big/r01.txt", "big/r02.txt"]
    # one names the same file twice in one run: read once
    assert main(["corpus", "big", "./big", "-o", "again.jsonl", "-j", "0"]) == 0
    assert len(jsonl(in_tmp / "again.jsonl")) == 3
    # a file whose bytes changed is parsed again; its old record goes
    changed = in_tmp / "big" / "r01.txt"
    changed.write_text(changed.read_text("utf-8") + "\n附注：本报告有更正。\n", "utf-8")
    new = write(in_tmp / "big", 1, start=5)
    assert main(["corpus", "./big", "-o", out, "--resume", "-j", "0"]) == 0
    err = capsys.readouterr().err
    assert "2 skipped" in err and "1 parsed again" in err
    files = _files(in_tmp / out, fmt)
    assert sorted(files) == sorted(["big/r00.txt", "big/r02.txt", "./big/r01.txt",
                                    "./" + os.path.relpath(new[0], in_tmp)])
    assert len(files) == len(set(files)) == 4


def _files(path: Path, fmt: str) -> list[str]:
    if fmt == "jsonl":
        return [r["file"] for r in jsonl(path)]
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
        return [r[0] for r in rows if r[1] == "status"]
    import pyarrow.parquet as pq

    return [str(f) for f in pq.read_table(path).column("file").to_pylist()]


# --------------------------------------------------------------------------- parse


def test_parse_flat_and_csv_carry_the_metadata(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    [one] = write(tmp_path, 1)
    report = govreport.parse_file(one)
    assert main(["parse", one, "--format", "flat"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert isinstance(doc, dict)  # one FILE: one object
    assert (doc["agency"], doc["year"], doc["template"], doc["layout"], doc["title"]) == (
        report.agency, report.year, report.template, report.layout, report.title)
    assert doc["status"] == "ok" and doc["diagnostics"] == len(report.diagnostics)
    assert len(doc["sha256"]) == 64
    assert doc["values"] == json.loads(json.dumps(govreport.flatten(report), default=str))
    assert main(["parse", one, "--format", "csv"]) == 0
    rows = {r[1]: r[2] for r in csv.reader(io.StringIO(capsys.readouterr().out))}
    assert rows["agency"] == report.agency and rows["year"] == str(report.year)
    assert rows["template"] == "2021" and rows["status"] == "ok"


def test_parse_json_is_a_list_whenever_several_files_are_named(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    [one] = write(tmp_path, 1)
    for fmt in ("json", "flat"):
        assert main(["parse", one, str(tmp_path / "missing.txt"), "--format", fmt]) == 1
        doc = json.loads(capsys.readouterr().out)
        assert isinstance(doc, list) and len(doc) == 1
        assert main(["parse", one, one, "--format", fmt]) == 0
        assert len(json.loads(capsys.readouterr().out)) == 2


def test_parse_reads_stdin_and_says_its_version(tmp_path: Path) -> None:
    [one] = write(tmp_path, 1)
    data = Path(one).read_bytes()
    proc = subprocess.run([sys.executable, "-m", "govreport", "parse", "-", "--format", "flat"],
                          input=data, capture_output=True, check=False, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["file"] == "<stdin>"
    assert doc["values"] == json.loads(json.dumps(govreport.flatten(govreport.parse_file(one)),
                                                  default=str))
    proc = subprocess.run([sys.executable, "-m", "govreport", "parse", "-"], input=b"",
                          capture_output=True, check=False, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 1 and proc.stderr == b"govreport: <stdin>: empty input\n"
    proc = subprocess.run([sys.executable, "-m", "govreport", "--version"], capture_output=True,
                          text=True, check=False, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0 and proc.stdout == f"govreport {govreport.__version__}\n"


# --------------------------------------------------------------------------- encodings


def _to_traditional() -> dict[str, str]:
    """Simplified → a Traditional form Big5 has, from the project's t2s table reversed."""
    table: dict[str, str] = {}
    for line in (ROOT / "govreport" / "data" / "t2s.tsv").read_text("utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        trad, simp = line.split("\t")[:2]
        if len(trad) == len(simp) == 1 and trad != simp:
            try:
                trad.encode("cp950")
            except UnicodeEncodeError:
                continue
            table.setdefault(simp, trad)
    return table


def _traditional(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(c, c) for c in text)


@pytest.mark.parametrize("codec", ["big5", "cp950"])
def test_traditional_big5_text_is_detected(codec: str) -> None:
    table = _to_traditional()
    for seed in range(6):
        layout, template = (("tab_rows", "2021"), ("pipe_rows", "2019"), ("prose", "freeform"))[
            seed % 3]
        text, _ = synth.generate(seed, layout, template)
        trad = _traditional(text, table)
        data = trad.encode(codec, errors="replace")
        expected = data.decode(codec)
        assert decode(data) == expected
        report = govreport.parse(data)
        assert report.script == "hant"
        assert "encoding-big5" in {d.code for d in report.diagnostics}
        assert govreport.flatten(report) == govreport.flatten(govreport.parse(text))
        # short texts too: a title, a line of a table
        for size in (12, 30, 80):
            piece = trad[:size].encode(codec, errors="replace")
            if plausibility(piece.decode(codec)) is not None:
                assert decode(piece) == piece.decode(codec), (seed, size)


@pytest.mark.parametrize("codec", ["gb18030", "gbk"])
def test_simplified_gb_text_stays_gb18030(codec: str) -> None:
    for seed in range(6):
        layout, template = (("tab_rows", "2019"), ("pipe_rows", "2021"), ("prose", "freeform"))[
            seed % 3]
        text, _ = synth.generate(seed, layout, template)
        for piece in (text, text[:10], text[:25], text[:60], text[:300]):
            data = piece.encode(codec)
            if data.isascii():
                continue
            assert decode(data) == piece, (seed, len(piece))
        assert not {d.code for d in govreport.parse(text.encode(codec)).diagnostics} & {
            "encoding-big5"}


def test_the_judge_of_encodings() -> None:
    title = "青禾县民政局2023年度政府信息公开工作年度报告"
    assert plausibility(title) == 1.0
    assert plausibility("abc 123") is None  # nothing to judge by
    gibberish = _traditional(title, _to_traditional()).encode("big5").decode("gb18030")
    score = plausibility(gibberish)
    assert score is not None and score < 0.8
    decoded = decode_chinese(title.encode("gb18030"))
    assert decoded is not None and decoded.encoding == "gb18030" and decoded.text == title
    assert not decoded.doubtful and not decoded.ambiguous
    # Japanese in Shift-JIS is neither: read as before, with a diagnostic
    japanese = ("政府情報公開の年次報告書です。申請の件数と処理の結果を示します。" * 2).encode("shift_jis")
    decoded = decode_chinese(japanese)
    assert decoded is not None and decoded.encoding == "gb18030" and decoded.doubtful
    codes = {d.code for d in govreport.parse(japanese).diagnostics}
    assert "encoding-doubtful" in codes and "encoding-big5" not in codes


# --------------------------------------------------------------------------- extras, progress


def test_all_extra_covers_every_extra_the_docs_mention() -> None:
    tomllib = pytest.importorskip("tomllib")
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"][
        "optional-dependencies"]
    [all_] = extras["all"]
    covered = set(all_.split("[", 1)[1].rstrip("]").split(","))
    assert covered == {"html", "docx", "pdf", "parquet", "progress", "dask"}
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "govreport[all]" in readme and "html, docx, pdf, parquet, progress, dask" in readme


def test_progress_without_tqdm_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    files = write(tmp_path / "d", 1)
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm fails
    assert main(["corpus", *files, "-j", "0", "--progress"]) == 0
    err = capsys.readouterr().err
    assert "tqdm is not installed" in err and "govreport[progress]" in err
    assert main(["corpus", *files, "-j", "0"]) == 0
    assert "tqdm" not in capsys.readouterr().err  # not asked for: nothing said


# --------------------------------------------------------------------------- check --series


def test_check_series_groups_by_agency(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    paths = []
    for agency in ("青禾县民政局", "青禾縣民政局", "青禾县财政局"):
        for year, seed in ((2022, 1), (2023, 2)):
            text, _ = synth.generate(seed, "pipe_rows", "2021")
            text = text.replace(text.split("\n", 1)[0], f"{agency}{year}年度政府信息公开工作报告",
                                1)
            p = tmp_path / f"{len(paths)}.txt"
            p.write_text(text, encoding="utf-8")
            paths.append(str(p))
    # 民政局 in Simplified and Traditional is one agency with two reports for a year
    assert main(["check", "--series", *paths]) == 2
    assert "two reports for 2022" in capsys.readouterr().err
    kept = [paths[0], paths[1], paths[4], paths[5]]
    assert main(["check", "--series", "--format", "json", "--all", *kept]) in (0, 1)
    docs = json.loads(capsys.readouterr().out)
    series = [{f["code"] for f in d["findings"]} & {"B6", "A2"} for d in docs]
    assert series == [set(), {"B6", "A2"}, set(), {"B6", "A2"}]


# --------------------------------------------------------------------------- a plugin's values


@pytest.fixture
def plugin() -> Iterator[Any]:
    sys.path.insert(0, str(PLUGIN / "src"))
    try:
        import govreport_example_province as module
    finally:
        sys.path.remove(str(PLUGIN / "src"))
    with registered(module.QINGHE_SUPPLEMENT, "qinghe_supplement"):
        yield module


def test_a_plugins_values_reach_parquet_and_resume_keeps_old_columns(
        tmp_path: Path, plugin: Any) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    keys = [k for k in corpus.flat_record(corpus.Result(str(QINGHE), govreport.parse_file(QINGHE)))
            if k.startswith("qinghe.")]
    assert len(keys) == 8 and set(keys) <= set(corpus.columns())
    other = write(tmp_path / "d", 1)
    out = tmp_path / "o.parquet"
    corpus.run([str(QINGHE), *other], str(out), workers=0, timeout=None)
    table = pq.read_table(out)
    row = table.to_pylist()[0]
    assert row["qinghe.new_media_posts.this_year"] == 186 and row["qinghe.open_days.last_year"] == 3
    assert table.to_pylist()[1]["qinghe.new_media_posts.this_year"] is None
    # a Parquet written without the plugin, resumed with it: the old rows get the columns
    with without("qinghe_supplement"):
        old = tmp_path / "old.parquet"
        corpus.run(other, str(old), workers=0, timeout=None)
        assert "qinghe.new_media_posts.this_year" not in pq.read_schema(old).names
    corpus.run([*other, str(QINGHE)], str(old), workers=0, timeout=None, resume=True)
    rows = pq.read_table(old).to_pylist()
    assert [r["file"] for r in rows] == [*other, str(QINGHE)]
    assert rows[0]["qinghe.new_media_posts.this_year"] is None
    assert rows[1]["qinghe.new_media_posts.this_year"] == 186
    # and back without the plugin: the resumed file keeps its qinghe columns and values
    with without("qinghe_supplement"):
        more = write(tmp_path / "e", 1, start=3)
        corpus.run([*other, str(QINGHE), *more], str(old), workers=0, timeout=None, resume=True)
        rows = pq.read_table(old).to_pylist()
        assert len(rows) == 3 and rows[1]["qinghe.new_media_posts.this_year"] == 186


def test_a_plugins_values_reach_dask_jsonl_and_csv(tmp_path: Path, plugin: Any) -> None:
    dask = pytest.importorskip("govreport.dask")
    pytest.importorskip("dask.dataframe")
    frame = dask.dataframe([str(QINGHE)]).compute(scheduler="sync")
    assert frame["qinghe.new_media_posts.this_year"].tolist() == [186]
    assert str(frame["qinghe.new_media_posts.this_year"].dtype) == "Int64"
    out = tmp_path / "o.jsonl"
    corpus.run([str(QINGHE)], str(out), workers=0, timeout=None)
    assert jsonl(out)[0]["values"]["qinghe.hotline_referrals.last_year"] == 19
    out = tmp_path / "o.csv"
    corpus.run([str(QINGHE)], str(out), workers=0, timeout=None)
    rows = {r[1]: r[2] for r in csv.reader(io.StringIO(out.read_text("utf-8")))}
    assert rows["qinghe.new_media_posts.last_year"] == "152"
