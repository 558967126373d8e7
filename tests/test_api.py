"""parse() and parse_file(): inputs, encodings and errors."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

import govreport

TEXT = "青禾县民政局2022年度政府信息公开工作报告\n一、总体情况\n全年工作平稳。\n"


def test_parse_text_bytes_and_path_agree(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(TEXT, encoding="utf-8")
    from_text = govreport.parse(TEXT)
    assert govreport.parse(TEXT.encode()) == from_text
    from_path = govreport.parse(path)
    assert from_path.source == str(path)
    assert govreport.parse_file(str(path)).sections == from_text.sections
    assert from_text.agency == "青禾县民政局" and from_text.year == 2022


@pytest.mark.parametrize("encode", [
    lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    lambda t: t.encode("gb18030"),
    lambda t: t.encode("gbk"),
    lambda t: t.encode("utf-16"),
])
def test_encodings(encode: object) -> None:
    report = govreport.parse(encode(TEXT))  # type: ignore[operator]
    assert report.title == "青禾县民政局2022年度政府信息公开工作报告"


def test_a_string_is_never_taken_for_a_path(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(TEXT, encoding="utf-8")
    report = govreport.parse(str(path))
    assert report.title is None  # the path's text was parsed as a report
    assert report.preamble == str(path)


def test_undecodable_bytes() -> None:
    with pytest.raises(govreport.DecodeError) as e:
        govreport.parse(b"ok line\n\xff\xfe\xfa\xfb broken\n")
    assert e.value.line == 2
    assert "GB18030" in str(e.value)


@pytest.mark.parametrize("data", [b"", b"   \n\n", "", "\n \t\n"])
def test_empty_input(data: str | bytes) -> None:
    with pytest.raises(govreport.UnsupportedInput, match="empty"):
        govreport.parse(data)


def test_binary_input() -> None:
    with pytest.raises(govreport.UnsupportedInput, match="binary"):
        govreport.parse(b"\x7fELF\x02\x01\x00\x00\x00" * 10)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(govreport.InputError) as e:
        govreport.parse_file(tmp_path / "nope.txt")
    assert str(e.value) == f"{tmp_path / 'nope.txt'}: no such file"
    with pytest.raises(govreport.InputError, match="directory"):
        govreport.parse_file(tmp_path)


def test_wrong_type() -> None:
    with pytest.raises(govreport.GovReportError):
        govreport.parse(12)  # type: ignore[arg-type]


def test_errors_share_one_base() -> None:
    for cls in (govreport.DecodeError, govreport.ParseError, govreport.InputError,
                govreport.UnsupportedInput):
        assert issubclass(cls, govreport.GovReportError)


def test_file_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"ok\n\xff\xff\xff")
    with pytest.raises(govreport.DecodeError) as e:
        govreport.parse_file(path)
    assert e.value.file == str(path) and str(e.value).startswith(str(path))


@pytest.mark.parametrize(("title", "agency", "year"), [
    ("周口市公安局 2023 年政府信息公开工作年度报告", "周口市公安局", 2023),
    ("2021年青禾县人民政府政府信息公开工作年度报告", "青禾县人民政府", 2021),
    ("标题: 青禾县人民政府2021年度政府信息公开工作年度报告", "青禾县人民政府", 2021),
    ("青禾县民政局二〇二〇年政府信息公开工作年度报告", "青禾县民政局", 2020),
    ("关于《条例》的2011年度报告", None, 2011),
    ("政府信息公开工作年度报告", None, None),
])
def test_metadata_from_title(title: str, agency: str | None, year: int | None) -> None:
    assert govreport.pipeline.metadata(title) == (agency, year)


def test_a_sentence_is_not_a_title() -> None:
    report = govreport.parse("本报告是根据《条例》要求,由青禾县民政局编制的2011年度报告。\n一、概述\n正文。\n")
    assert report.title is None and report.agency is None


# --------------------------------------------------------------------------- the collector pause

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "example_2021.txt"


def _collector_during_parse(monkeypatch: pytest.MonkeyPatch, source: object) -> list[bool]:
    """Parse ``source``, recording whether the cyclic collector ran while the report was built."""
    import gc

    from govreport import pipeline

    seen: list[bool] = []
    build = pipeline._report

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "_report", spy)
    govreport.parse(source)  # type: ignore[arg-type]
    return seen


def test_parse_pauses_the_collector_and_restores_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    assert gc.isenabled()
    assert _collector_during_parse(monkeypatch, EXAMPLE.read_text(encoding="utf-8")) == [False]
    assert gc.isenabled()
    assert _collector_during_parse(monkeypatch, EXAMPLE) == [False]  # a path: parse_file
    assert gc.isenabled()


def test_the_collector_comes_back_after_an_error() -> None:
    import gc

    with pytest.raises(govreport.UnsupportedInput):
        govreport.parse("   ")
    with pytest.raises(govreport.GovReportError):
        govreport.parse("一、概述\n" * 10, layout="no-such-layout")
    assert gc.isenabled()


def test_a_collector_turned_off_stays_off(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    gc.disable()
    try:
        assert _collector_during_parse(monkeypatch, EXAMPLE) == [False]
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_other_threads_keep_the_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc
    import threading

    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        # With another thread running, parse leaves the collector as it is.
        assert _collector_during_parse(monkeypatch, EXAMPLE) == [True]
    finally:
        release.set()
        other.join()
    assert gc.isenabled()
