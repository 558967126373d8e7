"""Table A, 主动公开政府信息情况: vocabulary and the 2019 and 2021 forms.

Table A is four (2021) or five (2019) blocks, each opened by a caption row
第二十条第（N）项 and a header row naming its columns; the header decides
which value goes to which field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from lark import Token

from govreport.arithmetic import relations, series_relations
from govreport.forms.base import Form, Label, LexedRows, SplitRow
from govreport.grammar import token
from govreport.model import Proactive2019, Proactive2021

__all__ = ["LABELS", "PROACTIVE_2019", "PROACTIVE_2021", "classify", "header_token"]

_ROWS = {
    "规章": "RULES",
    "行政规范性文件": "NORMATIVE_DOCUMENTS",
    "规范性文件": "NORMATIVE_DOCUMENTS",  # the 2019 label, still used in later reports (D01)
    "行政许可": "LICENSING",
    "其他对外管理服务事项": "OTHER_SERVICES",
    "行政处罚": "PENALTIES",
    "行政强制": "COERCION",
    "行政事业性收费": "FEES",
    "政府集中采购": "PROCUREMENT",
}

# Column headers by the start of their key; values are the row classes' field names.
_COLUMNS: tuple[tuple[str, str], ...] = (
    ("本年制发件数", "issued"),
    ("本年废止件数", "repealed"),
    ("现行有效件数", "in_force"),
    ("本年处理决定数量", "decisions"),
    ("处理决定数量", "decisions"),
    ("本年收费金额", "amount_10k_yuan"),
    ("本年新制作数量", "newly_made"),
    ("本年新公开数量", "newly_published"),
    ("对外公开总数量", "total_published"),
    ("上一年项目数量", "prior_items"),
    ("本年增/减", "net_change"),
    ("本年增减", "net_change"),
    ("采购项目数", "projects"),
    ("采购总金额", "amount_10k_yuan"),
)

# The template's labels as printed, for finding them in text without cell borders.
LABELS = (
    *(f"第二十条第({n})项" for n in "一五六八九"),
    "信息内容", *_ROWS, "本年收费金额(单位:万元)", "本年增/减", "采购项目数量",
    *(prefix for prefix, _ in _COLUMNS),
)

_CAPTION = re.compile(r"^第二十条第\((一|五|六|八|九)\)项")
# A caption whose item number was lost: 第二十条第()项, 第二十条第().
_CAPTION_LOST = re.compile(r"^第二十条第\(\)项?$")
# The caption a block's first row implies, for a caption that lost its number.
_BLOCK_CAPTIONS = {
    "RULES": "CAPTION_1", "NORMATIVE_DOCUMENTS": "CAPTION_1",
    "LICENSING": "CAPTION_5", "OTHER_SERVICES": "CAPTION_5",
    "PENALTIES": "CAPTION_6", "COERCION": "CAPTION_6",
    "FEES": "CAPTION_8", "PROCUREMENT": "CAPTION_9",
}
_ARTICLE_ITEMS = {"一": "1", "五": "5", "六": "6", "八": "8", "九": "9"}


@lru_cache(maxsize=4096)
def classify(number: str | None, k: str) -> Label | None:
    """The meaning of a Table A label key (its numbering split off)."""
    if number is None and k in _ROWS:
        return Label("row", _ROWS[k])
    if number is None and "(" in k and k.split("(", 1)[0] in _ROWS:
        # Filling instructions kept in the label: 规章(设区的市…应提供相关数据),
        # perhaps wrapped onto the next line.
        return Label("row", _ROWS[k.split("(", 1)[0]])
    if _CAPTION_LOST.match(k):
        return Label("caption", "CAPTION_LOST")
    m = _CAPTION.match(k)
    if m:
        return Label("caption", f"CAPTION_{_ARTICLE_ITEMS[m[1]]}")
    for prefix, column in _COLUMNS:
        if k.startswith(prefix):
            return Label("column", column)
    if k == "信息内容":
        return Label("note", "content")
    return None


def header_token(columns: tuple[str, ...]) -> str:
    """Name a header row by the columns it announces."""
    cols = set(columns)
    if cols & {"issued", "repealed", "in_force"}:
        return "HEADER_DOCS_2021"
    if cols & {"newly_made", "newly_published", "total_published"}:
        return "HEADER_DOCS_2019"
    if "projects" in cols:
        return "HEADER_PROCUREMENT"
    if cols & {"prior_items", "net_change"}:
        return "HEADER_ITEMS_2019"
    if "amount_10k_yuan" in cols:
        return "HEADER_AMOUNT"
    if "decisions" in cols:
        return "HEADER_DECISIONS"
    return "HEADER"


class _ProactiveForm(Form):
    """Gives a caption that lost its item number the one its block's rows imply."""

    def lex(self, rows: Iterable[SplitRow]) -> LexedRows:
        lexed = super().lex(rows)
        tokens = list(lexed.tokens)
        if not any(t.type == "CAPTION_LOST" for t in tokens):
            return lexed
        out: list[Token] = []
        for i, t in enumerate(tokens):
            if t.type != "CAPTION_LOST":
                out.append(t)
                continue
            # The next row names the block; a header between them says nothing of it.
            following = next((u.type for u in tokens[i + 1:] if u.type in _BLOCK_CAPTIONS
                              or u.type.startswith("CAPTION_")), None)
            if following in _BLOCK_CAPTIONS:
                out.append(token(_BLOCK_CAPTIONS[following], t.value))
        return LexedRows(tuple(out), lexed.unknown)


PROACTIVE_2021 = _ProactiveForm(
    "proactive_2021",
    Proactive2021,
    kind="proactive",
    classify=classify,
    header_token=header_token,
    markers=frozenset({"HEADER_DOCS_2021", "HEADER_DECISIONS", "HEADER_AMOUNT"}),
    years=range(2021, 2100),
    templates=frozenset({"2021"}),
    fixed_columns=False,
    labels=LABELS,
    relations=relations("proactive_2021"),
    series_relations=series_relations("proactive_2021"),
)

PROACTIVE_2019 = _ProactiveForm(
    "proactive_2019",
    Proactive2019,
    kind="proactive",
    classify=classify,
    header_token=header_token,
    markers=frozenset({"HEADER_DOCS_2019", "HEADER_ITEMS_2019", "HEADER_PROCUREMENT",
                       "OTHER_SERVICES", "PROCUREMENT", "CAPTION_9"}),
    years=range(2019, 2021),
    templates=frozenset({"2019"}),
    fixed_columns=False,
    labels=LABELS,
    relations=relations("proactive_2019"),
)
