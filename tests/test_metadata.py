"""Agency, year and template: weighed over every place a file states them.

Title lines (one, or a title block of two), a page's ``<title>``, ArticleTitle
meta tag and title heading, a PDF's or Word file's title property, and the
preamble's "本报告由…编制" are all evidence; CMS pages made from the synthetic
reports (tests/fixtures/sources/make_cms.py) carry the title only outside
their text.
"""

from __future__ import annotations

import io
import sys

import pytest
import synth
from conftest import FIXTURES, SHARED

import govreport
from govreport.agency import full_name, looks_like_agency, same_body
from govreport.metadata import title_metadata
from govreport.model import Report
from govreport.sources import read_source

SOURCES = FIXTURES / "sources"
sys.path.insert(0, str(SOURCES))
import make_cms  # noqa: E402

HONGZE = SHARED / "corpus" / "real" / "hongze_2024.pdf"


def page(data: bytes | str) -> Report:
    """The report of a page or file given as bytes (or a page as text), cleaned as parse() does."""
    return govreport.parse(data.encode("utf-8") if isinstance(data, str) else data)


def codes(report: Report) -> list[str]:
    return [d.code for d in report.diagnostics]


# Sections and a table-less body of the 2021 template, for reports built in the tests.
BODY = """一、总体情况
本年度扎实推进政务公开。
二、主动公开政府信息情况
全年主动公开信息120条。
三、收到和处理政府信息公开申请情况
全年收到申请3件，均已办结。
四、政府信息公开行政复议、行政诉讼情况
未发生行政复议、行政诉讼。
五、存在的主要问题及改进情况
人员不足。
六、其他需要报告的事项
无。
"""


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize("name", ["淮安市洪泽区人民政府", "驼峰路街道办事处", "平潭综合实验区",
                                  "唐村镇", "公安部", "北汀县卫生健康委员会", "云栖区公安分局",
                                  "平潭综合实验区管委会", "鹿鸣区人民政府办公室",
                                  "青禾县政务服务中心", "苏州工业园", "青禾县第一中学"])
def test_body_names(name: str) -> None:
    assert looks_like_agency(name)


@pytest.mark.parametrize("name", ["淮安市洪泽区人民政府门户网站", "望月镇人民政府网", "中国洪泽",
                                  "政府信息公开年报", "当前位置首页", "区政府办", "乡镇", "各部门",
                                  "我局", "本机关", "市直部门", "政务公开平台", "通知公告",
                                  "新闻中心", "网上办事大厅", "乡镇（街道）"])
def test_site_column_and_generic_names_are_no_agency(name: str) -> None:
    assert not looks_like_agency(name)


def test_same_body_and_full_name() -> None:
    assert same_body("洪泽区人民政府", "淮安市洪泽区人民政府")
    assert same_body("平潭综合实验区", "平潭综合实验区管委会")
    assert not same_body("淮安市洪泽区人民政府", "淮安市洪泽区人民政府办公室")
    assert not same_body("洪泽区公安局", "淮安市洪泽区人民政府")
    assert full_name("洪泽区人民政府", ["淮安市洪泽区人民政府办公室"]) == "淮安市洪泽区人民政府"
    assert full_name("洪泽区", ["淮安市洪泽区人民政府办公室"]) == "淮安市洪泽区人民政府"
    # "盐津" before "公安局" is part of another name, not a place standing before this one.
    assert full_name("公安局", ["盐津公安局"]) is None
    assert full_name("淮安市洪泽区人民政府", ["洪泽区人民政府"]) is None


def test_long_runs_of_place_characters_are_matched_in_linear_time() -> None:
    # A repeated group of places backtracked exponentially here (minutes at 40 characters).
    assert not same_body("市" * 40 + "局", "市" * 39 + "办")
    assert full_name("市" * 20, ["市" * 39 + "x"]) is None


def test_title_without_a_year_names_its_agency() -> None:
    assert title_metadata("驼峰路街道办事处政府信息公开工作年度报告") == ("驼峰路街道办事处", None)
    assert title_metadata("青禾县人民政府信息公开工作年度报告") == ("青禾县人民政府", None)
    assert title_metadata("政府信息公开工作年度报告") == (None, None)
    assert title_metadata("驼峰路街道办事处工作总结") == (None, None)  # not a report title


# --------------------------------------------------------------------------- text titles


def test_title_block_agency_line_above_the_title() -> None:
    text = ("淮安市洪泽区人民政府\n2024 年政府信息公开工作年度报告\n"
            "本报告由淮安市洪泽区人民政府办公室根据《中华人民共和\n国政府信息公开条例》要求编制此报告。"
            "报告中所列数据统计期限自 2024 年 1 月 1 日\n起至 2024 年 12 月 31 日止。\n" + BODY)
    r = govreport.parse(text)
    assert (r.agency, r.year, r.template) == ("淮安市洪泽区人民政府", 2024, "2021")
    assert r.title == "淮安市洪泽区人民政府2024 年政府信息公开工作年度报告"
    # The period wrapped over two lines is still read.
    assert (str(r.period_start), str(r.period_end)) == ("2024-01-01", "2024-12-31")
    disagree = [d for d in r.diagnostics if d.code == "agency-disagrees"]
    assert len(disagree) == 1 and "淮安市洪泽区人民政府办公室" in disagree[0].message
    assert disagree[0].line == 3
    assert "no-metadata" not in codes(r)


def test_two_line_title_then_the_year_from_the_title_line() -> None:
    r = govreport.parse("驼峰路街道办事处\n\n2021年政府信息公开工作年度报告\n" + BODY)
    assert (r.agency, r.year) == ("驼峰路街道办事处", 2021)
    assert not [c for c in codes(r) if c.startswith(("agency-", "year-", "no-"))]


@pytest.mark.parametrize("head", [
    "淮安市洪泽区人民政府\n2024年度\n政府信息公开工作年度报告\n",
    "淮安市洪泽区人民政府\n\n2024年政府信息公开工作\n年度报告\n",
    "淮 安 市 洪 泽 区 人 民 政 府\n2024 年政府信息公开工作年度报告\n",
])
def test_title_blocks_of_three_lines_broken_lines_and_spaced_names(head: str) -> None:
    r = govreport.parse(head + BODY)
    assert (r.agency, r.year) == ("淮安市洪泽区人民政府", 2024)
    assert r.title is not None and r.title.startswith("淮安市洪泽区人民政府2024")


def test_byline_below_a_title_that_names_no_agency() -> None:
    r = govreport.parse("2023年政府信息公开\n工作年度报告\n（青禾县人民政府）\n2024年1月20日\n" + BODY)
    assert (r.agency, r.year) == ("青禾县人民政府", 2023)
    # A government's office below the title may have compiled the report only: None.
    r = govreport.parse("2023年政府信息公开工作年度报告\n青禾县人民政府办公室\n" + BODY)
    assert r.agency is None


def test_title_without_a_year_takes_the_year_from_the_period() -> None:
    r = govreport.parse("驼峰路街道办事处政府信息公开工作年度报告\n"
                        "本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。\n" + BODY)
    assert (r.agency, r.year) == ("驼峰路街道办事处", 2022)
    year = [d for d in r.diagnostics if d.code == "year-from-text"]
    assert len(year) == 1 and "data period" in year[0].message and year[0].line == 2


def test_title_without_a_year_takes_the_year_from_the_first_sentence() -> None:
    r = govreport.parse("驼峰路街道办事处政府信息公开工作年度报告\n"
                        + BODY.replace("本年度扎实", "2023年，我街道扎实"))
    assert (r.agency, r.year) == ("驼峰路街道办事处", 2023)
    assert any(d.code == "year-from-text" and "first sentence" in d.message
               for d in r.diagnostics)


def test_a_line_above_the_title_that_is_no_body_is_not_the_agency() -> None:
    for above in ("政府信息公开年报", "首页 > 政务公开", "发布时间：2024-01-20", "区政府办",
                  "首页\n互动交流", "青禾县人民政府门户网站"):
        r = govreport.parse(f"{above}\n2024年政府信息公开工作年度报告\n" + BODY)
        assert r.agency is None, above
        assert r.year == 2024


def test_short_title_completed_by_the_preamble() -> None:
    r = govreport.parse("洪泽区人民政府2024年政府信息公开工作年度报告\n"
                        "本报告由淮安市洪泽区人民政府办公室编制。\n" + BODY)
    assert r.agency == "淮安市洪泽区人民政府"
    assert {"agency-full-name", "agency-disagrees"} <= set(codes(r))


COMPILED = ("2024 年政府信息公开工作年度报告\n本报告由淮安市洪泽区人民政府办公室根据《条例》要求编制。"
            "如有疑问请与淮安市洪泽区人民政府办公室联系。\n")


def test_office_that_compiled_a_governments_report_is_not_its_agency() -> None:
    # The report speaks as the government: the government is the agency.
    r = govreport.parse(COMPILED + BODY.replace("本年度扎实", "2024年，淮安市洪泽区人民政府扎实"))
    assert r.agency == "淮安市洪泽区人民政府"
    said = next(d for d in r.diagnostics if d.code == "agency-from-text")
    assert "compiled" in said.message and said.line == 2
    # The report speaks as the office: the office is.
    r = govreport.parse(COMPILED + BODY.replace("本年度扎实", "2024年，我办扎实"))
    assert r.agency == "淮安市洪泽区人民政府办公室"
    # Neither: the office or its government, unsure, so None.
    r = govreport.parse(COMPILED + BODY)
    assert r.agency is None and "no-metadata" in codes(r)


def test_breadcrumb_is_no_title() -> None:
    r = govreport.parse("当前位置：首页 > 政务公开 > 政府信息公开年报\n"
                        "青禾县林业局2019年政府信息公开工作年度报告\n" + BODY)
    assert r.title == "青禾县林业局2019年政府信息公开工作年度报告"
    assert (r.agency, r.year) == ("青禾县林业局", 2019)


# --------------------------------------------------------------------------- CMS pages


@pytest.mark.parametrize("name", sorted(make_cms.CMS))
def test_cms_page_gives_the_values_agency_and_year_of_its_text(name: str) -> None:
    seed, template, site, _options = make_cms.CMS[name]
    text, expected = synth.generate(seed, "tab_cells", template)
    r = page((SOURCES / f"{name}.html").read_bytes())
    from_text = govreport.parse(text)
    assert govreport.flatten(r) == govreport.flatten(from_text) == expected["values"]
    assert (r.agency, r.year, r.template) == (expected["agency"], expected["year"], template)
    assert site not in (r.agency or "")
    assert [s.title for s in r.sections] == [s.title for s in from_text.sections]
    assert r.title is not None and "当前位置" not in r.title


def test_cms_page_diagnostics_say_where_the_agency_came_from() -> None:
    r = page((SOURCES / "cms_2019.html").read_bytes())  # only <title> names the report
    found = {d.code: d for d in r.diagnostics}
    assert "<title>" in found["agency-from-file-title"].message
    assert found["agency-from-file-title"].raw == "云栖区公安分局2019年政府信息公开工作年度报告"
    r = page((SOURCES / "cms_2021_two_lines.html").read_bytes())
    assert "望月镇人民政府党政办公室" in next(d.message for d in r.diagnostics
                                           if d.code == "agency-disagrees")


def test_cms_fixtures_are_up_to_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["make_cms.py", "--check"])
    assert make_cms.main() == 0


def test_page_titles_are_read_outside_links_and_lists() -> None:
    document = read_source(
        "<html><head><title>2023年政府信息公开工作年度报告_年报_某某网</title>"
        "<meta name=\"articletitle\" content=\" 青禾县林业局2023年政府信息公开工作年度报告 \">"
        "</head><body><h1>青禾县人民政府</h1><ul><li><a><span class=\"title\">其他报告"
        "</span></a></li></ul><div class=\"title\"><a href=\"/\">链接标题</a></div>"
        "<div id=\"ArticleTitle\">正文标题</div><p>正文</p></body></html>".encode(),
        suffix=".html")
    assert document is not None
    assert document.titles == (
        ("html-title", "2023年政府信息公开工作年度报告_年报_某某网"),
        ("meta:ArticleTitle", "青禾县林业局2023年政府信息公开工作年度报告"),
        ("html-heading", "青禾县人民政府"),
        ("html-heading", "正文标题"),
    )


def test_a_container_named_title_is_no_heading() -> None:
    rows = "".join(f"<p>段落{i}</p>" for i in range(60))
    document = read_source(f"<html><body><div class=\"title-wrap\">{rows}</div>"
                           "<div class=\"title\">短标题</div></body></html>".encode(),
                           suffix=".html")
    assert document is not None
    assert document.titles == (("html-heading", "短标题"),)


def test_site_name_and_related_reports_are_never_the_agency() -> None:
    # The page's <title> names no agency; the site and the related list name bodies.
    r = page("<html><head><title>2023年政府信息公开工作年度报告_年报_青禾县人民政府</title></head>"
             "<body><div class=\"logo\"><h1>青禾县人民政府</h1></div>"
             "<ul><li><a><span class=\"title\">青禾县林业局2022年政府信息公开工作年度报告</span>"
             "</a></li></ul>" + "".join(f"<p>{line}</p>" for line in BODY.splitlines())
             + "</body></html>")
    assert r.agency is None
    assert r.year == 2023
    assert "year-from-file-title" in codes(r)


def test_year_sources_that_disagree_are_said() -> None:
    r = page("<html><head><title>青禾县林业局2022年政府信息公开工作年度报告</title></head><body>"
             "<p>青禾县林业局2023年政府信息公开工作年度报告</p>"
             + "".join(f"<p>{line}</p>" for line in BODY.splitlines()) + "</body></html>")
    assert r.year == 2023
    assert "year-disagrees" in codes(r)


def test_traditional_page_title_is_made_simplified() -> None:
    trad = ("一、總體情況 本年度紮實推進政務公開。二、主動公開政府信息情況 全年主動公開信息。"
            "三、收到和處理政府信息公開申請情況 全年收到申請。這裡還有更多的繁體字：機關、關於、"
            "進一步、辦理、處理、資訊、網站、說明、問題、會議。")
    r = page(f"<html><head><title>青禾縣林業局2023年政府信息公開工作年度報告</title></head>"
             f"<body><p>{trad}</p><p>{trad}</p></body></html>")
    assert r.script == "hant"
    assert r.agency == "青禾县林业局"


# --------------------------------------------------------------------------- file properties


def _pdf_with_title(title: bytes) -> bytes:
    """A one-page PDF, no text, whose /Info /Title is ``title`` (a hex string)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
               b"<< /Title <" + title.hex().encode() + b"> >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


@pytest.mark.parametrize("encoded", [
    b"\xff\xfe" + "淮安市洪泽区人民政府".encode("utf-16-le"),  # WPS: little-endian, BOM
    b"\xfe\xff" + "淮安市洪泽区人民政府".encode("utf-16-be"),
    "淮安市洪泽区人民政府".encode("gb18030"),
])
def test_pdf_title_property_is_decoded(encoded: bytes) -> None:
    pytest.importorskip("pypdfium2")
    document = read_source(_pdf_with_title(encoded), suffix=".pdf")
    assert document is not None
    assert document.titles == (("pdf-title", "淮安市洪泽区人民政府"),)


def test_docx_title_property_names_the_agency() -> None:
    docx = pytest.importorskip("docx")
    word = docx.Document()
    word.core_properties.title = "青禾县林业局2022年政府信息公开工作年度报告"
    for line in ["2022年政府信息公开工作年度报告", *BODY.splitlines()]:
        word.add_paragraph(line)
    buffer = io.BytesIO()
    word.save(buffer)
    r = page(buffer.getvalue())
    assert (r.agency, r.year) == ("青禾县林业局", 2022)
    assert "agency-from-file-title" in codes(r)
    assert "year-from-file-title" not in codes(r)  # the text's title line states it


# --------------------------------------------------------------------------- template


def test_template_from_headings_when_no_table_is_read() -> None:
    r = govreport.parse("青禾县林业局2022年政府信息公开工作年度报告\n" + BODY)
    assert r.template == "2021"
    assert codes(r).count("missing-table") == 3


def test_template_version_from_captions_and_header_words() -> None:
    captions = BODY.replace("全年主动公开信息120条。",
                            "第二十条第（一）项\n信息内容 本年新制作数量 本年新公开数量 对外公开总数量")
    r = govreport.parse("青禾县林业局政府信息公开工作年度报告\n" + captions)
    assert (r.year, r.template) == (None, "2019")
    r = govreport.parse("青禾县林业局2021年政府信息公开工作年度报告\n" + captions)
    assert r.template == "2019"  # the report uses the 2019 form in 2021 (domain.md D01)
    r = govreport.parse("青禾县林业局2020年政府信息公开工作年度报告\n"
                        + BODY.replace("全年主动公开信息120条。", "信息内容 本年制发件数 本年废止件数"))
    assert r.template == "2021"


def test_template_words_in_a_generated_unreadable_table() -> None:
    # A 2021 report whose tables are fused into single lines no layout can read.
    text, expected = synth.generate(3, "pipe_rows", "2021")
    fused = "\n".join(line.replace(" | ", "").replace("|", "") if line.count("|") > 2 else line
                      for line in text.splitlines())
    r = govreport.parse(fused)
    assert (r.agency, r.year, r.template) == (expected["agency"], expected["year"], "2021")


def test_freeform_reports_stay_freeform() -> None:
    freeform = ("青禾县林业局2012年政府信息公开工作年度报告\n一、概述\n做了工作。\n"
                "二、主动公开政府信息情况\n公开120条。\n三、依申请公开政府信息情况\n无。\n"
                "四、因政府信息公开申请行政复议、提起行政诉讼的情况\n无。\n")
    assert govreport.parse(freeform).template == "freeform"
    # Without a year, the 2008 headings show no template either.
    assert govreport.parse(freeform.replace("2012年", "")).template == "freeform"
    # A report before 2019 that quotes the template's words is not templated by them.
    assert govreport.parse(freeform + "五、收到和处理政府信息公开申请\n无。\n").template == \
        "freeform"


# --------------------------------------------------------------------------- real file


def test_hongze_title_block_gives_agency_and_year() -> None:
    if not HONGZE.is_file():
        pytest.skip("../shared/corpus/real is not beside the repository")
    pytest.importorskip("pypdfium2")
    r = govreport.parse_file(HONGZE)
    assert (r.agency, r.year, r.template) == ("淮安市洪泽区人民政府", 2024, "2021")
    assert "agency-disagrees" in codes(r)
