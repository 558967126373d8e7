"""Agency identity: one key for the spellings one body uses, and never one for two bodies.

Reports name their agency in several ways: ``平潭综合实验区`` and
``平潭综合实验区管委会``, Traditional characters on a mirror site, a full-width
bracket, a stray space. :func:`agency_key` maps them to one key by these rules,
in order (docs/panel.md):

1. NFKC (full-width letters, digits and brackets become half-width), Traditional
   characters become Simplified, every space goes;
2. a name listed in the user's aliases (:func:`read_aliases`) becomes the key of
   the name it is an alias of;
3. a trailing ``人民政府`` / ``政府`` / ``管理委员会`` / ``管委会`` goes when what is
   left is a place name only: it ends in a division (省 市 县 区 州 盟 旗 镇 乡 …)
   and names no organ (局 厅 委 办 院 中心 …). So ``平潭县人民政府`` is
   ``平潭县`` and ``平潭综合实验区管委会`` is ``平潭综合实验区``: two keys, one per
   government; ``平潭综合实验区地方税务局`` keeps its name, a body of its own.
   ``…街道办事处`` is ``…街道``.

Nothing else is merged: an office of a government (``…人民政府办公室``) is not the
government, and two names that differ otherwise stay two agencies unless an alias
says they are one.
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from collections.abc import Mapping

from govreport.errors import InputError
from govreport.normalize import to_simplified

__all__ = ["agency_key", "read_aliases"]

_SPACE = re.compile(r"[\s\u200b\u3000]+")
_GOVERNMENT = re.compile(r"^(?P<place>.+?)(?:人民政府|政府|管理委员会|管委会)$")
_SUBDISTRICT = re.compile(r"^(?P<place>.+?街道)办事处$")
_PLACE = re.compile(r"(?:省|市|县|区|州|盟|旗|镇|乡|苏木|街道|村)$")
_ORGAN = re.compile(r"局|厅|委|办|院|中心|公司|部|处|站|队|所|署|会")


def _normal(name: str) -> str:
    return to_simplified(_SPACE.sub("", unicodedata.normalize("NFKC", name)))


def _place(name: str) -> str:
    for pattern in (_GOVERNMENT, _SUBDISTRICT):
        m = pattern.match(name)
        if m is not None:
            place = m["place"]
            if _PLACE.search(place) and not _ORGAN.search(place):
                return place
    return name


def agency_key(name: str | None, aliases: Mapping[str, str] | None = None) -> str | None:
    """The key of an agency name: the same for the spellings of one body.

    ``aliases`` maps normalised names to keys (:func:`read_aliases`). ``None``
    and a name with nothing in it give ``None``.

    >>> agency_key("平潭综合实验区管委会")
    '平潭综合实验区'
    >>> agency_key("平潭縣人民政府")
    '平潭县'
    >>> agency_key("平潭综合实验区地方税务局")
    '平潭综合实验区地方税务局'
    """
    if name is None:
        return None
    k = _normal(name)
    if not k:
        return None
    if aliases:
        if k in aliases:
            return aliases[k]
        k = _place(k)
        return aliases.get(k, k)
    return _place(k)


def read_aliases(path: str | os.PathLike[str]) -> dict[str, str]:
    """Read a user's alias file: CSV rows ``alias,agency`` (a header row of those words is skipped).

    Each alias, and the agency itself, map to the agency's key, so rows
    ``平潭管委会,平潭综合实验区`` and ``岚岛管委会,平潭综合实验区管委会`` all give
    ``平潭综合实验区``. An alias given two different agencies is an error.

    Raises:
        InputError: the file cannot be read, or a row is not two names.

    """
    out: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read the aliases: {getattr(e, 'strerror', None) or e}",
                         file=os.fspath(path)) from None
    for number, row in enumerate(rows, 1):
        cells = [c.strip() for c in row]
        if not any(cells) or (number == 1 and [c.lower() for c in cells] == ["alias", "agency"]):
            continue
        if len(cells) != 2 or not all(cells):
            raise InputError("an alias row is two names: alias,agency", file=os.fspath(path),
                             line=number)
        target = agency_key(cells[1])
        assert target is not None
        for alias in {_normal(cells[0]), _place(_normal(cells[0]))}:
            if out.get(alias, target) != target:
                raise InputError(f"{cells[0]} is given two agencies: {out[alias]} and {target}",
                                 file=os.fspath(path), line=number)
            out[alias] = target
    return out
