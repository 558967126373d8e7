"""The typed result of parsing: frozen attrs classes, one per table and template.

Field names of the table classes are the canonical flat keys of the export
(``applications.granted.total`` is ``report.applications.granted.total``), so
:func:`govreport.flatten` can walk the classes instead of keeping a mapping.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import ClassVar, Literal, Protocol, Union

import attrs
from attrs import field, frozen

from govreport.frozen import quick_init

__all__ = [
    "TABLE_OF_SECTION",
    "ApplicantRow",
    "Applications2019",
    "Applications2021",
    "Block",
    "CaseOutcomes",
    "Cell",
    "Contact",
    "Decisions",
    "Diagnostic",
    "Document",
    "DocumentCounts2019",
    "DocumentCounts2021",
    "ExtraTable",
    "FeeAmount",
    "FeeItems2019",
    "Grid",
    "GridRow",
    "ItemCounts2019",
    "Proactive2019",
    "Proactive2021",
    "Procurement2019",
    "ProseFigure",
    "RawRow",
    "Report",
    "ReviewLitigation",
    "Script",
    "Section",
    "SectionKind",
    "Statistics2014",
    "StatisticsRow",
    "Template",
    "TextLine",
    "Value",
]

Template = Literal["2021", "2019", "freeform"]
SectionKind = Literal[
    "overview",
    "proactive_disclosure",
    "applications",
    "review_litigation",
    "problems_improvements",
    "other_matters",
    "extra",
]
TABLE_OF_SECTION: dict[SectionKind, str] = {
    "proactive_disclosure": "proactive",
    "applications": "applications",
    "review_litigation": "review_litigation",
}
"""The template table (``Report`` field) each template section holds."""
Number = Union[int, Decimal]
Script = Literal["hans", "hant"]
"""The script the report was published in: Simplified or Traditional Chinese."""


# --------------------------------------------------------------------------- document


@quick_init
@frozen
class Cell:
    """One table cell as it stood in the input: its text and where it was."""

    text: str
    line: int
    column: int


@quick_init
@frozen
class GridRow:
    """One table row: its cells in reading order, and the line it starts on."""

    cells: tuple[Cell, ...]
    line: int

    @property
    def texts(self) -> tuple[str, ...]:
        """The cell texts."""
        return tuple(c.text for c in self.cells)


@quick_init
@frozen
class Grid:
    """A table rebuilt from the input, before any meaning is given to it."""

    rows: tuple[GridRow, ...]
    line: int
    end_line: int


@quick_init
@frozen
class TextLine:
    """A line of running text (heading, paragraph, title …) with its line number."""

    text: str
    line: int


Block = Union[TextLine, Grid]


@quick_init
@frozen
class Document:
    """The output of a layout: the input as a flat sequence of text lines and grids.

    ``chrome`` is text of the page around the report (breadcrumbs, share
    buttons, a crawler's header): kept, but apart from the report's text.
    ``script`` and ``diagnostics`` say what cleaning the page needed
    (:mod:`govreport.clean`): a Traditional page converted, glosses, markup,
    mojibake or advertising removed.
    ``titles`` are titles the file states outside its running text, as
    ``(origin, text)`` pairs: a page's ``<title>`` (``"html-title"``), its
    ``<meta name="ArticleTitle">`` (``"meta:ArticleTitle"``), a PDF's or Word
    file's document-title property (``"pdf-title"``, ``"docx-title"``). They
    are evidence for the report's agency and year, never report text.
    """

    blocks: tuple[Block, ...]
    layout: str
    chrome: tuple[TextLine, ...] = ()
    script: Script = "hans"
    diagnostics: tuple[Diagnostic, ...] = ()
    titles: tuple[tuple[str, str], ...] = ()


# --------------------------------------------------------------------------- values


@quick_init
@frozen
class Value:
    """A number taken from one table cell, with where it came from.

    ``value`` is ``None`` when the cell is blank, a dash, absent, or could not
    be read with certainty; ``note`` then says which, and the report's
    diagnostics say more.
    """

    value: int | Decimal | None = None
    raw: str | None = None
    line: int | None = None
    column: int | None = None
    unit: str | None = None
    note: str | None = None


@quick_init
@frozen
class RawRow:
    """A table row the form did not model (a subtotal, an unknown label …), kept as written."""

    cells: tuple[str, ...]
    line: int
    reason: str


# --------------------------------------------------------------------------- table A


@quick_init
@frozen
class DocumentCounts2021:
    """规章 / 行政规范性文件 under the 2021 template."""

    issued: Value = field(factory=Value)
    repealed: Value = field(factory=Value)
    in_force: Value = field(factory=Value)
    label: str | None = None


@quick_init
@frozen
class DocumentCounts2019:
    """规章 / 规范性文件 under the 2019 template."""

    newly_made: Value = field(factory=Value)
    newly_published: Value = field(factory=Value)
    total_published: Value = field(factory=Value)
    label: str | None = None


@quick_init
@frozen
class Decisions:
    """行政许可 / 行政处罚 / 行政强制 under the 2021 template: decisions this year."""

    decisions: Value = field(factory=Value)
    label: str | None = None


@quick_init
@frozen
class ItemCounts2019:
    """A 2019 row with 上一年项目数量 | 本年增/减 | 处理决定数量."""

    prior_items: Value = field(factory=Value)
    net_change: Value = field(factory=Value)
    decisions: Value = field(factory=Value)
    label: str | None = None


@quick_init
@frozen
class FeeAmount:
    """行政事业性收费 under the 2021 template, in 万元."""

    amount_10k_yuan: Value = field(factory=Value)
    label: str | None = None


@quick_init
@frozen
class FeeItems2019:
    """行政事业性收费 under the 2019 template."""

    prior_items: Value = field(factory=Value)
    net_change: Value = field(factory=Value)
    label: str | None = None


@quick_init
@frozen
class Procurement2019:
    """政府集中采购 under the 2019 template; the amount is converted to 万元."""

    projects: Value = field(factory=Value)
    amount_10k_yuan: Value = field(factory=Value)
    label: str | None = None


@quick_init
@frozen
class Proactive2021:
    """Table A, 主动公开政府信息情况, 2021 template."""

    flat_prefix: ClassVar[str] = "proactive."
    form: Literal["proactive_2021"] = "proactive_2021"
    rules: DocumentCounts2021 = field(factory=DocumentCounts2021)
    normative_documents: DocumentCounts2021 = field(factory=DocumentCounts2021)
    licensing: Decisions = field(factory=Decisions)
    penalties: Decisions = field(factory=Decisions)
    coercion: Decisions = field(factory=Decisions)
    fees: FeeAmount = field(factory=FeeAmount)
    extra_rows: tuple[RawRow, ...] = ()


@quick_init
@frozen
class Proactive2019:
    """Table A, 主动公开政府信息情况, 2019 (trial) template."""

    flat_prefix: ClassVar[str] = "proactive."
    form: Literal["proactive_2019"] = "proactive_2019"
    rules: DocumentCounts2019 = field(factory=DocumentCounts2019)
    normative_documents: DocumentCounts2019 = field(factory=DocumentCounts2019)
    licensing: ItemCounts2019 = field(factory=ItemCounts2019)
    other_services: ItemCounts2019 = field(factory=ItemCounts2019)
    penalties: ItemCounts2019 = field(factory=ItemCounts2019)
    coercion: ItemCounts2019 = field(factory=ItemCounts2019)
    fees: FeeItems2019 = field(factory=FeeItems2019)
    procurement: Procurement2019 = field(factory=Procurement2019)
    extra_rows: tuple[RawRow, ...] = ()


# --------------------------------------------------------------------------- table B


@quick_init
@frozen
class ApplicantRow:
    """One row of Table B: a count per applicant type, and the total."""

    natural_person: Value = field(factory=Value)
    commercial_enterprise: Value = field(factory=Value)
    research_institution: Value = field(factory=Value)
    social_welfare_org: Value = field(factory=Value)
    legal_service_org: Value = field(factory=Value)
    other_org: Value = field(factory=Value)
    total: Value = field(factory=Value)
    label: str | None = None


@quick_init
@frozen
class Applications2021:
    """Table B, 收到和处理政府信息公开申请情况, 2021 template."""

    flat_prefix: ClassVar[str] = "applications."
    form: Literal["applications_2021"] = "applications_2021"
    new_received: ApplicantRow = field(factory=ApplicantRow)
    carried_over: ApplicantRow = field(factory=ApplicantRow)
    granted: ApplicantRow = field(factory=ApplicantRow)
    partially_granted: ApplicantRow = field(factory=ApplicantRow)
    withheld_state_secret: ApplicantRow = field(factory=ApplicantRow)
    withheld_prohibited_by_law: ApplicantRow = field(factory=ApplicantRow)
    withheld_security_stability: ApplicantRow = field(factory=ApplicantRow)
    withheld_third_party: ApplicantRow = field(factory=ApplicantRow)
    withheld_internal_affairs: ApplicantRow = field(factory=ApplicantRow)
    withheld_process_info: ApplicantRow = field(factory=ApplicantRow)
    withheld_enforcement_file: ApplicantRow = field(factory=ApplicantRow)
    withheld_admin_inquiry: ApplicantRow = field(factory=ApplicantRow)
    unable_not_held: ApplicantRow = field(factory=ApplicantRow)
    unable_needs_creation: ApplicantRow = field(factory=ApplicantRow)
    unable_unclear: ApplicantRow = field(factory=ApplicantRow)
    not_processed_complaint: ApplicantRow = field(factory=ApplicantRow)
    not_processed_duplicate: ApplicantRow = field(factory=ApplicantRow)
    not_processed_publication: ApplicantRow = field(factory=ApplicantRow)
    not_processed_excessive: ApplicantRow = field(factory=ApplicantRow)
    not_processed_confirmation: ApplicantRow = field(factory=ApplicantRow)
    other_no_correction: ApplicantRow = field(factory=ApplicantRow)
    other_fee_unpaid: ApplicantRow = field(factory=ApplicantRow)
    other_misc: ApplicantRow = field(factory=ApplicantRow)
    total_concluded: ApplicantRow = field(factory=ApplicantRow)
    carried_forward: ApplicantRow = field(factory=ApplicantRow)
    extra_rows: tuple[RawRow, ...] = ()


@quick_init
@frozen
class Applications2019:
    """Table B, 2019 template: （六）其他处理 is a single row."""

    flat_prefix: ClassVar[str] = "applications."
    form: Literal["applications_2019"] = "applications_2019"
    new_received: ApplicantRow = field(factory=ApplicantRow)
    carried_over: ApplicantRow = field(factory=ApplicantRow)
    granted: ApplicantRow = field(factory=ApplicantRow)
    partially_granted: ApplicantRow = field(factory=ApplicantRow)
    withheld_state_secret: ApplicantRow = field(factory=ApplicantRow)
    withheld_prohibited_by_law: ApplicantRow = field(factory=ApplicantRow)
    withheld_security_stability: ApplicantRow = field(factory=ApplicantRow)
    withheld_third_party: ApplicantRow = field(factory=ApplicantRow)
    withheld_internal_affairs: ApplicantRow = field(factory=ApplicantRow)
    withheld_process_info: ApplicantRow = field(factory=ApplicantRow)
    withheld_enforcement_file: ApplicantRow = field(factory=ApplicantRow)
    withheld_admin_inquiry: ApplicantRow = field(factory=ApplicantRow)
    unable_not_held: ApplicantRow = field(factory=ApplicantRow)
    unable_needs_creation: ApplicantRow = field(factory=ApplicantRow)
    unable_unclear: ApplicantRow = field(factory=ApplicantRow)
    not_processed_complaint: ApplicantRow = field(factory=ApplicantRow)
    not_processed_duplicate: ApplicantRow = field(factory=ApplicantRow)
    not_processed_publication: ApplicantRow = field(factory=ApplicantRow)
    not_processed_excessive: ApplicantRow = field(factory=ApplicantRow)
    not_processed_confirmation: ApplicantRow = field(factory=ApplicantRow)
    other_handling: ApplicantRow = field(factory=ApplicantRow)
    total_concluded: ApplicantRow = field(factory=ApplicantRow)
    carried_forward: ApplicantRow = field(factory=ApplicantRow)
    extra_rows: tuple[RawRow, ...] = ()


# --------------------------------------------------------------------------- table C


@quick_init
@frozen
class CaseOutcomes:
    """Outcomes of reviews or lawsuits: 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计."""

    upheld: Value = field(factory=Value)
    corrected: Value = field(factory=Value)
    other: Value = field(factory=Value)
    pending: Value = field(factory=Value)
    total: Value = field(factory=Value)


@quick_init
@frozen
class ReviewLitigation:
    """Table C, 政府信息公开行政复议、行政诉讼情况 (the same in 2019 and 2021)."""

    flat_prefix: ClassVar[str] = ""
    form: Literal["review_litigation"] = "review_litigation"
    review: CaseOutcomes = field(factory=CaseOutcomes)
    litigation_direct: CaseOutcomes = field(factory=CaseOutcomes)
    litigation_after_review: CaseOutcomes = field(factory=CaseOutcomes)
    extra_rows: tuple[RawRow, ...] = ()


# Each table names its form in a field of its own, so JSON says which class it
# is and cattrs tells the 2019 and 2021 tables apart by that literal.
Table = Union[Proactive2021, Proactive2019, Applications2021, Applications2019, ReviewLitigation]


# --------------------------------------------------------------------------- 2014 statistics


@quick_init
@frozen
class StatisticsRow:
    """One row of a statistics table: an indicator, its unit and a value per column.

    ``label`` is the label as written (numbering and 其中 included);
    ``number`` its numbering in canonical form (``"(一)"``, ``"1."``) or
    ``None``; ``indicator`` the canonical name of a known indicator of the
    2014 table (``"received"``, ``"replies_agreed"`` …, see
    docs/freeform.md) or ``None`` for a row the vocabulary does not know;
    ``unit`` the unit as written (``"条"``, ``"——"`` for a group row) or
    ``None``. ``parent`` is the index in ``Statistics2014.rows`` of the row
    this one is an item of (a numbered item of a group, a 其中 item), or
    ``None`` for a top-level row.
    """

    label: str
    number: str | None = None
    indicator: str | None = None
    unit: str | None = None
    values: tuple[Value, ...] = ()
    line: int | None = None
    parent: int | None = None


@quick_init
@frozen
class Statistics2014:
    """政府信息公开情况统计表 (国办发〔2014〕32号) and the local tables like it.

    Rows are open-ended: each has a label, a unit and one value per column.
    ``columns`` are the value columns' headers as written (``("统计数",)``,
    ``("2016年度", "历年累计")``), empty when the table has no header row.
    """

    flat_prefix: ClassVar[str] = "statistics."
    form: Literal["statistics_2014"] = "statistics_2014"
    columns: tuple[str, ...] = ()
    rows: tuple[StatisticsRow, ...] = ()
    extra_rows: tuple[RawRow, ...] = ()

    def row(self, indicator: str) -> StatisticsRow | None:
        """The first row of a known indicator (``"received"``), or ``None``."""
        return next((r for r in self.rows if r.indicator == indicator), None)


class ExtraTable(Protocol):
    """A table with no Report field of its own: a plugin's form (docs/extending.md).

    Any frozen attrs class with a ``form`` literal naming its registered form
    and a ``flat_prefix`` for its flat keys, like the template tables.
    """

    flat_prefix: ClassVar[str]

    @property
    def form(self) -> str:
        """The name of the registered form that reads this table."""


def iter_values(table: attrs.AttrsInstance) -> Iterator[tuple[str, Value]]:
    """Yield ``(flat key, Value)`` for every cell of a table, in template order."""
    prefix: str = getattr(table, "flat_prefix", "")
    for row_field in attrs.fields(type(table)):
        row = getattr(table, row_field.name)
        if not attrs.has(type(row)):
            continue
        for cell_field in attrs.fields(type(row)):
            value = getattr(row, cell_field.name)
            if isinstance(value, Value):
                yield f"{prefix}{row_field.name}.{cell_field.name}", value


# --------------------------------------------------------------------------- report


@quick_init
@frozen
class Diagnostic:
    """Something the parser did not understand or is not sure of, and where.

    ``code`` is stable (see docs/diagnostics.md); ``path`` names the field
    concerned when there is one.
    """

    code: str
    message: str
    line: int | None = None
    column: int | None = None
    raw: str | None = None
    path: str | None = None


@quick_init
@frozen
class Section:
    """A numbered part of the report (一、…) or a sub-part (（一）…).

    ``text`` holds the section's own paragraphs (the heading line's text after
    the title included); sub-sections hold theirs.
    """

    number: str | None
    title: str
    kind: SectionKind
    heading: str
    line: int
    text: str = ""
    grids: tuple[Grid, ...] = ()
    subsections: tuple[Section, ...] = ()


@quick_init
@frozen
class Contact:
    """Where the report says to send questions (the preamble of pre-2019 reports).

    Each part is the text as written, or ``None`` when the report does not give it.
    """

    address: str | None = None
    postcode: str | None = None
    phone: str | None = None
    fax: str | None = None
    email: str | None = None
    line: int | None = None


@quick_init
@frozen
class ProseFigure:
    """A number stated in running text ("全年共受理政府信息依申请公开199件").

    ``what`` names the quantity (``"applications.received"``, ``"review.total"``,
    ``"mailbox.answered"`` …; see :data:`govreport.figures.PATTERNS`). ``value``
    is exact unless ``approximate`` ("1000余条", "近500件", "1.1万余篇次");
    a rate ("回复率100%") has unit ``"%"``. ``sentence`` is the sentence as
    written and ``span`` its start and end offsets in the text of the
    (sub)section whose heading is on ``line``. ``section`` is the kind of the
    top-level section it was found in.
    """

    what: str
    value: int | Decimal
    unit: str
    approximate: bool
    line: int
    sentence: str
    span: tuple[int, int]
    section: SectionKind


@quick_init
@frozen
class Report:
    """A parsed annual report.

    Besides the template tables, a report carries what pre-2019 reports state
    in their preamble and signature: the data period, the publication date,
    a contact, and the parts the report says it consists of
    (``declared_parts``, from "本报告由…等N个部分组成"). ``figures`` are the
    numbers stated in prose. ``script`` is ``"hant"`` for a page published in
    Traditional Chinese, which was converted to Simplified before parsing.
    """

    title: str | None
    agency: str | None
    year: int | None
    template: Template
    layout: str
    preamble: str = ""
    preamble_grids: tuple[Grid, ...] = ()
    sections: tuple[Section, ...] = ()
    chrome: tuple[TextLine, ...] = ()
    script: Script = "hans"
    period_start: date | None = None
    period_end: date | None = None
    published: date | None = None
    contact: Contact | None = None
    declared_parts: tuple[str, ...] = ()
    declared_count: int | None = None
    figures: tuple[ProseFigure, ...] = ()
    proactive: Proactive2021 | Proactive2019 | None = None
    applications: Applications2021 | Applications2019 | None = None
    review_litigation: ReviewLitigation | None = None
    statistics: Statistics2014 | None = None
    extra_tables: tuple[ExtraTable, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    source: str | None = None

    @property
    def tables(self) -> tuple[Table, ...]:
        """The tables found, in template order."""
        found = (self.proactive, self.applications, self.review_litigation)
        return tuple(t for t in found if t is not None)

    def extra_table(self, form: str) -> ExtraTable | None:
        """The table of form ``form`` among ``extra_tables`` (a plugin's), or ``None``."""
        return next((t for t in self.extra_tables if t.form == form), None)


# The classes use postponed annotations; resolve them once so attrs.fields()
# carries real types for the forms and for cattrs.
for _cls in list(globals().values()):
    if isinstance(_cls, type) and attrs.has(_cls):
        attrs.resolve_types(_cls)
del _cls
