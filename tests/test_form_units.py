"""Each table form is one unit: its rows, grammar, vocabulary and relations agree.

A row is named once, by its field in the table class; its grammar token is
derived from it (``Form.row_tokens``) and checked against the grammar when the
grammar loads. These tests hold every registered form to that, and show that
a form whose grammar misses a row fails loudly instead of reading ``None``.
"""

# No "from __future__ import annotations": Form finds rows by their field types.
from typing import ClassVar, Literal

import pytest
from attrs import field, frozen

import govreport
from govreport import registry
from govreport.forms import Form, Label
from govreport.forms.base import SplitRow, split_row
from govreport.model import Cell, GridRow, RawRow, Value
from govreport.normalize import key, split_number


def _terminals(form: Form) -> set[str]:
    return {sym.name.rsplit("__", 1)[-1]
            for rule in form.parser().rules for sym in rule.expansion if sym.is_term}


@pytest.mark.parametrize("form", registry.forms(), ids=lambda f: f.name)
def test_every_row_of_the_table_class_has_its_rule_and_token(form: Form) -> None:
    assert form.grammar_problems() == []
    assert all(token == name.upper() for name, token in form.row_tokens().items())


def _vocabulary_tokens(forms: list[Form]) -> set[str]:
    # The row and caption tokens the kind's labels give, numbered or not
    # ("(七)总计" is a row where "总计" is a column header).
    out: set[str] = set()
    for form in forms:
        for label in form.labels:
            number, k = split_number(key(label))
            for numbering in (number, "1.", "(一)"):
                meaning = form.classify(numbering, k)
                if meaning is not None and meaning.role in ("row", "caption"):
                    out.add(meaning.name)
    return out


KINDS = sorted({f.kind for f in registry.forms() if f.row_tokens()})


@pytest.mark.parametrize("kind", KINDS)
def test_vocabulary_and_grammars_of_a_kind_agree(kind: str) -> None:
    forms = [f for f in registry.forms() if f.kind == kind]
    vocabulary = _vocabulary_tokens(forms)
    terminals = set().union(*(_terminals(f) for f in forms))
    # Every token a label can become is one some form's grammar places …
    assert vocabulary <= terminals
    # … and every row of every form is reachable from a printed label.
    rows = {token for f in forms for token in f.row_tokens().values()}
    assert rows <= vocabulary


@frozen
class _Pair:
    first: Value = field(factory=Value)
    label: str | None = None


@frozen
class _Broken:
    flat_prefix: ClassVar[str] = "broken."
    form: Literal["broken"] = "broken"
    new_received: _Pair = field(factory=_Pair)
    nowhere: _Pair = field(factory=_Pair)  # a row the grammar does not have
    extra_rows: tuple[RawRow, ...] = ()


def test_a_row_missing_from_the_grammar_fails_when_the_grammar_loads() -> None:
    def classify(number: str | None, k: str) -> Label | None:
        return Label("row", "NEW_RECEIVED") if k == "本年新收" else None

    # applications_2019's grammar has new_received but no rule or token "nowhere".
    broken = Form("applications_2019", _Broken, kind="broken", classify=classify,
                  markers=frozenset(), years=range(2019, 2100))
    assert broken.grammar_problems() == [
        "no rule 'nowhere' for the row broken.nowhere",
        "no token NOWHERE for the row broken.nowhere"]
    row = split_row(GridRow((Cell("本年新收", 1, 0), Cell("3", 1, 1)), 1))
    assert isinstance(row, SplitRow)
    with pytest.raises(govreport.GovReportError, match="NOWHERE"):
        broken.parse(broken.lex([row]).tokens)
