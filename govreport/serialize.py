"""The one cattrs converter, and the flat export.

``to_dict``/``from_dict`` and ``to_json``/``from_json`` round-trip a
:class:`~govreport.model.Report` exactly. Decimal amounts are written as JSON
strings ("2791.3") so no float ever touches them; integers stay integers.
Tables carry a ``form`` field (``"applications_2021"`` …) naming their class.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Union, cast

import attrs
import cattrs

from govreport.errors import ParseError
from govreport.model import (
    Applications2019,
    Applications2021,
    ExtraTable,
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
    "ALL_FIELDS",
    "FIELDS",
    "FORM_FIELDS",
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


def _structure_figure(obj: Any, _: Any) -> int | Decimal:
    value = _structure_number(obj, _)
    if value is None:
        raise ValueError("a figure has a value")
    return value


def _structure_extra_table(obj: Any, _: Any) -> ExtraTable:
    # A plugin's table names its form; the form registry knows its class.
    from govreport.registry import form as registered_form

    name = obj.get("form") if isinstance(obj, dict) else None
    if not isinstance(name, str):
        raise ValueError("an extra table has no 'form' naming its class")
    found = registered_form(name)
    if found is None:
        raise _UnknownForm(f"unknown table form {name!r}: is the plugin that reads it installed? "
                         "(govreport layouts lists the installed forms)")
    table: ExtraTable = converter.structure(obj, found.table)
    return table


def _unstructure_extra_table(table: ExtraTable) -> Any:
    return converter.unstructure(table, unstructure_as=type(table))


converter.register_structure_hook(Number, _structure_number)
converter.register_structure_hook(ExtraTable, _structure_extra_table)
converter.register_unstructure_hook(ExtraTable, _unstructure_extra_table)
converter.register_structure_hook(Union[int, Decimal], _structure_figure)
converter.register_unstructure_hook(Decimal, str)
converter.register_structure_hook(Decimal, lambda obj, _: Decimal(str(obj)))
# Dates (publication, data period) as ISO strings, which JSON and CSV keep exactly.
converter.register_unstructure_hook(date, date.isoformat)
converter.register_structure_hook(date, lambda obj, _: date.fromisoformat(obj))


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
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError, AttributeError) as e:
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


class _UnknownForm(ValueError):
    """An extra table names a form no installed plugin provides."""


def _format_error(error: BaseException, cls: type | None) -> str:
    if isinstance(error, _UnknownForm):
        return str(error)
    return cattrs.v.format_exception(error, cls)


def _explain(error: BaseException) -> str:
    if isinstance(error, cattrs.BaseValidationError):
        notes = cattrs.transform_error(error, path="report", format_exception=_format_error)
        return "not a report: " + "; ".join(notes)
    return f"not a report: {error}"


# --------------------------------------------------------------------------- flat


def _keys(table: type) -> tuple[str, ...]:
    return tuple(k for k, _ in iter_values(table()))


_FORMS: tuple[type, ...] = (Proactive2021, Proactive2019, Applications2021, Applications2019,
                            ReviewLitigation)

_FORM_KEYS: dict[type, tuple[str, ...]] = {t: _keys(t) for t in _FORMS}

FORM_FIELDS: dict[str, tuple[str, ...]] = {
    cast(str, attrs.fields_dict(t)["form"].default): keys for t, keys in _FORM_KEYS.items()}
"""The flat keys of each template table form (``"applications_2019"`` …), in template order.

A table contributes the keys of the form it was read with, whatever the
report's template: see :func:`flatten`.
"""

FIELDS: dict[Template, tuple[str, ...]] = {
    "2021": (*_FORM_KEYS[Proactive2021], *_FORM_KEYS[Applications2021],
             *_FORM_KEYS[ReviewLitigation]),
    "2019": (*_FORM_KEYS[Proactive2019], *_FORM_KEYS[Applications2019],
             *_FORM_KEYS[ReviewLitigation]),
    "freeform": (),
}
"""The flat keys of each template, in template order (the keys of fields.tsv).

A report of a template has these keys in :func:`flatten` unless one of its
tables was read in the other template's form.
"""

ALL_FIELDS: tuple[str, ...] = tuple(dict.fromkeys((*FIELDS["2021"], *FIELDS["2019"])))
"""Every flat key of the template tables, each once: those of 2021, then the 2019-only ones.

What a column set must hold for any report (``flatten`` of a 2021 report
whose Table B keeps the 2019 form has ``applications.other_handling.*``).
"""

# Per template: each table slot of the report and the form the template gives it.
_TABLE_SLOTS: dict[Template, tuple[tuple[str, type | None], ...]] = {
    "2021": (("proactive", Proactive2021), ("applications", Applications2021),
             ("review_litigation", ReviewLitigation)),
    "2019": (("proactive", Proactive2019), ("applications", Applications2019),
             ("review_litigation", ReviewLitigation)),
    "freeform": (("proactive", None), ("applications", None), ("review_litigation", None)),
}


def flatten(report: Report) -> dict[str, int | Decimal | None]:
    """The report's values under flat keys (``applications.granted.total`` …).

    Each table slot (Tables A, B, C) gives the keys of the form its table
    was read with, in template order: a 2021 report whose Table B keeps the
    2019 form gives the 2019 Table B keys (``applications.other_handling.*``)
    and the 2021 keys for its other tables. A missing table gives the keys
    the report's template has for it, all ``None`` (a free-form report has
    none). ``None`` also where the cell is blank or the value uncertain.
    Then the keys of each table in ``report.extra_tables`` (a plugin's),
    under its ``flat_prefix``.
    """
    flat: dict[str, int | Decimal | None] = {}
    for slot, cls in _TABLE_SLOTS[report.template]:
        table = getattr(report, slot)
        if table is not None:
            for k, v in iter_values(cast(attrs.AttrsInstance, table)):
                flat[k] = v.value
        elif cls is not None:
            flat.update(dict.fromkeys(_FORM_KEYS[cls]))
    # A plugin's table adds its own keys (its flat_prefix), when the report has it.
    for extra in report.extra_tables:
        for k, v in iter_values(cast(attrs.AttrsInstance, extra)):
            flat[k] = v.value
    return flat
