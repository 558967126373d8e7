"""Reference pages generated from the code: an mkdocs hook (mkdocs.yml ``hooks``).

A page asks for a generated part with a line of its own::

    <!-- generated: model -->

and the build puts the part there: ``model`` (the attrs classes, walked from
``Report``), ``flat-keys`` (every key of ``govreport.FIELDS``, and those of
installed plugins), ``check-codes`` (``govreport.validate.CODES`` and the
plugins' relation codes) and ``cli`` (the argparse parser of ``govreport``).
An unknown name fails the build. Run ``python docs/_hooks/reference.py NAME``
to print a part.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import itertools
import re
import sys
import textwrap
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any

import attrs

import govreport
from govreport import cli, registry
from govreport.forms import Form, report_slot
from govreport.forms.base import kind_of
from govreport.model import Report, iter_values
from govreport.validate import CODES

MARKER = re.compile(r"^<!-- generated: ([a-z-]+) -->$", re.M)


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    """Replace each marker line with its generated part."""
    return MARKER.sub(lambda m: generate(m[1]), markdown)


def generate(name: str) -> str:
    """The generated part called ``name``."""
    try:
        return GENERATORS[name]().rstrip("\n")
    except KeyError:
        raise ValueError(f"no generated part {name!r} (known: {', '.join(GENERATORS)})") from None


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


# --------------------------------------------------------------------------- model


def _plugin_forms() -> list[Form]:
    return [f for f in registry.forms() if report_slot(f) is None]


def _reach(starts: list[type], stop: set[type], seen: list[type]) -> list[type]:
    """Attrs classes reachable from ``starts`` through field types, not entering ``stop``."""
    found: list[type] = []
    todo: list[Any] = list(starts)
    while todo:
        t = todo.pop(0)
        for c in _attrs_in(t):
            if c in seen or c in found or (c in stop and c not in starts):
                continue
            found.append(c)
            todo.extend(f.type for f in attrs.fields(c))
    return found


def _attrs_in(t: Any) -> Iterator[type]:
    if isinstance(t, type) and attrs.has(t):
        yield t
    for arg in typing.get_args(t):
        yield from _attrs_in(arg)


def _type(t: Any) -> str:
    if t is type(None):
        return "None"
    if t is Ellipsis:
        return "..."
    origin = typing.get_origin(t)
    if origin is typing.Literal:
        return " \\| ".join(f'`"{a}"`' if isinstance(a, str) else f"`{a!r}`"
                            for a in typing.get_args(t))
    if origin in (typing.Union, types.UnionType):
        return " \\| ".join(_type(a) for a in typing.get_args(t))
    if origin is not None:
        args = ", ".join(_type(a) for a in typing.get_args(t))
        return f"{getattr(origin, '__name__', str(origin))}[{args}]"
    if isinstance(t, type):
        if attrs.has(t):
            return f"[{t.__name__}](#{t.__name__.lower()})"
        return f"`{t.__name__}`"
    return f"`{t}`"


def _default(f: attrs.Attribute[Any]) -> str:
    d: Any = f.default
    if d is attrs.NOTHING:
        return "required"
    factory = getattr(d, "factory", None)
    if factory is not None:
        return f"`{getattr(factory, '__name__', repr(factory))}()`"
    return f"`{d!r}`"


def _field_docs(cls: type) -> dict[str, str]:
    """Attribute docstrings: a string literal right after a field, as Sphinx reads them."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    except (OSError, TypeError):
        return {}
    docs: dict[str, str] = {}
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    for a, b in itertools.pairwise(body):
        if (isinstance(a, ast.AnnAssign) and isinstance(a.target, ast.Name)
                and isinstance(b, ast.Expr) and isinstance(b.value, ast.Constant)
                and isinstance(b.value.value, str)):
            docs[a.target.id] = b.value.value
    return docs


def _class_section(cls: type) -> str:
    doc = inspect.cleandoc(cls.__doc__ or "")
    out = [f"### {cls.__name__}", "", f"`{cls.__module__}.{cls.__name__}`", ""]
    if doc:
        # reST literals (``x``) read as Markdown code.
        out += [doc.replace("``", "`"), ""]
    prefix = getattr(cls, "flat_prefix", None)
    if prefix is not None:
        out += [f"Flat keys start with `{prefix}`." if prefix else
                "Flat keys have no table prefix.", ""]
    docs = _field_docs(cls)
    out += ["| field | type | default |" + (" meaning |" if docs else ""),
            "|---|---|---|" + ("---|" if docs else "")]
    for f in attrs.fields(cls):
        row = f"| `{f.name}` | {_type(f.type)} | {_default(f)} |"
        if docs:
            row += f" {_cell(docs.get(f.name, ''))} |"
        out.append(row)
    return "\n".join(out) + "\n"


def model() -> str:
    """Every attrs class of the model, from Report down, with its fields."""
    plugin = [f.table for f in _plugin_forms()]
    builtin = [f.table for f in registry.forms() if f.table not in plugin]
    tables = {*plugin, *builtin}
    seen: list[type] = []
    parts: list[str] = []
    groups: list[tuple[str, list[type]]] = [
        ("Report and its parts", [Report]), ("Template tables", builtin),
        ("Tables of installed plugins", plugin)]
    for title, starts in groups:
        found = _reach(starts, tables, seen)
        seen += found
        # Tables first, then their rows; everything else in reading order.
        found.sort(key=lambda c: c not in tables)
        parts += [f"## {title}", ""]
        parts += [_class_section(c) for c in found]
    if not plugin:
        parts += ["No plugin with a table of its own was installed when this page was "
                  "built; see [Extending govreport](extending.md).", ""]
    return "\n".join(parts)


# --------------------------------------------------------------------------- flat keys


def flat_keys() -> str:
    """Every flat key of each template, by table, with the kind of value it holds."""
    templates = [t for t, keys in govreport.FIELDS.items() if keys]
    union: dict[str, None] = {}
    for t in templates:
        union.update(dict.fromkeys(govreport.FIELDS[t]))
    counts = ", ".join(f"`FIELDS[\"{t}\"]` has {len(govreport.FIELDS[t])}" for t in templates)
    out = [f"{len(union)} keys in all: {counts}; `FIELDS[\"freeform\"]` has none.", ""]
    families: dict[str, list[str]] = {}
    for k in union:
        families.setdefault(_family(k), []).append(k)
    for family, keys in families.items():
        out += [f"### {family}", "", "| key | value | " + " | ".join(templates) + " |",
                "|---|---|" + "---|" * len(templates)]
        for k in keys:
            marks = " | ".join("✓" if k in govreport.FIELDS[t] else "" for t in templates)
            out.append(f"| `{k}` | {kind_of(k.rsplit('.', 1)[1])} | {marks} |")
        out.append("")
    out += ["### Keys of installed plugins", ""]
    plugins = _plugin_forms()
    if not plugins:
        out += ["No plugin with a table of its own was installed when this page was built. "
                "A plugin's table adds its keys after the template's, under its "
                "`flat_prefix`, when the report has that table "
                "(see [Extending govreport](extending.md)).", ""]
    for form in plugins:
        out += [f"`{form.name}` ({_cell(form.description)}):", ""]
        out += [f"- `{k}`" for k, _ in iter_values(form.table())]
        out.append("")
    return "\n".join(out)


def _family(key: str) -> str:
    head = key.split(".", 1)[0]
    if head == "proactive":
        return "Table A: proactive"
    if head == "applications":
        return "Table B: applications"
    return "Table C: review and litigation (no table prefix)"


# --------------------------------------------------------------------------- checks


def check_codes() -> str:
    """Every finding code of govreport.validate.CODES, then those of installed plugins."""
    out = ["| code | severity | what it checks |", "|---|---|---|"]
    out += [f"| `{code}` | {severity} | {_cell(what)} |"
            for code, (severity, what) in CODES.items()]
    plugin_codes: dict[str, tuple[str, str, str]] = {}
    for form in _plugin_forms():
        for rel in form.relations:
            plugin_codes.setdefault(rel.code, (rel.severity, rel.en, form.name))
    out.append("")
    if plugin_codes:
        out += ["Codes of installed plugins:", "", "| code | severity | example | form |",
                "|---|---|---|---|"]
        out += [f"| `{c}` | {s} | {_cell(en)} | `{f}` |" for c, (s, en, f) in plugin_codes.items()]
    else:
        out.append("A plugin's form adds codes of its own, one finding per relation it "
                   "carries (see [Extending govreport](extending.md)); none was installed "
                   "when this page was built.")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- cli


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _option(action: argparse.Action) -> str:
    if action.option_strings:
        names = ", ".join(action.option_strings)
        if action.nargs != 0:
            names += f" {action.metavar or action.dest.upper()}"
        return f"`{names}`"
    return f"`{action.metavar or action.dest}`" + (" …" if action.nargs in ("+", "*") else "")


def cli_reference() -> str:
    """Every subcommand of ``govreport`` with its options, from the argparse parser."""
    parser = cli._parser()
    out: list[str] = []
    for name, sub in _subcommands(parser).items():
        usage = " ".join(sub.format_usage().split())
        out += [f"### govreport {name}", "", _cell(sub.description or ""), "",
                "```", usage.removeprefix("usage: "), "```", "",
                "| argument | meaning |", "|---|---|"]
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            meaning = action.help or ""
            if action.choices is not None and not isinstance(action.choices, dict):
                meaning += f" (one of: {', '.join(map(str, action.choices))})"
            out.append(f"| {_option(action)} | {_cell(meaning)} |")
        if sub.epilog:
            out += ["", _cell(sub.epilog)]
        out.append("")
    if parser.epilog:
        out.append(_cell(parser.epilog))
    return "\n".join(out) + "\n"


GENERATORS: dict[str, Callable[[], str]] = {
    "model": model,
    "flat-keys": flat_keys,
    "check-codes": check_codes,
    "cli": cli_reference,
}

if __name__ == "__main__":
    print(generate(sys.argv[1]))
