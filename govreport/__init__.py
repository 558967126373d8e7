"""govreport: Chinese government information-disclosure annual reports as typed data.

The API reads like the ``json`` module::

    import govreport
    report = govreport.parse_file("report.txt")
    report.applications.new_received.total.value   # an int, or None
    govreport.flatten(report)                       # {"applications.new_received.total": 464, …}
    govreport.check(report)                         # [Finding(code="B1", …), …]
    text = govreport.to_json(report)
    assert govreport.from_json(text) == report

Each pipeline stage is public too: :func:`decode`, :func:`read_document`
(text → lines and grids), :func:`outline` (→ sections) and :func:`parse`.
:func:`parse_many` parses many files in parallel, in input order;
:func:`panel` puts many reports' values in one long table under canonical indicators;
:func:`compare` compares one agency's reports of two years (docs/compare.md).
"""

from typing import TYPE_CHECKING

from govreport.errors import (
    DecodeError,
    GovReportError,
    InputError,
    MissingExtra,
    ParseError,
    SeriesError,
    UnsupportedInput,
)
from govreport.limits import LimitExceeded, Limits
from govreport.model import (
    ApplicantRow,
    Applications2019,
    Applications2021,
    CaseOutcomes,
    Diagnostic,
    Document,
    Grid,
    Proactive2019,
    Proactive2021,
    Report,
    ReviewLitigation,
    Section,
    Value,
)
from govreport.outline import outline
from govreport.pipeline import decode, parse, parse_file, read_document

if TYPE_CHECKING:  # loaded lazily at run time (see __getattr__)
    from govreport.comparison import (
        Comparison,
        compare,
        comparison_to_dict,
        comparison_to_json,
    )
    from govreport.corpus import parse_many
    from govreport.panels import panel
    from govreport.serialize import (
        ALL_FIELDS,
        FIELDS,
        FORM_FIELDS,
        flatten,
        from_dict,
        from_json,
        to_dict,
        to_json,
    )
    from govreport.validate import Finding, check, check_series

__version__ = "0.1.0"

# Loaded on first use, so that parsing pays neither for the converter and the
# checks it may not need, nor for the corpus runner, its pool and writers,
# comparing reports or the panel (docs/architecture.md).
_LAZY = {
    **dict.fromkeys(("ALL_FIELDS", "FIELDS", "FORM_FIELDS", "flatten", "from_dict",
                     "from_json", "to_dict", "to_json"), "govreport.serialize"),
    **dict.fromkeys(("Finding", "check", "check_series"), "govreport.validate"),
    "parse_many": "govreport.corpus",
    "compare": "govreport.comparison",
    "Comparison": "govreport.comparison",
    "comparison_to_dict": "govreport.comparison",
    "comparison_to_json": "govreport.comparison",
    "panel": "govreport.panels",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'govreport' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "ALL_FIELDS",
    "FIELDS",
    "FORM_FIELDS",
    "ApplicantRow",
    "Applications2019",
    "Applications2021",
    "CaseOutcomes",
    "Comparison",
    "DecodeError",
    "Diagnostic",
    "Document",
    "Finding",
    "GovReportError",
    "Grid",
    "InputError",
    "LimitExceeded",
    "Limits",
    "MissingExtra",
    "ParseError",
    "Proactive2019",
    "Proactive2021",
    "Report",
    "ReviewLitigation",
    "Section",
    "SeriesError",
    "UnsupportedInput",
    "Value",
    "__version__",
    "check",
    "check_series",
    "compare",
    "comparison_to_dict",
    "comparison_to_json",
    "decode",
    "flatten",
    "from_dict",
    "from_json",
    "outline",
    "panel",
    "parse",
    "parse_file",
    "parse_many",
    "read_document",
    "to_dict",
    "to_json",
]
