"""A made-up provincial table for govreport: the worked example of docs/extending.md.

青禾省 is not a real province and 青禾省政务公开补充统计表 is not a real table.
Some provinces do ask their agencies for a table of their own besides the
national template; this package shows how such a table gets into
``Report.extra_tables``, ``govreport.flatten`` and ``govreport.check``:

=========================  ============  ============
项目                        本年数量       上年数量
=========================  ============  ============
一、政务新媒体发布信息（条）   186           152
二、政府开放日活动（场）       4             3
三、12345热线转办诉求（件）    23            19
四、合计                     213           174
=========================  ============  ============
"""

from functools import lru_cache
from importlib.resources import files
from typing import ClassVar, Literal

from attrs import field, frozen

from govreport.arithmetic import Relation
from govreport.forms import Form, Label
from govreport.model import RawRow, Value

__all__ = ["QINGHE_SUPPLEMENT", "Count", "QingheSupplement", "classify"]


@frozen
class Count:
    """One row of the table: this year's and last year's number."""

    this_year: Value = field(factory=Value)
    last_year: Value = field(factory=Value)
    label: str | None = None


@frozen
class QingheSupplement:
    """青禾省政务公开补充统计表 (a made-up provincial table)."""

    flat_prefix: ClassVar[str] = "qinghe."
    form: Literal["qinghe_supplement"] = "qinghe_supplement"
    new_media_posts: Count = field(factory=Count)
    open_days: Count = field(factory=Count)
    hotline_referrals: Count = field(factory=Count)
    total: Count = field(factory=Count)
    extra_rows: tuple[RawRow, ...] = ()


# Row labels as govreport's normalize.key() writes them (numbering split off),
# and the grammar terminal each one becomes.
ROWS = {
    "政务新媒体发布信息": "NEW_MEDIA_POSTS",
    "政府开放日活动": "OPEN_DAYS",
    "12345热线转办诉求": "HOTLINE_REFERRALS",
    "合计": "TOTAL",
}
COLUMNS = {"本年数量": "this_year", "上年数量": "last_year"}


@lru_cache(maxsize=1024)
def classify(number: str | None, key: str) -> Label | None:
    """What a label cell of the table means: a row, a column header, or nothing."""
    for text, terminal in ROWS.items():
        # A unit may follow the label: 政府开放日活动(场).
        if key == text or key.startswith(text + "("):
            return Label("row", terminal)
    if number is None and key in COLUMNS:
        return Label("column", COLUMNS[key])
    if number is None and key == "项目":
        return Label("note", "item")
    return None


_PARTS = ("new_media_posts", "open_days", "hotline_referrals")

RELATIONS = tuple(
    Relation("QH1", "error", (f"qinghe.total.{column}",),
             tuple(f"qinghe.{row}.{column}" for row in _PARTS),
             zh=f"{column}列：合计 = 各项之和", en=f"column {column}: total = sum of the rows")
    for column in ("this_year", "last_year"))
"""The table's arithmetic; ``govreport.check`` reports it under code QH1."""

QINGHE_SUPPLEMENT = Form(
    "qinghe_supplement",
    QingheSupplement,
    kind="qinghe_supplement",
    classify=classify,
    markers=frozenset(),
    years=range(2020, 2100),
    labels=(*ROWS, *COLUMNS),
    relations=RELATIONS,
    grammars=files(__name__).joinpath("grammars"),
)
"""The form govreport loads through the ``govreport.forms`` entry point."""
