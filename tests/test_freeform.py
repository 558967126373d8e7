"""Free-form reports (2008–2018), their metadata and prose figures, and dirty pages.

The texts here are made up; the tests over ../shared/corpus skip when it is absent.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXTRA, SEEDS, expected

import govreport
from govreport.clean import _SPAM_PIECES, _SPAM_TERMS, _dirty, clean_lines
from govreport.metadata import declared_parts, title_metadata
from govreport.normalize import to_simplified

FREEFORM = """\
青禾县林业局2015年度政府信息公开工作年度报告
本报告由概述、主动公开政府信息情况、依申请公开政府信息情况、因政府信息公开申请行政复议、提起行政诉讼的情况、存在的主要问题及改进措施等五个部分组成。本报告中所列数据的统计期限自2015年1月1日起至2015年12月31日止。如对本报告有任何疑问，请与青禾县林业局办公室联系（地址：青禾县林荫路8号；邮编：999001；电话：0999-1234567；传真：0999-1234568；电子邮箱：lyj@example.org）。
一、概述
2015年，我局认真贯彻落实《条例》。
二、主动公开政府信息情况
全年主动公开政府信息1200余条，其中网站公开1100条。
三、依申请公开政府信息情况
全年共受理政府信息依申请公开37件，均在法定期限内予以答复，答复率100%。
四、因政府信息公开申请行政复议、提起行政诉讼的情况
全年收到因政府信息公开申请的行政复议3起，撤销1起；行政诉讼1起，被驳回。
五、存在的主要问题及改进措施
一是公开内容有待丰富。
青禾县林业局
2016年3月2日
"""


def test_freeform_outline_and_metadata() -> None:
    r = govreport.parse(FREEFORM)
    assert (r.agency, r.year, r.template) == ("青禾县林业局", 2015, "freeform")
    assert [s.kind for s in r.sections] == [
        "overview", "proactive_disclosure", "applications", "review_litigation",
        "problems_improvements"]
    assert (r.period_start, r.period_end) == (date(2015, 1, 1), date(2015, 12, 31))
    assert r.published == date(2016, 3, 2)
    assert r.contact is not None
    assert (r.contact.address, r.contact.postcode, r.contact.phone, r.contact.fax,
            r.contact.email) == ("青禾县林荫路8号", "999001", "0999-1234567", "0999-1234568",
                                 "lyj@example.org")
    assert r.declared_count == 5
    assert r.declared_parts[3] == "因政府信息公开申请行政复议、提起行政诉讼的情况"
    assert not [d for d in r.diagnostics if d.code == "parts-mismatch"]


def test_freeform_figures_are_typed_with_their_sentence() -> None:
    r = govreport.parse(FREEFORM)
    got = {(f.what, f.value, f.unit, f.approximate) for f in r.figures}
    assert {("proactive.items", 1200, "条", True), ("applications.received", 37, "件", False),
            ("applications.answer_rate", 100, "%", False), ("review.total", 3, "起", False),
            ("review.revoked", 1, "起", False), ("litigation.total", 1, "起", False)} <= got
    for f in r.figures:
        section = next(s for s in r.sections if s.line == f.line)
        start, end = f.span
        assert section.text[start:end] == f.sentence


def test_declared_parts_that_do_not_match_the_sections_are_reported() -> None:
    text = FREEFORM.replace("等五个部分组成", "等六个部分组成")
    r = govreport.parse(text)
    assert r.declared_count == 6
    (d,) = [d for d in r.diagnostics if d.code == "parts-mismatch"]
    assert "6 parts" in d.message and "5 numbered" in d.message


def test_declared_parts_rejoins_titles_cut_at_a_comma() -> None:
    parts, n = declared_parts("全文包括概述，主动公开政府信息的情况，人员和收支情况。")
    assert (parts, n) == (("概述", "主动公开政府信息的情况", "人员和收支情况"), None)
    assert declared_parts("本报告依据《条例》编制。") == ((), None)


@pytest.mark.parametrize(("numbered", "titles"), [
    ("第一部分 概述\n正文。\n第二部分 主动公开情况\n一、网站\n正文。\n二、公报\n正文。\n",
     ["概述", "主动公开情况"]),
    ("1.概述\n正文。\n2.主动公开情况\n正文。\n（1）网站\n正文。\n", ["概述", "主动公开情况"]),
    ("概述\n\n2010年，我乡公开信息20条。\n\n依申请公开情况\n\n未收到申请。\n",
     ["概述", "依申请公开情况"]),
])
def test_other_numberings(numbered: str, titles: list[str]) -> None:
    r = govreport.parse("青禾乡2010年政府信息公开工作年度报告\n" + numbered)
    assert [s.title for s in r.sections] == titles


def test_part_numbering_nests_chinese_numerals() -> None:
    r = govreport.parse("青禾乡2010年政府信息公开工作年度报告\n第一部分 概述\n正文。\n"
                        "第二部分 主动公开情况\n一、网站\n正文。\n二、公报\n正文。\n")
    assert [s.title for s in r.sections[1].subsections] == ["网站", "公报"]


def test_an_enumeration_in_a_paragraph_is_not_a_heading_level() -> None:
    r = govreport.parse("青禾乡2010年政府信息公开工作年度报告\n一、概述\n1.只有一项。\n"
                        "二、主动公开情况\n正文。\n")
    assert [s.title for s in r.sections] == ["概述", "主动公开情况"]


def test_metadata_from_the_preamble_when_there_is_no_title() -> None:
    r = govreport.parse("根据《条例》，特向社会公布2012年度青禾县交通局政府信息公开工作年度报告。\n"
                        "一、概述\n2012年，我局做好公开工作。\n")
    assert (r.agency, r.year) == ("青禾县交通局", 2012)
    assert {"agency-from-text", "year-from-text"} <= {d.code for d in r.diagnostics}


def test_a_pronoun_is_no_agency() -> None:
    assert title_metadata("2009年我镇政府信息公开年度报告") == (None, 2009)


def test_a_page_date_before_the_period_ends_is_not_the_publication_date() -> None:
    text = FREEFORM.replace("青禾县林业局\n2016年3月2日\n", "").replace(
        "青禾县林业局2015年度政府信息公开工作年度报告\n",
        "青禾县林业局2015年度政府信息公开工作年度报告\n发布时间:2015-01-27 17:00:31\n")
    r = govreport.parse(text)
    assert r.published is None
    assert "date-before-period" in {d.code for d in r.diagnostics}


# --------------------------------------------------------------------------- dirty pages


def test_traditional_page_is_converted_and_said_so() -> None:
    trad = ("青禾縣林業局2015年度政府信息公開工作年度報告\n一、概述\n2015年，我局認真貫徹落實《條例》。\n"
            "二、主動公開政府信息情況\n全年主動公開政府信息1200條。\n")
    r = govreport.parse(trad)
    assert r.script == "hant"
    assert (r.agency, r.year) == ("青禾县林业局", 2015)
    assert [s.kind for s in r.sections] == ["overview", "proactive_disclosure"]
    assert "traditional-script" in {d.code for d in r.diagnostics}


def test_simplified_text_is_left_alone() -> None:
    assert to_simplified(FREEFORM) == FREEFORM
    assert govreport.parse(FREEFORM).script == "hans"


def test_pinyin_glosses_go_to_a_diagnostic_not_the_text() -> None:
    c = clean_lines(["年度報(bào)告", "辦(bàn)公(gōng)室"])
    assert c.lines == ("年度報告", "辦公室")
    (d,) = c.diagnostics
    assert d.code == "pinyin-gloss" and d.raw == "(bào) (bàn) (gōng)"


def test_a_toneless_bracket_after_a_word_is_kept() -> None:
    assert clean_lines(["下载官方客户端(app)获取"]).lines == ("下载官方客户端(app)获取",)


def test_injected_advertising_is_removed_and_reported() -> None:
    c = clean_lines(["一、概述", "2011年，全镇在新葡京娱乐城官网【注册送彩金】:区政府的指导下开展工作。"])
    assert c.lines[1] == "2011年，全镇在区政府的指导下开展工作。"
    (d,) = c.diagnostics
    assert (d.code, d.line) == ("spam", 2) and "娱乐城" in (d.raw or "")


def test_mojibake_is_reported_and_kept_out_of_the_text() -> None:
    c = clean_lines(["统计期限自2009平span>1朇span>1日起", "正常的一行"])
    assert "span>" not in c.lines[0] and c.lines[1] == "正常的一行"
    assert [d.code for d in c.diagnostics] == ["mojibake"]


def test_word_markup_is_removed_but_angle_quoted_titles_stay() -> None:
    c = clean_lines(["<!--[if !supportLists]-->1.<!--[endif]-->主动公开&nbsp;情况",
                     "印发<中华人民共和国政府信息公开工作年度报告格式>的通知"])
    assert c.lines == ("1.主动公开 情况", "印发<中华人民共和国政府信息公开工作年度报告格式>的通知")
    assert [d.code for d in c.diagnostics] == ["markup"]


def test_cleaning_keeps_every_line_number() -> None:
    lines = ["報(bào)告", "", "<br/>", "正文"]
    assert len(clean_lines(lines).lines) == len(lines)


# --------------------------------------------------------------------------- the corpus


def _seed_002() -> Path:
    paths = sorted(SEEDS.glob("002_*.txt")) if SEEDS.is_dir() else []
    if not paths:
        pytest.skip("../shared/corpus is not beside the repository")
    return paths[0]


def test_seed_002_outline_metadata_and_figures() -> None:
    path = _seed_002()
    r = govreport.parse_file(path)
    exp = expected(path)
    assert (r.agency, r.year, r.template) == (exp["agency"], exp["year"], exp["template"])
    assert [s.title for s in r.sections] == exp["sections"]
    assert (r.period_start, r.period_end) == (date(2016, 1, 1), date(2016, 12, 31))
    assert r.published == date(2017, 3, 8)
    assert r.declared_count == len(r.sections) == 7
    assert r.contact is not None and r.contact.postcode is not None
    figures = {(f.what, f.value) for f in r.figures}
    assert {("applications.received", 199), ("review.total", 4), ("review.revoked", 1),
            ("litigation.total", 2), ("mailbox.received", 1008),
            ("mailbox.answered", 1008), ("mailbox.answer_rate", 100)} <= figures
    approx = {f.what: f.value for f in r.figures if f.approximate}
    assert approx.get("proactive.items") == 1000
    assert all(isinstance(f.value, (int, Decimal)) for f in r.figures)


def _extra() -> list[Path]:
    if not EXTRA.is_dir():
        return []
    return sorted(p for p in EXTRA.iterdir() if p.suffix in (".txt", ".html", ".docx", ".pdf"))


@pytest.mark.parametrize("path", _extra(), ids=lambda p: p.name[:12])
def test_every_extra_file_parses_with_sections(path: Path) -> None:
    try:
        r = govreport.parse_file(path)
    except govreport.MissingExtra:
        pytest.skip("format extra not installed")
    # Every report states its year somewhere; those without numbered or named
    # sections are the one-paragraph pages (022) and a truncated excerpt (E02).
    assert r.year is not None
    if not path.name.startswith(("022_", "E02_")):
        assert r.sections, path.name
    assert r.template in ("2019", "2021", "freeform")


@pytest.mark.parametrize(("prefix", "agency", "year"), [
    ("025_", None, 2010),              # no title; the text only says 我局
    ("026_", None, 2010),              # the title names no agency
    ("027_", "南山区安监局", 2010),     # Traditional, converted
    ("028_", "下管镇", 2009),           # Traditional with pinyin glosses, title in page chrome
    ("E02_", "常州市公安局", 2009),     # mojibake around the title sentence
    ("E04_", "公安部", 2009),           # title only in the preamble
    ("E06_", "北京市门头沟区潭柘寺镇", 2011),  # "由…编制的2011年度…报告"; spam removed
])
def test_dirty_and_untitled_pages(prefix: str, agency: str | None, year: int) -> None:
    paths = [p for p in _extra() if p.name.startswith(prefix)]
    if not paths:
        pytest.skip("../shared/corpus is not beside the repository")
    r = govreport.parse_file(paths[0])
    assert (r.agency, r.year) == (agency, year)


def test_check_reports_declared_parts_against_sections() -> None:
    ok = govreport.check(govreport.parse(FREEFORM), include_passed=True)
    assert [(f.code, f.status) for f in ok if f.code == "O1"] == [("O1", "passed")]
    bad = govreport.check(govreport.parse(FREEFORM.replace("等五个部分", "等六个部分")))
    (f,) = [f for f in bad if f.code == "O1"]
    assert (f.status, f.expected, f.actual) == ("failed", 6, 5)


def test_a_table_row_outside_its_grid_is_no_section() -> None:
    # A PDF page break can leave Table B's last row as a line of text.
    r = govreport.parse("青禾县2020年政府信息公开工作年度报告\n一、总体情况\n正文。\n"
                        "二、主动公开政府信息情况\n正文。\n三、收到和处理政府信息公开申请情况\n"
                        "四、结转下年度继\n续办理\n四、政府信息公开行政复议、行政诉讼情况\n正文。\n")
    assert [s.number for s in r.sections] == ["一", "二", "三", "四"]
    assert r.sections[3].title == "政府信息公开行政复议、行政诉讼情况"


def test_a_period_whose_end_leaves_out_the_year() -> None:
    r = govreport.parse(FREEFORM.replace("至2015年12月31日止", "至12月31日止"))
    assert (r.period_start, r.period_end) == (date(2015, 1, 1), date(2015, 12, 31))


def test_every_spam_term_is_caught_by_the_quick_check() -> None:
    # The quick check looks for pieces of the spam terms; a term without one
    # would slip past it and stay in the text.
    for term in _SPAM_TERMS:
        assert any(piece in term for piece in _SPAM_PIECES), term
        assert _dirty(f"全镇{term}工作"), term
