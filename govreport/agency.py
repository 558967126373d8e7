"""Agency names: what reads as the name of a body, and when two names are the same body.

A report names its agency in several places (title lines, a page's
``<title>``, a document property, "本报告由…编制" in the preamble), and not
always alike: ``洪泽区人民政府`` in the title, ``淮安市洪泽区人民政府`` in the
preamble, ``淮安市洪泽区人民政府办公室`` as the office that compiled it. These
functions say whether a text is a body's name at all (a site or column name
is not), whether two names are one body, and which longer statement of a
name the report also gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["full_name", "looks_like_agency", "same_body"]

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
