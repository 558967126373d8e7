"""Parse time per report against the floor, measured side by side."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

import govreport

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"


def reports() -> list[tuple[str, str]]:
    """(name, text) of the seeds when ../shared is there, the example and a crawler fixture."""
    paths = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    paths.append(ROOT / "examples" / "example_2021.txt")
    # crawler text: one line, cells run together (the fused layout and its solver)
    paths.append(ROOT / "tests" / "fixtures" / "fused" / "crawler_2021.txt")
    return [(p.stem[:3] if p.parent == SEEDS else p.stem, p.read_text("utf-8-sig"))
            for p in paths if p.is_file()]


_NUMBERS = re.compile(r"\d+(?:\.\d+)?")


def floor(text: str) -> int:
    """Normalise, split lines, one regex pass: the least any parser must do."""
    normal = unicodedata.normalize("NFKC", text)
    lines = normal.split("\n")
    return len(lines) + len(_NUMBERS.findall(normal))


# Each report's parse and floor run one after the other, so a machine whose
# speed drifts during the run (a shared host) skews their ratio the least.
CASES = [(kind, name, text) for name, text in reports() for kind in ("parse", "floor")]


@pytest.mark.parametrize(("kind", "name", "text"), CASES,
                         ids=[f"{name}-{kind}" for kind, name, _ in CASES])
def test_parse(benchmark: Any, record: Any, kind: str, name: str, text: str) -> None:
    benchmark.group = kind
    if kind == "parse":
        govreport.parse(text)  # build the cached parsers outside the timing
        report = benchmark(govreport.parse, text)
        assert report.sections
    else:
        assert benchmark(floor, text) > 0
    record(kind, name, benchmark)
