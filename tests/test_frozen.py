"""quick_init: the same frozen instances as attrs' own __init__, only built faster."""

from __future__ import annotations

import inspect
from typing import Any

import attrs
import pytest
from attrs import field, frozen

import govreport.model
from govreport.forms.base import RowData, RowResult, SplitRow
from govreport.frozen import quick_init


def _quick_classes() -> list[type]:
    model = [c for c in vars(govreport.model).values()
             if isinstance(c, type) and attrs.has(c) and c.__module__ == "govreport.model"]
    return [*model, RowData, RowResult, SplitRow]


def _attrs_twin(cls: type) -> type:
    """The class as attrs alone would build it: same fields, attrs' own __init__."""
    these = {a.name: attrs.field(default=a.default) for a in attrs.fields(cls)}
    return attrs.make_class(cls.__name__, these, frozen=True, slots=True)


def _sample(a: attrs.Attribute[Any], i: int) -> object:
    return f"{a.name}-{i}"  # any object will do: no validators, no converters


@pytest.mark.parametrize("cls", _quick_classes(), ids=lambda c: c.__name__)
def test_quick_init_fills_the_fields_as_attrs_would(cls: type) -> None:
    assert "<quick_init" in cls.__init__.__code__.co_filename  # the decorator is applied
    fields = attrs.fields(cls)
    twin = _attrs_twin(cls)
    values = [_sample(a, i) for i, a in enumerate(fields)]

    positional = cls(*values)
    keyword = cls(**{a.name: v for a, v in zip(fields, values, strict=True)})
    expected = attrs.astuple(twin(*values), recurse=False)
    assert attrs.astuple(positional, recurse=False) == expected
    assert attrs.astuple(keyword, recurse=False) == expected
    assert positional == keyword

    # Only the required fields: the others take attrs' defaults and factories.
    required = {a.name: _sample(a, 0) for a in fields if a.default is attrs.NOTHING}
    built, reference = cls(**required), twin(**required)
    assert attrs.astuple(built, recurse=False) == attrs.astuple(reference, recurse=False)
    assert inspect.signature(cls).parameters.keys() == {a.name: 0 for a in fields}.keys()


@pytest.mark.parametrize("cls", _quick_classes(), ids=lambda c: c.__name__)
def test_quick_init_instances_stay_frozen(cls: type) -> None:
    fields = attrs.fields(cls)
    obj = cls(*(_sample(a, i) for i, a in enumerate(fields)))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(obj, fields[0].name, "changed")
    assert getattr(attrs.evolve(obj, **{fields[0].name: "changed"}), fields[0].name) == "changed"


def test_missing_or_unknown_arguments_are_errors_as_with_attrs() -> None:
    with pytest.raises(TypeError):
        govreport.model.Cell("text", 1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        govreport.model.Value(colour="red")  # type: ignore[call-arg]


def test_classes_whose_init_does_more_than_fill_slots_are_refused() -> None:
    @frozen
    class Checked:
        n: int = field(validator=attrs.validators.instance_of(int))

    @frozen
    class Converted:
        n: int = field(converter=int)

    @frozen
    class Post:
        n: int

        def __attrs_post_init__(self) -> None:
            pass

    @frozen
    class Private:
        _n: int

    @attrs.define
    class Mutable:
        n: int

    for cls in (Checked, Converted, Post, Private, Mutable):
        with pytest.raises(TypeError):
            quick_init(cls)
