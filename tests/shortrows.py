"""Made-up reports whose table rows lose blank cells or run two values into one cell.

PDF and page extraction do both: a blank cell vanishes instead of staying an
empty cell (``行政许可 | 12 |`` for a row of three values), and two values
meet in one cell (``| 12 3 |`` or ``| 123 |``). Built on :mod:`synth`: its
reports are rendered with each value cell marked by its key, and the marks
tell which cells of a row to drop or glue before they are taken out.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from synth import _MARKED, _generate

#: Layouts whose value cells stay apart, so that a dropped or glued cell is the only damage.
SHORT_LAYOUTS: tuple[str, ...] = ("pipe_rows", "pipe_cells", "tab_rows", "tab_cells",
                                  "line_cells", "para_cells", "pipe_cells_closed", "pipe_split",
                                  "pipe_loose", "mixed")
MODES: tuple[str, ...] = ("keep", "drop", "glue", "both")

# Between two value cells of one row there are only borders and spaces.
_SAME_ROW = re.compile(r"[\s|\xa0\u3000]*")


@dataclass(frozen=True)
class Damage:
    """What was done to one table row: its keys, the dropped ones, the glued pairs."""

    keys: tuple[str, ...]
    dropped: frozenset[str]
    glued: tuple[tuple[str, str, str], ...]  # (left key, right key, joint: "" or " ")


def damaged(seed: int, layout: str, template: str, *, blanks: bool = True, rate: float = 0.5,
            modes: tuple[str, ...] = MODES[1:], joints: tuple[str, ...] = ("", " "),
            ) -> tuple[str, dict[str, Any], list[Damage]]:
    """The report of ``generate(seed, layout, template, blanks=blanks)`` with rows damaged.

    Each table row is damaged with probability ``rate``, in one of three ways
    drawn at random: blank cells dropped (each with its border), two adjacent
    non-blank values glued (with nothing or a space between them), or both.
    ``modes`` limits the ways (``"drop"``, ``"glue"``, ``"both"``), ``joints``
    what glued values are joined by. Returns ``(text, expected, damage)``;
    ``expected`` is :func:`synth.generate`'s.
    """
    marked, expected = _generate(seed, layout, template, blanks, None, marks=True)
    rng = random.Random(f"short {seed} {layout} {template} {blanks}")
    marks = list(_MARKED.finditer(marked))
    rows: list[list[re.Match[str]]] = []
    for i, m in enumerate(marks):
        if i and _SAME_ROW.fullmatch(marked, marks[i - 1].end(), m.start()):
            rows[-1].append(m)
        else:
            rows.append([m])
    out: list[str] = []
    at = 0
    damage: list[Damage] = []
    for row in rows:
        mode = rng.choice(modes) if rng.random() < rate else "keep"
        texts = [m[2] for m in row]
        keys = tuple(m[1] for m in row)
        blank = [not t.strip(" \xa0\u3000") for t in texts]
        drop: set[int] = set()
        if mode in ("drop", "both") and any(blank) and not all(blank):
            drop = {i for i, b in enumerate(blank) if b and rng.random() < 0.7} or \
                   {rng.choice([i for i, b in enumerate(blank) if b])}
        glue: dict[int, str] = {}  # cell index -> joint with the next value cell kept
        if mode in ("glue", "both"):
            kept = [i for i in range(len(row)) if i not in drop and not blank[i]]
            pairs = [(a, b) for a, b in pairwise(kept)
                     if all(j in drop for j in range(a + 1, b))]
            if pairs:
                a, _ = rng.choice(pairs)
                glue[a] = rng.choice(joints)
        out.append(marked[at:row[0].start()])
        pieces: list[str] = []  # cell texts and the borders between them, in order
        joined = False  # the cell joins the one before it: no padding between them
        for i, m in enumerate(row):
            border = marked[m.end():row[i + 1].start()] if i + 1 < len(row) else None
            if i in drop:
                if pieces and border is None:
                    pieces.pop()  # the last cell: its border before it goes with it
                continue
            text = m[2]
            if i in glue:
                text = text.rstrip(" \xa0\u3000")
            if joined:
                text = text.lstrip(" \xa0\u3000")
            pieces.append(text)
            joined = i in glue
            if border is not None:
                pieces.append(glue.get(i, border))
        out.append("".join(pieces))
        at = row[-1].end()
        glued = tuple((keys[a], keys[next(j for j in range(a + 1, len(row)) if j not in drop)],
                       joint) for a, joint in glue.items())
        if drop or glue:
            damage.append(Damage(keys, frozenset(keys[i] for i in drop), glued))
    out.append(marked[at:])
    return _MARKED.sub(lambda m: m[2], "".join(out)), expected, damage
