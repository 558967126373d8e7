"""The one cattrs converter, and the flat export.

``to_dict``/``from_dict`` and ``to_json``/``from_json`` round-trip a
:class:`~govreport.model.Report` exactly. Decimal amounts are written as JSON
strings ("2791.3") so no float ever touches them; integers stay integers.
Tables carry a ``form`` field (``"applications_2021"`` …) naming their class.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Union, cast

import attrs
import cattrs

from govreport.errors import ParseError
from govreport.model import (
    Applications2019,
    Applications2021,
    Proactive2019,
    Proactive2021,
    Report,
    ReviewLitigation,
    Template,
    iter_values,
)

if TYPE_CHECKING:  # the converter finds Finding's fields at run time; no import cycle
    from govreport.validate import Finding

__all__ = [
    "FIELDS",
    "converter",
    "findings_to_dicts",
    "findings_to_json",
    "flatten",
    "from_dict",
    "from_json",
    "to_dict",
    "to_json",
]

converter = cattrs.Converter(forbid_extra_keys=True)
"""The converter behind every (de)serialization in govreport."""

Number = Union[int, Decimal, None]


def _structure_number(obj: Any, _: Any) -> int | Decimal | None:
    if obj is None or (isinstance(obj, int) and not isinstance(obj, bool)):
        return obj
    if isinstance(obj, str):
        return Decimal(obj)
    raise ValueError(f"not a number: {obj!r}")


converter.register_structure_hook(Number, _structure_number)
converter.register_unstructure_hook(Decimal, str)
converter.register_structure_hook(Decimal, lambda obj, _: Decimal(str(obj)))


def to_dict(report: Report) -> dict[str, Any]:
    """The report as plain dicts, lists, strings, ints and ``None``."""
    out: dict[str, Any] = converter.unstructure(report)
    return out


def from_dict(data: dict[str, Any]) -> Report:
    """Rebuild a report from :func:`to_dict` output.

    Raises:
        ParseError: naming every field that does not fit, with its path.

    """
    try:
        return converter.structure(data, Report)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as e:
        raise ParseError(_explain(e)) from None


def to_json(report: Report, *, indent: int | None = None) -> str:
    """The report as JSON text (UTF-8 characters kept as they are)."""
    return json.dumps(to_dict(report), ensure_ascii=False, indent=indent)


def from_json(text: str | bytes) -> Report:
    """Rebuild a report from :func:`to_json` output.

    Raises:
        ParseError: for text that is not JSON or not a report.

    """
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        line = getattr(e, "lineno", None)
        raise ParseError(f"not JSON: {e}", line=line) from None
    if not isinstance(data, dict):
        raise ParseError("not a report: the JSON is not an object")
    return from_dict(data)


def findings_to_dicts(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Findings of :func:`govreport.check` as plain dicts; Decimal values as strings."""
    return [cast(dict[str, Any], converter.unstructure(f)) for f in findings]


def findings_to_json(findings: Iterable[Finding], *, indent: int | None = None) -> str:
    """Findings of :func:`govreport.check` as a JSON array."""
    return json.dumps(findings_to_dicts(findings), ensure_ascii=False, indent=indent)


def _explain(error: BaseException) -> str:
    if isinstance(error, cattrs.BaseValidationError):
        notes = cattrs.transform_error(error, path="report")
        return "not a report: " + "; ".join(notes)
    return f"not a report: {error}"


# --------------------------------------------------------------------------- flat


def _keys(*tables: type) -> tuple[str, ...]:
    return tuple(k for t in tables for k, _ in iter_values(t()))


FIELDS: dict[Template, tuple[str, ...]] = {
    "2021": _keys(Proactive2021, Applications2021, ReviewLitigation),
    "2019": _keys(Proactive2019, Applications2019, ReviewLitigation),
    "freeform": (),
}
"""The flat keys of each template, in template order (the keys of fields.tsv)."""

_TABLE_SLOTS: dict[Template, tuple[tuple[str, type], ...]] = {
    "2021": (("proactive", Proactive2021), ("applications", Applications2021),
             ("review_litigation", ReviewLitigation)),
    "2019": (("proactive", Proactive2019), ("applications", Applications2019),
             ("review_litigation", ReviewLitigation)),
    "freeform": (),
}


def flatten(report: Report) -> dict[str, int | Decimal | None]:
    """The report's values under the flat keys of its template.

    Exactly the keys of ``FIELDS[report.template]``; ``None`` where the
    table is missing, the cell blank, or the value uncertain. A table of the
    other template's form (a 2019 table in a 2021 report) gives ``None`` for
    its keys; its values stay on the report.
    """
    flat: dict[str, int | Decimal | None] = dict.fromkeys(FIELDS[report.template])
    for slot, cls in _TABLE_SLOTS[report.template]:
        table = getattr(report, slot)
        if isinstance(table, cls):
            for k, v in iter_values(cast(attrs.AttrsInstance, table)):
                flat[k] = v.value
    return flat
