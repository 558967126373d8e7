"""Quicker construction of the frozen attrs classes a report builds by the hundred.

attrs' ``__init__`` of a frozen class writes each field with
``object.__setattr__(self, name, value)``, since the class's own
``__setattr__`` refuses every write; that call looks the name up again for
every field. Writing each slot through its descriptor, fetched once per
class, skips the lookup: a :class:`~govreport.model.Value` or
:class:`~govreport.model.Cell` is built in about two thirds of the time, and
a report builds hundreds of them. The instances are the same frozen attrs
instances; only the way their slots are first filled changes.
"""

from __future__ import annotations

from typing import Any, TypeVar

import attrs

__all__ = ["quick_init"]

_T = TypeVar("_T", bound=type)


def quick_init(cls: _T) -> _T:
    """Replace the ``__init__`` of frozen, slotted attrs class ``cls`` by a quicker equal one.

    The signature, defaults and factories are attrs'. A class with
    validators, converters, ``kw_only`` or private fields, or an
    ``__attrs_post_init__`` is refused (``TypeError``): its ``__init__``
    does more than fill slots.
    """
    fields = attrs.fields(cls)
    if "__slots__" not in cls.__dict__ or "__setattr__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__} is not a frozen slotted attrs class")
    if hasattr(cls, "__attrs_post_init__") or hasattr(cls, "__attrs_pre_init__"):
        raise TypeError(f"{cls.__name__} has an __attrs_post_init__ or __attrs_pre_init__")
    namespace: dict[str, Any] = {"_NOTHING": attrs.NOTHING}
    params: list[str] = []
    body: list[str] = []
    for i, a in enumerate(fields):
        if a.validator is not None or a.converter is not None or a.kw_only or not a.init \
                or a.alias != a.name:
            raise TypeError(f"{cls.__name__}.{a.name} needs attrs' own __init__")
        namespace[f"_set{i}"] = getattr(cls, a.name).__set__
        if isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]
            if a.default.takes_self:
                raise TypeError(f"{cls.__name__}.{a.name} has a factory that takes self")
            namespace[f"_factory{i}"] = a.default.factory
            params.append(f"{a.name}=_NOTHING")
            body.append(f"    if {a.name} is _NOTHING:\n        {a.name} = _factory{i}()\n")
        elif a.default is not attrs.NOTHING:
            namespace[f"_default{i}"] = a.default
            params.append(f"{a.name}=_default{i}")
        else:
            params.append(a.name)
        body.append(f"    _set{i}(self, {a.name})\n")
    source = f"def __init__(self, {', '.join(params)}):\n" + ("".join(body) or "    pass\n")
    exec(compile(source, f"<quick_init {cls.__qualname__}>", "exec"), namespace)
    init = namespace["__init__"]
    generated = cls.__dict__["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__annotations__ = dict(getattr(generated, "__annotations__", {}))
    init.__doc__ = generated.__doc__
    cls.__init__ = init  # type: ignore[misc]
    return cls
