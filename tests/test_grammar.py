"""The replayed LALR parse (grammar.parse_tokens) gives what Lark's own parse gives."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lark import Transformer
from lark.exceptions import UnexpectedInput
from synth import generate

import govreport
from govreport import grammar
from govreport.forms import available, base
from govreport.forms.base import Form, RowData
from govreport.grammar import parse_tokens, token
from govreport.model import Cell

FORMS = [f for f in available() if f.kind != "statistics"]  # its tokens carry other values


def _terminals(form: Form) -> list[str]:
    return sorted({sym.name for rule in form.parser().rules for sym in rule.expansion
                   if sym.is_term})


def _tokens(types: list[str]) -> list[Any]:
    return [token(t, RowData(f"row {i}", (Cell(str(i), i + 1, 5),), i + 1))
            for i, t in enumerate(types)]


def _outcome(fn: Any) -> Any:
    try:
        return ("ok", fn())
    except UnexpectedInput as e:
        return ("error", type(e).__name__, getattr(getattr(e, "token", None), "type", None))


@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_replay_matches_lark(form: Form, data: st.DataObject) -> None:
    terminals = _terminals(form)
    # Mostly the grammar's own order (sequences that parse), sometimes shuffled.
    ordered = [t for t in terminals if not t.endswith("_GROUP")]
    types = data.draw(st.one_of(
        st.lists(st.sampled_from(terminals), max_size=12),
        st.lists(st.sampled_from(ordered), max_size=len(ordered), unique=True).map(sorted),
        st.just([]),
    ))
    replayed = _outcome(lambda: parse_tokens(form.parser(), _tokens(types)))
    lark = _outcome(lambda: form.parser().parse(_tokens(types)))  # type: ignore[arg-type]
    assert replayed == lark


def test_a_template_table_replays_without_lark(monkeypatch: pytest.MonkeyPatch) -> None:
    # The first parse of a token sequence works the steps out; later ones never call Lark.
    form = next(f for f in FORMS if f.name == "review_litigation")
    types = [t for t in _terminals(form) if t.startswith("HEADER")] + ["DATA"]
    first = parse_tokens(form.parser(), _tokens(types))

    def no_lark(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("Lark's parse was called")

    monkeypatch.setattr(type(form.parser()), "parse", no_lark)
    assert parse_tokens(form.parser(), _tokens(types)) == first


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("layout", ["pipe_rows", "pipe_cells", "tab_cells", "tab_rows"])
def test_reports_parse_the_same_with_lark(monkeypatch: pytest.MonkeyPatch, layout: str,
                                          template: str) -> None:
    # Every table and outline parse of whole reports, checked against Lark's own.
    calls = {"ok": 0}

    def both(parser: Any, tokens: Any) -> Any:
        replayed = _outcome(lambda: parse_tokens(parser, tokens))
        assert replayed == _outcome(lambda: parser.parse(tokens))
        calls["ok"] += replayed[0] == "ok"
        if replayed[0] != "ok":
            return parser.parse(tokens)
        return replayed[1]

    monkeypatch.setattr(base, "run_parser", both)
    # govreport.outline is also the name of a function: the module is looked up.
    monkeypatch.setattr(importlib.import_module("govreport.outline"), "parse_tokens", both)
    for seed in range(3):
        text, _ = generate(seed, layout, template, blanks=seed == 1)
        report = govreport.parse(text)
        assert report.applications is not None
    assert calls["ok"] >= 3 * 4  # an outline and three tables per report


def test_each_grammar_folder_has_its_own_cache_file(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Any) -> None:
    # Two installs (a checkout and a wheel, two virtualenvs) share the user's
    # cache directory; one file per folder keeps them from rebuilding each
    # other's parser on every start.
    cache = tmp_path / "cache"
    monkeypatch.setenv("GOVREPORT_CACHE_DIR", str(cache))
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("common.lark", "review_litigation.lark"):
        copy.joinpath(name).write_text(grammar.grammar_dir().joinpath(name).read_text("utf-8"),
                                       encoding="utf-8")
    grammar._build_parser("review_litigation", Transformer(), grammar.grammar_dir())
    grammar._build_parser("review_litigation", Transformer(), copy)
    files = sorted(p.name for p in cache.glob("review_litigation-*.lark-cache"))
    assert len(files) == 2, files
