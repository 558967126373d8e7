"""Agency names: what reads as a body's name, when two names are one body, and its key.

A report names its agency in several places (title lines, a page's
``<title>``, a document property, "本报告由…编制" in the preamble), and not
always alike: ``洪泽区人民政府`` in the title, ``淮安市洪泽区人民政府`` in the
preamble, ``淮安市洪泽区人民政府办公室`` as the office that compiled it. The
metadata stage asks whether a text is a body's name at all (a site or column
name is not: :func:`looks_like_agency`), whether two names are one body
(:func:`same_body`), and which longer statement of a name the report also gives
(:func:`full_name`).

Across reports, one body is spelled several ways: ``平潭综合实验区`` and
``平潭综合实验区管委会``, Traditional characters on a mirror site, a full-width
bracket, a stray space. :func:`agency_key` maps them to one key by these rules,
in order (docs/panel.md):

1. NFKC (full-width letters, digits and brackets become half-width), Traditional
   characters become Simplified, every space goes;
2. a name listed in the user's aliases (:func:`read_aliases`) becomes the key of
   the name it is an alias of;
3. a trailing ``人民政府`` / ``政府`` / ``管理委员会`` / ``管委会`` goes when what is
   left is a place name only: it ends in a division (省 市 县 区 州 盟 旗 镇 乡 …)
   and names no organ (局 厅 委 办 院 中心 …). So ``平潭县人民政府`` is
   ``平潭县`` and ``平潭综合实验区管委会`` is ``平潭综合实验区``: two keys, one per
   government; ``平潭综合实验区地方税务局`` keeps its name, a body of its own.
   ``…街道办事处`` is ``…街道``.

Nothing else is merged: an office of a government (``…人民政府办公室``) is not the
government, and two names that differ otherwise stay two agencies unless an alias
says they are one.
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping

from govreport.errors import InputError
from govreport.normalize import to_simplified

__all__ = ["agency_key", "full_name", "looks_like_agency", "read_aliases", "same_body"]


# CJK, letters, digits, brackets; no sentence punctuation, no spaces.
_NAME = re.compile(r"[\u4e00-\u9fff\u3007A-Za-z0-9（）()·]{2,40}")
# "我镇", "本局", "该单位", "各部门": the report speaking of itself or of many, naming no one.
_NOT_A_NAME = ("我", "本", "该", "全", "各")
# How the name of a body ends: a government and its offices, departments and
# units, or the place a government is named by ("平潭综合实验区", "唐村镇").
_BODY_END = re.compile(r"(?:[府厅室处会委局部署院所科站队馆社台联协关场行司团校学办"
                       r"区村镇乡县市州盟旗省组庭园港厂]|中心|街道)$")
# Site, column and page names, which may end like a body ("…政府网站", "政务公开平台").
_NOT_A_BODY = re.compile(r"(?:网站|门户|平台|首页|栏目|专栏|频道|目录)$|网$"
                         r"|报告|年报|信息公开|政务公开|当前位置|您的位置")
# A level of government without a place ("区政府办", "乡镇", "市直部门") names no one body.
_GENERIC = re.compile(r"^(?:[省市区县镇乡村]|乡镇|镇街|区县|县区|县市区|市直|区直|县直)?"
                      r"(?:人民)?(?:政府|委|党委)?(?:办公厅|办公室|办|部门|单位|机关)?$"
                      r"|^(?:乡镇|街道|镇街|社区|村|社区居委会)$"
                      # a site's menu: "新闻中心", "网上办事大厅"
                      r"|^(?:新闻|信息|数据|服务|帮助|下载|互动|办事|政务|资讯|媒体|用户|个人|会员)中心$"
                      r"|^(?:网上)?(?:办事|服务|政务)?大厅$")
# Places, outermost first, that may stand before a body's name ("江苏省淮安市"): what
# ends as a place does. One quantifier, so that a long run of 市市市… cannot make the
# match backtrack exponentially, as a repeated group of places would.
_PLACES = re.compile(r"[\u4e00-\u9fff]{0,38}(?:省|自治区|市|自治州|州|地区|盟|区|县|旗|镇|乡|街道)")
_PLACE_END = re.compile(r"(?:省|自治区|市|州|地区|盟|区|县|旗|镇|乡|街道)$")
# What makes a place's name the name of its government.
_GOVERNMENT = ("人民政府", "政府", "管委会", "管理委员会")


def looks_like_agency(name: str) -> bool:
    """Whether ``name`` reads as the name of a body: not a site, column or generic name.

    >>> looks_like_agency("淮安市洪泽区人民政府"), looks_like_agency("驼峰路街道办事处")
    (True, True)
    >>> looks_like_agency("洪泽区人民政府门户网站"), looks_like_agency("区政府办")
    (False, False)
    """
    return (_NAME.fullmatch(name) is not None and not name.startswith(_NOT_A_NAME)
            and _BODY_END.search(name) is not None and _NOT_A_BODY.search(name) is None
            and _GENERIC.match(name) is None)


def _government_of(name: str) -> str:
    # "洪泽区人民政府" and "洪泽区" name one body: a place stands for its government.
    for suffix in _GOVERNMENT:
        if name.endswith(suffix) and _PLACE_END.search(name[: -len(suffix)]):
            return name[: -len(suffix)]
    return name


def same_body(a: str, b: str) -> bool:
    """Whether two agency names name one body: equal, or one is the other with its places.

    >>> same_body("洪泽区人民政府", "淮安市洪泽区人民政府"), same_body("洪泽区", "洪泽区人民政府")
    (True, True)
    >>> same_body("淮安市洪泽区人民政府", "淮安市洪泽区人民政府办公室")
    False
    """
    a, b = _government_of(a), _government_of(b)
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return long.endswith(short) and _PLACES.fullmatch(long[: -len(short)]) is not None


def full_name(name: str, others: Iterable[str]) -> str | None:
    """The longest fuller statement of ``name`` that one of ``others`` contains, if any.

    Fuller means with the places before it ("洪泽区人民政府" in
    "淮安市洪泽区人民政府办公室" is "淮安市洪泽区人民政府"), and, for a place,
    with its government after it ("洪泽区" there is "淮安市洪泽区人民政府").

    >>> full_name("洪泽区人民政府", ["淮安市洪泽区人民政府办公室"])
    '淮安市洪泽区人民政府'
    >>> full_name("盐津县公安局", ["昭通市盐津县公安局", "盐津县人民政府"])
    '昭通市盐津县公安局'
    >>> full_name("公安局", ["盐津公安局"]) is None
    True
    """
    best: str | None = None
    for other in others:
        at = other.find(name)
        if at < 0:
            continue
        if at and _PLACES.fullmatch(other[:at]) is None:
            continue  # "盐津" before "公安局" is a part of the name, not a place
        end = at + len(name)
        if _PLACE_END.search(name):
            government = next((g for g in _GOVERNMENT if other.startswith(g, end)), "")
            end += len(government)
        fuller = other[:end]
        if len(fuller) > len(name) and (best is None or len(fuller) > len(best)) \
                and looks_like_agency(fuller):
            best = fuller
    return best


# --------------------------------------------------------------------------- keys


_SPACE = re.compile(r"[\s\u200b\u3000]+")
_GOVERNMENT_OF = re.compile(r"^(?P<place>.+?)(?:人民政府|政府|管理委员会|管委会)$")
_SUBDISTRICT = re.compile(r"^(?P<place>.+?街道)办事处$")
_PLACE = re.compile(r"(?:省|市|县|区|州|盟|旗|镇|乡|苏木|街道|村)$")
_ORGAN = re.compile(r"局|厅|委|办|院|中心|公司|部|处|站|队|所|署|会")


def _normal(name: str) -> str:
    return to_simplified(_SPACE.sub("", unicodedata.normalize("NFKC", name)))


def _place(name: str) -> str:
    for pattern in (_GOVERNMENT_OF, _SUBDISTRICT):
        m = pattern.match(name)
        if m is not None:
            place = m["place"]
            if _PLACE.search(place) and not _ORGAN.search(place):
                return place
    return name


def agency_key(name: str | None, aliases: Mapping[str, str] | None = None) -> str | None:
    """The key of an agency name: the same for the spellings of one body.

    ``aliases`` maps normalised names to keys (:func:`read_aliases`). ``None``
    and a name with nothing in it give ``None``.

    >>> agency_key("平潭综合实验区管委会")
    '平潭综合实验区'
    >>> agency_key("平潭縣人民政府")
    '平潭县'
    >>> agency_key("平潭综合实验区地方税务局")
    '平潭综合实验区地方税务局'
    """
    if name is None:
        return None
    k = _normal(name)
    if not k:
        return None
    if aliases:
        if k in aliases:
            return aliases[k]
        k = _place(k)
        return aliases.get(k, k)
    return _place(k)


def read_aliases(path: str | os.PathLike[str]) -> dict[str, str]:
    """Read a user's alias file: CSV rows ``alias,agency`` (a header row of those words is skipped).

    Each alias, and the agency itself, map to the agency's key, so rows
    ``平潭管委会,平潭综合实验区`` and ``岚岛管委会,平潭综合实验区管委会`` all give
    ``平潭综合实验区``. An alias given two different agencies is an error.

    Raises:
        InputError: the file cannot be read, or a row is not two names.

    """
    out: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read the aliases: {getattr(e, 'strerror', None) or e}",
                         file=os.fspath(path)) from None
    for number, row in enumerate(rows, 1):
        cells = [c.strip() for c in row]
        if not any(cells) or (number == 1 and [c.lower() for c in cells] == ["alias", "agency"]):
            continue
        if len(cells) != 2 or not all(cells):
            raise InputError("an alias row is two names: alias,agency", file=os.fspath(path),
                             line=number)
        target = agency_key(cells[1])
        assert target is not None
        for alias in {_normal(cells[0]), _place(_normal(cells[0]))}:
            if out.get(alias, target) != target:
                raise InputError(f"{cells[0]} is given two agencies: {out[alias]} and {target}",
                                 file=os.fspath(path), line=number)
            out[alias] = target
    return out
