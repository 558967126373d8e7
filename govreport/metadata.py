"""What a report says about itself: agency, year, data period, date, contact, its parts.

Template reports state agency and year in the title. Free-form reports
(2008–2018) and mirror copies often have no usable title, but their preamble
says the same in set phrases ("特向社会公布2009年度公安部政府信息公开工作年度报告",
"统计期限自2016年1月1日起至2016年12月31日止", "本报告由…等七个部分组成",
"如对本报告有任何疑问，请与…联系（地址：…；邮编：…；电话：…）") and the
signature closes with the date (domain.md §3.2). :func:`read_metadata` reads
them all, each from one place it names; what a report does not state stays
``None``, and a value taken from a weaker place than the title gets a
diagnostic saying so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date

import attrs
from attrs import frozen

from govreport.agency import full_name, looks_like_agency, same_body
from govreport.model import Contact, Diagnostic, Section, TextLine
from govreport.numbering import CN_DIGITS, PARTS, chinese_number

__all__ = ["Metadata", "declared_parts", "find_title", "read_metadata", "title_metadata"]


@frozen
class Metadata:
    """The report's statements about itself, and how sure the reading is."""

    title: str | None
    title_line: int | None
    agency: str | None
    year: int | None
    period_start: date | None = None
    period_end: date | None = None
    published: date | None = None
    contact: Contact | None = None
    declared_parts: tuple[str, ...] = ()
    declared_count: int | None = None
    diagnostics: tuple[Diagnostic, ...] = ()


# --------------------------------------------------------------------------- title

_YEAR = re.compile(r"((?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年")
# Where the agency's name ends in a title: "…人民政府" keeps its 政府 ("青禾县人民政府信息公开…").
_AGENCY_END = re.compile(r"(?:关于)?(?:(?<!人民)政府|政务)?信息公开")
# A page's field label before the title ("标题: …"), as crawler text has it.
_FIELD_LABEL = re.compile(r"^\s*(?:标题|题目|名称)\s*[:：]\s*")
_AGENCY_TRIM = " \u3000:：,，、.。-—《》\"“”|"
_NAMES_REPORT = re.compile(r"(?:报告|年报)[\s|｜]*$")


def _year(text: str) -> int | None:
    if text.isdigit():
        year = int(text)
    else:
        digits = [chinese_number(c) for c in text]
        if any(d is None for d in digits):
            return None
        year = int("".join(str(d) for d in digits))
    return year if 1990 <= year <= 2100 else None


def title_metadata(title: str | None) -> tuple[str | None, int | None]:
    """Agency and year from a report title, each ``None`` when not stated.

    >>> title_metadata("周口市公安局 2023 年政府信息公开工作年度报告")
    ('周口市公安局', 2023)
    >>> title_metadata("2021年青禾县人民政府政府信息公开工作年度报告")
    ('青禾县人民政府', 2021)
    >>> title_metadata("驼峰路街道办事处政府信息公开工作年度报告")
    ('驼峰路街道办事处', None)
    """
    if not title:
        return None, None
    title = _FIELD_LABEL.sub("", title, count=1)
    m = _YEAR.search(title)
    if m is None:
        # A title without a year still names its agency before 信息公开, when it is a title.
        end = _AGENCY_END.search(title)
        if end is None or not _NAMES_REPORT.search(title, end.end()):
            return None, None
        agency = re.sub(r"\s+", "", title[: end.start()].strip(_AGENCY_TRIM))
        return (agency if looks_like_agency(agency) else None), None
    year = _year(m[1])
    agency = title[: m.start()].strip(_AGENCY_TRIM)
    if not agency:
        rest = title[m.end():].lstrip("度").strip(_AGENCY_TRIM)
        end = _AGENCY_END.search(rest)
        agency = rest[: end.start()].strip(_AGENCY_TRIM) if end else ""
    agency = re.sub(r"\s+", "", agency)
    if agency and not looks_like_agency(agency):
        agency = ""  # not a name: text that only happens to precede the year, or "我镇"
    return agency or None, year


# A title line found below page chrome: short, names the report, is no sentence.
_TITLE_LIKE = re.compile(r"^[^。；;！!？?]{4,60}?(?:信息公开|政务公开)[^。；;]{0,20}?(?:报告|年报)"
                         r"[\s|｜]*$")
_TITLE_SCAN = 15
_TITLE_TAIL = 15  # the most a title's second line holds ("年度报告", "工作年度报告")
# Breadcrumbs name the column, which may end like a title ("当前位置：首页 > 政府信息公开年报").
_BREADCRUMB = re.compile(r"当前位置|您的位置|现在位置|所在位置|首页\s*[>›»/]|\S\s*[>›»]\s*\S")


def find_title(lines: Sequence[TextLine]) -> TextLine | None:
    """The first of the leading ``lines`` that reads as a report title (page chrome before it).

    >>> find_title([TextLine("登录 注册", 1), TextLine("兴华乡2010年政府信息公开报告", 3)]).line
    3
    """
    window = lines[:_TITLE_SCAN]
    for i, line in enumerate(window):
        text = line.text.strip()
        if _BREADCRUMB.search(text):
            continue
        if _TITLE_LIKE.match(text):
            return TextLine(text.rstrip("|｜ "), line.line)
        # A title broken over two lines: "…政府信息公开工作" + "年度报告".
        after = window[i + 1].text.strip() if i + 1 < len(window) else ""
        if (after and len(after) <= _TITLE_TAIL and window[i + 1].line <= line.line + 2
                and _TITLE_LIKE.match(text + after)):
            return TextLine((text + after).rstrip("|｜ "), line.line)
    return None


# Set phrases of the preamble that name the report: "特向社会公布2009年度公安部政府信息
# 公开工作年度报告", "现公布南山区安监局2010年…报告", "由…潭柘寺镇编制的2011年度…报告".
_ANNOUNCED = re.compile(r"(?:公布|发布|印发|现将)\s*(?P<name>[^。；;，,（(]{4,60}?"
                        r"(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:报告|年报))")
# The title quoted inside a sentence ("…特向社会公布2009年度常州市公安局政府信息公开工作年度报告").
_TITLE_IN_TEXT = re.compile(r"(?P<name>(?:19|20)\d{2}\s*年度?[\u4e00-\u9fff（）()·]{2,30}?"
                            r"(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:报告|年报))")
_COMPILED_BY = re.compile(r"由(?P<agency>[\u4e00-\u9fff（）()]{2,30}?)编制的\s*"
                          r"(?P<year>(?:19|20)\d{2})\s*年度?[^。；;，,]{0,12}?信息公开")
# "2016年度,全县公安机关…", "2010年,我局…": the year the overview opens with.
_OPENING_YEAR = re.compile(r"(?:^|[。；;，,：:、\s])(?P<year>(?:19|20)\d{2})\s*年度?\s*[,，]?\s*"
                           r"(?:以来\s*[,，]?\s*)?(?:我|全|本|在|各)")
_OPENING_SPAN = 300


# --------------------------------------------------------------------------- preamble

_DATE = r"(?P<{0}y>(?:19|20)\d{{2}})\s*年\s*(?P<{0}m>\d{{1,2}})\s*月\s*(?P<{0}d>\d{{1,2}})\s*日"
# The end date may leave out its year ("自2016年1月1日至12月31日止").
_PERIOD = re.compile(r"统计(?:期限|时限|时间|区间)\s*(?:为|是)?\s*(?:自|从)?\s*" + _DATE.format("a")
                     + r"\s*(?:起)?\s*[,，]?\s*(?:至|到|—|－|-|~)\s*"
                     + r"(?:(?P<by>(?:19|20)\d{2})\s*年)?"
                     + r"\s*(?P<bm>\d{1,2})\s*月\s*(?P<bd>\d{1,2})\s*日"
                     + r"\s*(?:止)?")
_SIGNATURE_DATE = re.compile(r"^\s*" + _DATE.format("s") + r"\s*$")
_CN_DATE = re.compile(r"^\s*(?P<y>[〇零一二三四五六七八九]{4})\s*年"
                      rf"\s*(?P<m>[{CN_DIGITS}]{{1,3}})\s*月"
                      rf"\s*(?P<d>[{CN_DIGITS}]{{1,3}})\s*日\s*$")
# The page's own date fields ("发布日期：2011-01-01", "公开日期: | 2015-07-27 16:32").
_PAGE_DATE = re.compile(r"(?:发布|公开|成文|印发)(?:日期|时间)\s*[:：]?\s*[|｜]?\s*"
                        r"(?P<y>(?:19|20)\d{2})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})")
_SIGNATURE_LINES = 4

_PARTS = PARTS
# Part titles end with these words; a piece that does not was cut at a "、" inside a title
# ("因政府信息公开申请行政复议、提起行政诉讼的情况").
_PART_END = re.compile(r"(?:情况|概述|措施|事项|统计表|附表|说明|问题|附件|概况|方面|工作|总结)$")

_CONTACT_FIELDS = {
    "address": re.compile(r"(?:联系)?地址\s*[:：]\s*(?P<v>[^;；,，。)）\n]{2,60})"),
    "postcode": re.compile(r"(?:邮\s*编|邮政编码)\s*[:：]?\s*(?P<v>\d{6})(?!\d)"),
    "phone": re.compile(r"(?:联系)?电\s*话\s*[:：]?\s*(?P<v>[\d(（][\d\-—－()（）/、转 ]{4,40}\d)"),
    "fax": re.compile(r"传\s*真\s*[:：]?\s*(?P<v>[\d(（][\d\-—－()（）/、转 ]{4,40}\d)"),
    "email": re.compile(r"(?P<v>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)"),
}
_CONTACT_CUE = re.compile(r"联系|地址|电\s*话|邮\s*编|传\s*真|邮箱")
# The first characters of the cues: a text with none of them has no cue, and
# ``in`` finds out in C where the regex tests every character against a set.
_CUE_STARTS = "联地电邮传"


def _date(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def declared_parts(text: str) -> tuple[tuple[str, ...], int | None]:
    """The parts a preamble says the report has, and how many it says, if it says.

    >>> declared_parts("本报告由概述、因政府信息公开申请行政复议、提起行政诉讼的情况、"
    ...                "说明和附表共三个部分组成。")
    (('概述', '因政府信息公开申请行政复议、提起行政诉讼的情况', '说明和附表'), 3)
    """
    m = _PARTS.search(text)
    if m is None:
        return (), None
    pieces = [p.strip(" \u3000") for p in re.split(r"[、，,]", m["list"]) if p.strip(" \u3000")]
    parts: list[str] = []
    for piece in pieces:
        if parts and not _PART_END.search(parts[-1]):
            parts[-1] = f"{parts[-1]}、{piece}"
        else:
            parts.append(piece)
    count = None
    if m["n"]:
        count = int(m["n"]) if m["n"].isdigit() else chinese_number(m["n"])
    if count is None and len(parts) < 2:
        return (), None
    return tuple(parts), count


def _contact(body: Iterable[tuple[str, int]]) -> Contact | None:
    for whole, line in body:
        # A cue never spans a sentence end, so a text without one has no sentence with one:
        # most texts are ruled out without being split.
        if not any(c in whole for c in _CUE_STARTS) or not _CONTACT_CUE.search(whole):
            continue
        for text, _ in _sentences(whole, line):
            if not _CONTACT_CUE.search(text):
                continue
            found = {name: (m["v"].strip() if (m := rx.search(text)) else None)
                     for name, rx in _CONTACT_FIELDS.items()}
            if sum(v is not None for v in found.values()) >= 2:
                return Contact(**found, line=line)
    return None


_SENTENCE_END = re.compile(r"(?<=[。！？!?])")


def _sentences(text: str, line: int) -> Iterator[tuple[str, int]]:
    for s in _SENTENCE_END.split(text):
        if s.strip():
            yield s, line


@frozen
class _Evidence:
    """What one place of the file says of the agency and the year."""

    origin: str
    text: str
    line: int | None
    agency: str | None
    year: int | None


# Where the file states its title outside its text, strongest first (see Document.titles).
_FILE_TITLES = ("html-heading", "meta:ArticleTitle", "html-title", "docx-title", "pdf-title")
_WHERE = {
    "title": "the title", "html-heading": "the page's title heading",
    "meta:ArticleTitle": "the page's ArticleTitle meta tag", "html-title": "the page's <title>",
    "docx-title": "the Word file's title property", "pdf-title": "the PDF's title property",
    "preamble": "the preamble", "issuer": "the report's text",
}
# A <title> holds the report's title and the column's and the site's names:
# "X年度政府信息公开工作年度报告_年度报告_X人民政府".
_TITLE_PARTS = re.compile(r"\s*(?:[_|｜丨]|[-—－]+)\s*")
_REPORT_TITLE = re.compile(r"(?:信息公开|政务公开).{0,14}?(?:报告|年报)")
# "本报告由淮安市洪泽区人民政府办公室根据《条例》要求编制", "…办公室根据…要求编制".
_REPORT_BY = re.compile(r"(?:本|该|此)?(?:年度)?报告(?:是)?由\s*"
                        r"(?P<agency>[\u4e00-\u9fff（）()]{2,40}?)\s*(?:根据|依据|按照|依照|负责|编制|编写|制作|起草|汇总)")
_COMPILES = re.compile(r"(?:^|[。；;！!])\s*(?P<agency>[\u4e00-\u9fff（）()]{2,40}?)\s*"
                       r"(?:根据|依据|按照|依照)[^。；;]{0,160}?(?:要求|规定)[^。；;]{0,8}?编制")
_SENTENCE_ENDS = "。；;！!？?：:"
# How far into the preamble its statements about the report are looked for.
_PREAMBLE_SPAN = 3000


def _unwrapped(lines: Sequence[TextLine]) -> str:
    """The lines' first ``_PREAMBLE_SPAN`` characters as one text, wraps undone.

    A line wrapped mid-sentence (a PDF's) is joined to the next without a break.
    """
    out = ""
    for t in lines:
        text = t.text.strip()
        if out and not out.endswith(tuple(_SENTENCE_ENDS)):
            out += text
        else:
            out += ("\n" if out else "") + text
        if len(out) >= _PREAMBLE_SPAN:
            break
    return out[:_PREAMBLE_SPAN]


def _file_title_evidence(titles: Sequence[tuple[str, str]]) -> list[_Evidence]:
    found: list[_Evidence] = []
    for origin in _FILE_TITLES:
        for o, text in titles:
            if o != origin:
                continue
            pieces = _TITLE_PARTS.split(text) if origin == "html-title" else [text]
            for piece in pieces:
                piece = piece.strip()
                agency, year = (title_metadata(piece) if _REPORT_TITLE.search(piece)
                                else (None, None))
                if agency is None and year is None and origin in ("docx-title", "pdf-title"):
                    # Word and WPS take the first paragraph as the title: the agency's line.
                    name = re.sub(r"\s+", "", piece).strip(_AGENCY_TRIM)
                    agency = name if looks_like_agency(name) else None
                if agency is not None or year is not None:
                    found.append(_Evidence(origin, piece, None, agency, year))
                    break  # the report's own title; the column's and site's names follow
    return found


def _preamble_evidence(preamble: Sequence[TextLine], unwrapped: str) -> list[_Evidence]:
    opening = "\n".join(t.text for t in preamble)
    found: list[_Evidence] = []
    if (m := _ANNOUNCED.search(opening)) or (m := _TITLE_IN_TEXT.search(opening)):
        agency, year = title_metadata(m["name"])
        found.append(_Evidence("preamble", m[0], _line_of(preamble, m[0]), agency, year))
    if (m := _COMPILED_BY.search(opening)):
        agency = m["agency"] if looks_like_agency(m["agency"]) else None
        found.append(_Evidence("preamble", m[0], _line_of(preamble, m[0]), agency,
                               int(m["year"])))
    for rx in (_REPORT_BY, _COMPILES):
        if (m := rx.search(unwrapped)) and looks_like_agency(m["agency"]):
            said = m[0].strip("。；;！! \n")
            found.append(_Evidence("preamble", said, _line_of(preamble, said[:8]),
                                   m["agency"], None))
            break
    return found


# A line of a title block: short, no sentence or page-chrome punctuation.
_BLOCK_LINES, _BLOCK_LINE_MAX = 2, 25
_BLOCK_STOP = re.compile(r"[。；;，,：:！!？?>›»|｜/]")


def _title_block(title: TextLine, lines: Sequence[TextLine],
                 year: int | None) -> tuple[TextLine, str, int | None] | None:
    """The title block when the title line names no agency: the title and the lines above it.

    WPS and Word title blocks break "淮安市洪泽区人民政府 / 2024 年政府信息公开工作年度报告",
    or "…人民政府 / 2024年度 / 政府信息公开工作年度报告", into lines. Up to two short
    lines just above the title are joined to it, nearest first, until the whole
    names an agency (of the title's year, if it states one). Returns the block
    as one line, its agency and its year.
    """
    block: list[str] = []
    first = title.line
    for t in sorted((t for t in lines if t.line < title.line), key=lambda t: -t.line):
        text = re.sub(r"\s+", "", t.text)
        if (len(block) == _BLOCK_LINES or t.line < first - 2 or not text
                or len(text) > _BLOCK_LINE_MAX or _BLOCK_STOP.search(text)):
            break
        block.insert(0, text)
        first = t.line
        joined = "".join(block) + title.text
        agency, found = title_metadata(joined)
        if agency is not None and (year is None or found == year):
            return TextLine(joined, first), agency, found
    return None


def _text_title(title: TextLine | None, preamble: Sequence[TextLine], chrome: Sequence[TextLine],
                file_titles: Sequence[_Evidence]) -> tuple[TextLine | None, _Evidence | None]:
    """The title line(s) of the text, and what they say.

    A title line found below page chrome that the page's own titles contradict
    is a link to another report (a list of related reports), not the title.
    """
    if title is not None and _BREADCRUMB.search(title.text):
        title = None
    found = title is None
    if title is None:
        title = find_title([*chrome[:_TITLE_SCAN], *preamble])
    if title is None:
        return None, None
    agency, year = title_metadata(title.text)
    if found and any((e.year is not None and year is not None and e.year != year)
                     or (e.agency is not None and agency is not None
                         and not same_body(e.agency, agency)) for e in file_titles):
        return None, None
    lines = [*chrome, *preamble]
    if agency is None and (block := _title_block(title, lines, year)) is not None:
        title, agency, year = block
    elif agency is None and (byline := _byline(title, lines)) is not None:
        return title, _Evidence("title", f"{title.text}\n{byline.text}", byline.line,
                                byline.text, year)
    return title, _Evidence("title", title.text, title.line, agency, year)


_BYLINE_GAP = 3
_BYLINE_BRACKETS = "（）()[]【】 \u3000"


def _byline(title: TextLine, lines: Sequence[TextLine]) -> TextLine | None:
    """The agency's line just below a title that names none ("（XX县人民政府）").

    Not an office of a government: that is the compiler as often as the agency.
    """
    for t in sorted((t for t in lines if title.line < t.line <= title.line + _BYLINE_GAP),
                    key=lambda t: t.line):
        text = re.sub(r"\s+", "", t.text)
        if text and text in title.text:
            continue  # the title's own second line
        name = text.strip(_BYLINE_BRACKETS)
        if looks_like_agency(name) and _GOVERNMENT_OFFICE.match(name) is None:
            return TextLine(name, t.line)
        return None
    return None


# The office that compiled a government's report: "淮安市洪泽区人民政府办公室".
_GOVERNMENT_OFFICE = re.compile(r"^(?P<government>.{2,30}?(?:人民政府|管委会|管理委员会))"
                                r"(?:党政)?办公(?:室|厅)$")


def _issuer(office: str, text: str) -> str | None:
    """The government whose office compiled the report, when the report speaks as it.

    "本报告由淮安市洪泽区人民政府办公室…编制" and "2024年，淮安市洪泽区人民政府坚持…":
    the office compiled the government's report.
    """
    m = _GOVERNMENT_OFFICE.match(office)
    if m is None:
        return None
    government = m["government"]
    for found in re.finditer(re.escape(government), text):
        if not text.startswith(("办公", "党政"), found.end()):
            return government
    return None


# The report speaking as an office ("我办", "本厅"), not as the government it serves.
_AS_OFFICE = re.compile(r"[我本](?:办公室|办公厅|办|厅)(?![理法事公])")


def _from_preamble(found: _Evidence, opening: str,
                   diags: list[Diagnostic]) -> _Evidence | None:
    """The preamble's agency, or the government whose office it names; ``None`` if unsure.

    A government's office compiles the government's report ("本报告由…人民政府办公室
    …编制"), but an office also reports for itself: the office is the agency only
    when the report speaks as the office ("我办"), the government only when it speaks
    as the government.
    """
    assert found.agency is not None
    if _GOVERNMENT_OFFICE.match(found.agency) is None or _AS_OFFICE.search(opening):
        diags.append(Diagnostic("agency-from-text", "the agency is taken from the preamble, "
                                "not a title", found.line, raw=found.text))
        return found
    government = _issuer(found.agency, opening)
    if government is None:
        return None
    diags.append(Diagnostic("agency-from-text", f"the preamble names {found.agency}, which "
                            f"compiled the report; the report speaks as {government}",
                            found.line, raw=found.text))
    return attrs.evolve(found, origin="issuer", agency=government)


def _weigh(evidence: Sequence[_Evidence], opening: str,
           diags: list[Diagnostic]) -> tuple[str | None, int | None]:
    """The agency and year of the strongest evidence, completed and checked by the rest.

    ``opening`` is the report's first text, where it speaks of itself.
    """
    source = next((e for e in evidence if e.agency is not None), None)
    chosen = source
    if source is not None and source.origin == "preamble":
        chosen = _from_preamble(source, opening, diags)
    elif source is not None and source.origin != "title":
        diags.append(Diagnostic("agency-from-file-title", "the agency is taken from "
                                f"{_WHERE[source.origin]}, not a title line of the text",
                                source.line, raw=source.text))
    agency = chosen.agency if chosen is not None else None
    if agency is not None and chosen is not None:
        others = [e.agency for e in evidence if e.agency is not None and e is not source]
        fuller = full_name(agency, others)
        if fuller is not None:
            at = next(e for e in evidence if e.agency is not None and fuller in e.agency)
            diags.append(Diagnostic("agency-full-name", f"{_WHERE[chosen.origin]} names the "
                                    f"agency {agency}; its full name {fuller} is taken from "
                                    f"{_WHERE[at.origin]}", at.line, raw=at.text))
            agency = fuller
        seen: set[str] = set()
        for e in evidence:
            if e is source or e.agency is None or e.agency in seen or same_body(agency, e.agency):
                continue
            seen.add(e.agency)
            diags.append(Diagnostic("agency-disagrees", f"{_WHERE[chosen.origin]} names the "
                                    f"agency {agency}, {_WHERE[e.origin]} {e.agency}; the "
                                    f"first is used", e.line, raw=e.text))

    by_year = next((e for e in evidence if e.year is not None), None)
    year = by_year.year if by_year is not None else None
    if by_year is not None and by_year.origin != "title":
        code, where = (("year-from-text", "the preamble") if by_year.origin == "preamble"
                       else ("year-from-file-title", _WHERE[by_year.origin]))
        diags.append(Diagnostic(code, f"the year is taken from {where}, not a title"
                                + ("" if by_year.origin == "preamble" else " line of the text"),
                                by_year.line, raw=by_year.text))
    if by_year is not None:
        for e in evidence:
            if e.year is not None and e.year != year:
                diags.append(Diagnostic("year-disagrees", f"{_WHERE[by_year.origin]} gives the "
                                        f"year {year}, {_WHERE[e.origin]} {e.year}; the first "
                                        "is used", e.line, raw=e.text))
                break
    return agency, year


def read_metadata(title: TextLine | None, preamble: Sequence[TextLine],
                  sections: Sequence[Section], chrome: Sequence[TextLine],
                  tail: Sequence[TextLine], titles: Sequence[tuple[str, str]] = ()) -> Metadata:
    """Read the report's metadata from its title, preamble, sections, page chrome and last lines.

    ``preamble`` holds the text lines before the first heading (the title
    excluded), ``tail`` the last text lines of the document (the signature),
    ``titles`` the titles the file states outside its text
    (:attr:`Document.titles <govreport.model.Document.titles>`).

    The agency and the year are taken from the strongest place that states
    them: the title (with the agency's line above it, in a title block), a
    page's title heading, its ArticleTitle meta tag, its ``<title>``, a file's
    title property, then the preamble ("本报告由…编制"). The other places
    complete the agency's name (places before it) and are checked against it:
    a disagreement is a diagnostic.
    """
    diags: list[Diagnostic] = []
    unwrapped = _unwrapped(preamble)
    file_titles = _file_title_evidence(titles)
    title, title_evidence = _text_title(title, preamble, chrome, file_titles)
    evidence = [*([title_evidence] if title_evidence else []), *file_titles,
                *_preamble_evidence(preamble, unwrapped)]
    opening = "\n".join(t.text for t in preamble)
    first_text = sections[0].text if sections else ""
    agency, year = _weigh(evidence, unwrapped + "\n"
                          + first_text[:_OPENING_SPAN], diags)
    if title is None and file_titles:
        shown = file_titles[0].text
        title = TextLine(shown, _line_of_exact([*chrome, *preamble], shown) or 0)

    period_start = period_end = None
    body = [(t.text, t.line) for t in preamble]
    body += [(s.text, s.line) for s in sections]
    found: tuple[re.Match[str], int | None] | None = next(
        ((m, line) for text, line in body if (m := _PERIOD.search(text))), None)
    if found is None and (m := _PERIOD.search(unwrapped)):
        found = m, _line_of(preamble, m[0][:6])  # a PDF's period wrapped over two lines
    if found is not None:
        m, line = found
        period_start = _date(m["ay"], m["am"], m["ad"])
        period_end = _date(m["by"] or m["ay"], m["bm"], m["bd"])
        if (year is None and period_start and period_end
                and period_start.year == period_end.year):
            year = period_start.year
            diags.append(Diagnostic("year-from-text", "the year is taken from the data "
                                    "period, not a title", line, raw=m[0]))
        elif year is not None and period_end is not None and period_end.year != year:
            diags.append(Diagnostic("period-mismatch", f"the data period ends in "
                                    f"{period_end.year}, the report is for {year}",
                                    line, raw=m[0]))
    if year is None:
        head = (opening + "\n" + first_text)[:_OPENING_SPAN]
        if (m := _OPENING_YEAR.search(head)):
            year = int(m["year"])
            diags.append(Diagnostic("year-from-text", "the year is taken from the first "
                                    "sentence of the report, which states no title",
                                    sections[0].line if sections and m[0] not in opening
                                    else _line_of(preamble, m[0]), raw=m[0].strip()))

    parts, count = declared_parts(opening + "\n" + first_text)
    published = _published(tail, chrome, preamble)
    if published is not None and period_end is not None and published < period_end:
        diags.append(Diagnostic("date-before-period", f"the page dates the report {published}, "
                                f"before its data period ends ({period_end}); the date is "
                                "left None", None, raw=published.isoformat()))
        published = None
    return Metadata(
        title=title.text if title else None,
        title_line=(title.line or None) if title else None,
        agency=agency,
        year=year,
        period_start=period_start,
        period_end=period_end,
        published=published,
        contact=_contact(body),
        declared_parts=parts,
        declared_count=count,
        diagnostics=tuple(diags),
    )


def _published(tail: Sequence[TextLine], chrome: Sequence[TextLine],
               preamble: Sequence[TextLine]) -> date | None:
    # The signature's date is the report's own; the page's date field is when it was posted.
    for line in reversed(tail[-_SIGNATURE_LINES:]):
        if (m := _SIGNATURE_DATE.match(line.text)):
            return _date(m["sy"], m["sm"], m["sd"])
        if (m := _CN_DATE.match(line.text)):
            y, mo, d = _year(m["y"]), chinese_number(m["m"]), chinese_number(m["d"])
            if y is not None and mo is not None and d is not None:
                return _date(str(y), str(mo), str(d))
    for line in [*chrome, *preamble[:_TITLE_SCAN]]:
        if (m := _PAGE_DATE.search(line.text)):
            return _date(m["y"], m["m"], m["d"])
    return None


def _line_of_exact(lines: Sequence[TextLine], text: str) -> int | None:
    key_ = re.sub(r"\s+", "", text)
    return next((t.line for t in lines if re.sub(r"\s+", "", t.text) == key_), None)


def _line_of(lines: Sequence[TextLine], text: str) -> int | None:
    for line in lines:
        if text in line.text:
            return line.line
    return lines[0].line if lines else None
